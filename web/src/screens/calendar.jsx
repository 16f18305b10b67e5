// The calendar: a week of hour rows or a month grid in the browser's time
// zone, the range in the URL (?view=week&date=2026-12-07), only the visible
// range loaded (and two weeks before it, for meetings running into it); a meeting opens in the dialog (?meeting=ID links there too);
// in the week, a meeting the user may change is dragged to another time or
// day, or its bottom edge to another end (Alt+arrows do the same), and a
// meeting whose invitations went out asks first, since attendees get an update;
// and the secret feed URL for calendar apps.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { del, get, getAll, patch, post } from '../api.js';
import {
	addDays,
	fmtDay,
	fmtLongDay,
	fmtTime,
	isoOf,
	parseYmd,
	rangeTitle,
	sameDay,
	shiftView,
	today,
	useCssVars,
	viewRange,
	ymd,
} from '../calendar.js';
import { navigate, useLocation } from '../router.js';
import { ErrorBox, Loading, Modal, useLoad } from '../ui.jsx';
import { errorText, toast } from '../util.js';
import { AgendaView } from './calendar_agenda.jsx';
import { MeetingDialog } from './meeting.jsx';

function calUrl(view, date, meeting) {
	const q = new URLSearchParams({ view, date: ymd(date) });
	if (meeting) q.set('meeting', String(meeting));
	return `/calendar?${q}`;
}

// Meetings that began up to this many days before the range and run into it
// are shown (whole days: local midnight across a daylight saving change too).
const SPAN_BACK_DAYS = 14;

// The views, as the switch shows them; a phone opens on the agenda (seven
// columns do not fit it), a wider screen on the week.
const VIEWS = [
	['week', 'Week'],
	['month', 'Month'],
	['agenda', 'Agenda'],
];
const defaultView = () => (window.matchMedia('(max-width: 760px)').matches ? 'agenda' : 'week');

export function Calendar({ session }) {
	const { params } = useLocation();
	const view = VIEWS.some(([v]) => v === params.get('view')) ? params.get('view') : defaultView();
	const date = parseYmd(params.get('date')) || today();
	const meetingId = params.get('meeting');
	const range = viewRange(view, date);
	const [dialog, setDialog] = useState(null); /* { meeting } or { defaults } */
	const [feed, setFeed] = useState(false);
	const [ask, setAsk] = useState(null); /* a move waiting for "send an update?" */
	const refocus = useRef(null); /* the meeting moved by keys keeps the focus */
	const s = useLoad(
		() => getAll('/meetings', { starts_at_after: isoOf(addDays(range.from, -SPAN_BACK_DAYS).getTime()), starts_at_before: isoOf(range.to.getTime()) }, 2000),
		[ymd(range.from), ymd(range.to)],
	);

	useEffect(() => {
		document.title = 'Calendar · Parley';
	}, []);

	// ?meeting=ID opens that meeting (and shows its week when no date is given).
	useEffect(() => {
		if (!meetingId) {
			if (dialog && dialog.meeting) setDialog(null);
			return;
		}
		if (dialog && dialog.meeting && String(dialog.meeting.id) === meetingId) return;
		let live = true;
		get(`/meetings/${encodeURIComponent(meetingId)}`).then(
			(m) => {
				if (!live) return;
				setDialog({ meeting: m });
				if (!params.get('date')) navigate(calUrl(view, new Date(m.starts_at), m.id), { replace: true });
			},
			(e) => {
				if (!live) return;
				toast({ kind: 'error', message: e.status === 404 ? 'That meeting no longer exists.' : `Could not open the meeting: ${errorText(e)}` });
				navigate(calUrl(view, date), { replace: true });
			},
		);
		return () => (live = false);
	}, [meetingId]);

	const go = (v, d) => navigate(calUrl(v, d));
	const open = (m) => navigate(calUrl(view, date, m.id));
	const close = () => {
		setDialog(null);
		if (new URLSearchParams(location.search).get('meeting')) navigate(calUrl(view, date), { replace: true });
	};
	const create = (start) => {
		// Without a slot: the next full hour when today is shown, else 10:00 on the shown date.
		let st = start;
		if (!st) {
			const now = new Date();
			st =
				now >= range.from && now < range.to
					? new Date(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours() + 1)
					: new Date(date.getFullYear(), date.getMonth(), date.getDate(), 10);
		}
		setDialog({ defaults: { start: st, end: new Date(st.getTime() + 3600000) } });
	};

	// Shown at the new time at once; back where it was if the server says no.
	const place = (id, t) => s.setData((list) => list && list.map((x) => (x.id === id ? { ...x, ...t } : x)));
	// One change at a time, in order (Alt+arrows pressed quickly); the stored
	// meeting replaces the shown one unless a later move is on its way.
	const queue = useRef(Promise.resolve());
	const latest = useRef({});
	const save = (m, t) => {
		const mine = (latest.current[m.id] = {});
		queue.current = queue.current.then(() => send(m, t, mine));
	};
	const send = async (m, t, mine) => {
		try {
			const saved = await patch(`/meetings/${m.id}`, t);
			if (latest.current[m.id] === mine) place(m.id, saved);
			toast(m.invited_at ? 'Meeting moved: the attendees get an update.' : 'Meeting moved.');
		} catch (e) {
			place(m.id, { starts_at: m.starts_at, ends_at: m.ends_at });
			toast({
				kind: 'error',
				message:
					e.status === 403
						? 'You may not change this meeting: only its owner, its creator or an admin can.'
						: `Could not move the meeting: ${errorText(e)}`,
			});
		}
	};
	const reschedule = (m, start, end, byKeys) => {
		const t = { starts_at: isoOf(start), ends_at: isoOf(end) };
		if (Date.parse(t.starts_at) === Date.parse(m.starts_at) && Date.parse(t.ends_at) === Date.parse(m.ends_at)) return;
		if (byKeys) refocus.current = m.id;
		place(m.id, t);
		if (m.invited_at && m.status !== 'cancelled') setAsk({ m, t });
		else save(m, t);
	};
	// In the same commit as the move: a later key press may not find an older render's focus.
	useLayoutEffect(() => {
		if (!refocus.current || ask) return;
		const el = document.querySelector(`.cal-week [data-meeting="${refocus.current}"]`);
		refocus.current = null;
		if (el) el.focus();
	});

	const meetings = (s.data || []).filter((m) => endOf(m) > range.from.getTime());
	const unit = view === 'month' ? 'month' : 'week';
	return (
		<div class="page cal-page">
			<header class="page-head cal-head">
				<div>
					<h1>Calendar</h1>
					<p class="subtitle" aria-live="polite">
						{rangeTitle(view, date, range)}
					</p>
				</div>
				<div class="cal-tools">
					<div class="cal-nav" role="group" aria-label="Dates">
						<button type="button" aria-label={`Previous ${unit}`} onClick={() => go(view, shiftView(view, date, -1))}>
							‹
						</button>
						<button type="button" onClick={() => go(view, today())}>
							Today
						</button>
						<button type="button" aria-label={`Next ${unit}`} onClick={() => go(view, shiftView(view, date, 1))}>
							›
						</button>
					</div>
					<div class="cal-switch" role="group" aria-label="View">
						{VIEWS.map(([v, name]) => (
							<button type="button" aria-pressed={view === v ? 'true' : 'false'} onClick={() => go(v, date)}>
								{name}
							</button>
						))}
					</div>
					<button type="button" onClick={() => setFeed(true)}>
						Subscribe
					</button>
					<button type="button" class="primary" onClick={() => create(null)}>
						New meeting
					</button>
				</div>
			</header>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{s.loading && !s.data && <Loading what="meetings" />}
			{s.data && !s.loading && !meetings.length && (
				<p class="cal-empty muted">
					No meetings this {unit}. {view === 'agenda' ? 'Use New meeting, or Plan a meeting on a day, to plan one.' : 'Click a free time, or New meeting, to plan one.'}
				</p>
			)}
			{view === 'agenda' ? (
				<AgendaView days={range.days} map={byDay(range.days, meetings)} eventLabel={eventLabel} eventClass={eventClass} onOpen={open} onNew={create} />
			) : view === 'week' ? (
				<WeekView days={range.days} meetings={meetings} user={session && session.user} onOpen={open} onNew={create} onMove={reschedule} />
			) : (
				<MonthView date={date} days={range.days} meetings={meetings} onOpen={open} onNew={create} onWeek={(d) => go('week', d)} />
			)}
			<Legend />
			{dialog && (
				<MeetingDialog
					key={dialog.meeting ? dialog.meeting.id : 'new'}
					meeting={dialog.meeting || null}
					defaults={dialog.defaults}
					onClose={close}
					onChanged={() => s.reload()}
				/>
			)}
			{feed && <FeedDialog onClose={() => setFeed(false)} />}
			{ask && <ConfirmMove key={ask.m.id} ask={ask} onMove={() => (setAsk(null), save(ask.m, ask.t))} onCancel={() => (setAsk(null), place(ask.m.id, { starts_at: ask.m.starts_at, ends_at: ask.m.ends_at }))} />}
		</div>
	);
}

// Moving a meeting whose invitations went out sends every attendee an update.
function ConfirmMove({ ask, onMove, onCancel }) {
	const done = useRef(false);
	const once = (fn) => () => {
		if (done.current) return;
		done.current = true;
		fn();
	};
	const n = (ask.m.attendees || []).length;
	const s = new Date(ask.t.starts_at);
	return (
		<Modal title="Move the meeting?" onClose={once(onCancel)}>
			<p>
				{ask.m.title}: {fmtLongDay(s)}, {fmtTime(s)} to {fmtTime(new Date(ask.t.ends_at))}.
			</p>
			<p>
				Move and send an update to {n} attendee{n === 1 ? '' : 's'}?
			</p>
			<div class="form-actions">
				<button type="button" class="primary" onClick={once(onMove)}>
					Move
				</button>
				<button type="button" onClick={once(onCancel)}>
					Cancel
				</button>
			</div>
		</Modal>
	);
}

// Admins, and managers for meetings they own or made (docs/api/calendar.md).
function mayMove(m, user) {
	return !!user && m.status !== 'cancelled' && (user.role === 'admin' || m.owner_id === user.id || m.created_by === user.id);
}

const SNAP = 15 * 60000;
const snap = (ms) => Math.round(ms / SNAP) * SNAP;
const SLOP = 4; /* px a pointer may wander and still click */

// iso moved by whole days (the same wall time across a DST change) and minutes.
function shifted(iso, days, minutes) {
	const d = new Date(iso);
	d.setDate(d.getDate() + days);
	return d.getTime() + minutes * 60000;
}

// Where a drag puts meeting m: [start, end] in ms.
function dragTarget(m, mode, days, minutes) {
	const s = Date.parse(m.starts_at);
	const e = Date.parse(m.ends_at);
	if (mode === 'resize') return [s, Math.max(s + SNAP, snap(e + minutes * 60000))];
	const ns = snap(shifted(m.starts_at, days, minutes));
	return [ns, ns + (e - s)];
}

function Legend() {
	return (
		<p class="cal-legend muted">
			<span class="cal-key cal-kind-meeting">Meeting</span> <span class="cal-key cal-kind-call">☎ Call</span>{' '}
			<span class="cal-key cal-cancelled">Cancelled</span> · Times in your time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).
		</p>
	);
}

function eventLabel(m, s, e) {
	return `${m.kind === 'call' ? 'Call' : 'Meeting'}: ${m.title}, ${fmtTime(s)} to ${fmtTime(e)}${m.status === 'cancelled' ? ', cancelled' : ''}`;
}

function eventClass(m) {
	return `cal-kind-${m.kind}${m.status === 'cancelled' ? ' cal-cancelled' : ''}`;
}

// When m ends, in ms; a meeting of no length still takes its instant.
const endOf = (m) => Math.max(Date.parse(m.ends_at), Date.parse(m.starts_at) + 1);

// Each day lists the meetings that overlap it, in order, so one running past
// midnight shows on both days.
function byDay(days, meetings) {
	const map = new Map(days.map((d) => [ymd(d), []]));
	for (const d of days) {
		const t0 = d.getTime();
		const t1 = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1).getTime();
		const list = map.get(ymd(d));
		for (const m of meetings) {
			if (Date.parse(m.starts_at) < t1 && endOf(m) > t0) list.push(m);
		}
	}
	for (const list of map.values()) list.sort((a, b) => a.starts_at.localeCompare(b.starts_at));
	return map;
}

// Where instant ms falls on day's hour rows, in minutes: its wall-clock time
// (10:00 is at 600 on a day of 23 or 25 hours too, the days clocks change),
// 0 before the day, 1440 after it.
function wallMinutes(day, ms) {
	if (ms <= day.getTime()) return 0;
	if (ms >= addDays(day, 1).getTime()) return 1440;
	const d = new Date(ms);
	return d.getHours() * 60 + d.getMinutes() + d.getSeconds() / 60;
}

// Side-by-side lanes for meetings that overlap within a day.
function layout(day, list) {
	const t1 = addDays(day, 1).getTime();
	const items = list.map((m) => {
		const s = wallMinutes(day, Date.parse(m.starts_at));
		const end = Date.parse(m.ends_at);
		const e = Math.min(1440, Math.max(s + 15, wallMinutes(day, end)));
		return { m, s, e, lane: 0, lanes: 1, endsHere: end <= t1 };
	});
	let cluster = [];
	let ends = [];
	let clusterEnd = -1;
	const flush = () => {
		cluster.forEach((x) => (x.lanes = ends.length));
		cluster = [];
		ends = [];
	};
	for (const x of items) {
		if (x.s >= clusterEnd) flush();
		let lane = ends.findIndex((e) => e <= x.s);
		if (lane < 0) lane = ends.length;
		ends[lane] = Math.max(x.e, x.s + 24);
		x.lane = lane;
		clusterEnd = Math.max(clusterEnd, ends[lane]);
		cluster.push(x);
	}
	flush();
	return items;
}

const hourFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric' });

function WeekView({ days, meetings, user, onOpen, onNew, onMove }) {
	const scroller = useRef(null);
	const [drag, setDrag] = useState(null); /* { id, title, start, end } while a meeting is dragged */
	const map = byDay(days, meetings);
	const now = new Date();
	useEffect(() => {
		const el = scroller.current;
		if (el) el.scrollTop = (el.scrollHeight / 24) * 7.5;
	}, []);
	const slot = (day) => (e) => {
		if (e.target !== e.currentTarget) return;
		const hour = e.currentTarget.clientHeight / 24;
		const half = Math.floor(e.offsetY / (hour / 2));
		onNew(new Date(day.getFullYear(), day.getMonth(), day.getDate(), Math.floor(half / 2), (half % 2) * 30));
	};
	return (
		<div class="cal-week">
			<div class="cal-week-inner">
				<div class="cal-week-head" aria-hidden="true">
					<span class="cal-gutter" />
					{days.map((d) => (
						<span class={`cal-dayhead${sameDay(d, now) ? ' cal-today' : ''}`}>{fmtDay(d)}</span>
					))}
				</div>
				<div class="cal-week-body" ref={scroller}>
					<div class="cal-hours" aria-hidden="true">
						{Array.from({ length: 24 }, (_, h) => (
							<div class="cal-hour">{h ? hourFmt.format(new Date(2000, 0, 1, h)) : ''}</div>
						))}
					</div>
					{days.map((d) => (
						<div
							class={`cal-day${sameDay(d, now) ? ' cal-today' : ''}`}
							role="group"
							aria-label={fmtLongDay(d)}
							aria-current={sameDay(d, now) ? 'date' : undefined}
							onClick={slot(d)}
						>
							{layout(d, map.get(ymd(d))).map((x) => (
								<WeekEvent
									key={x.m.id}
									x={x}
									movable={mayMove(x.m, user)}
									dragged={drag && drag.id === x.m.id}
									onOpen={onOpen}
									onDrag={setDrag}
									onMove={onMove}
								/>
							))}
							{sameDay(d, now) && <NowLine now={now} />}
							{drag && <Ghost day={d} drag={drag} />}
						</div>
					))}
				</div>
			</div>
		</div>
	);
}

// Alt+arrows: [days, minutes].
const MOVE_KEYS = { ArrowUp: [0, -15], ArrowDown: [0, 15], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };

// A meeting in the week. One the user may change is dragged with a pointer
// (mouse, pen or touch: pointer capture keeps the moves coming wherever they
// go): the body moves it, the bottom edge moves its end, 15-minute steps, a
// ghost shows where it lands, Escape gives up; a press that barely moves is a
// click and opens it.
function WeekEvent({ x, movable, dragged, onOpen, onDrag, onMove }) {
	const ref = useRef(null);
	const g = useRef(null); /* the gesture in progress */
	const noClick = useRef(false);
	useCssVars(ref, { start: x.s, len: x.e - x.s, lane: x.lane, lanes: x.lanes });
	useEffect(() => () => g.current && g.current.stop(), []);
	const m = x.m;
	const s = new Date(m.starts_at);
	const e = new Date(m.ends_at);

	const down = (ev) => {
		if (!movable || ev.button !== 0 || g.current) return;
		const el = ev.currentTarget;
		const col = el.closest('.cal-day');
		if (!col) return;
		const cols = [...col.parentNode.querySelectorAll('.cal-day')];
		const minutesAt = (y) => ((y - col.getBoundingClientRect().top) / col.clientHeight) * 1440;
		const gesture = {
			id: ev.pointerId,
			x: ev.clientX,
			y: ev.clientY,
			grab: minutesAt(ev.clientY),
			mode: ev.target.classList.contains('cal-resize') ? 'resize' : 'move',
			active: false,
			cancelled: false,
			at: null,
			move(p) {
				if (this.cancelled) return;
				if (!this.active && Math.hypot(p.clientX - this.x, p.clientY - this.y) < SLOP) return;
				this.active = true;
				let days = 0;
				if (this.mode === 'move') {
					let i = cols.findIndex((c) => p.clientX < c.getBoundingClientRect().right);
					if (i < 0) i = cols.length - 1;
					days = i - cols.indexOf(col);
				}
				this.at = dragTarget(m, this.mode, days, minutesAt(p.clientY) - this.grab);
				onDrag({ id: m.id, title: m.title, start: this.at[0], end: this.at[1] });
			},
			stop() {
				document.removeEventListener('keydown', this.key, true);
				if (el.hasPointerCapture(this.id)) el.releasePointerCapture(this.id);
				g.current = null;
				onDrag(null);
			},
			// Escape: the meeting stays; the pointer still owes its pointerup.
			key(k) {
				if (k.key !== 'Escape') return;
				k.preventDefault();
				k.stopPropagation();
				document.removeEventListener('keydown', gesture.key, true);
				gesture.cancelled = true;
				onDrag(null);
			},
		};
		g.current = gesture;
		document.addEventListener('keydown', gesture.key, true);
		el.setPointerCapture(ev.pointerId);
	};
	const move = (ev) => g.current && ev.pointerId === g.current.id && g.current.move(ev);
	const up = (ev) => {
		const d = g.current;
		if (!d || ev.pointerId !== d.id) return;
		d.stop();
		if (d.active) {
			// The click that follows this pointerup is the end of a drag, not a click.
			noClick.current = true;
			setTimeout(() => (noClick.current = false), 0);
			if (!d.cancelled && d.at) onMove(m, new Date(d.at[0]), new Date(d.at[1]));
		}
	};
	const cancel = (ev) => g.current && ev.pointerId === g.current.id && g.current.stop();
	const keys = (ev) => {
		noClick.current = false;
		const k = MOVE_KEYS[ev.key];
		if (!movable || !ev.altKey || ev.ctrlKey || ev.metaKey || !k) return;
		ev.preventDefault();
		const len = e.getTime() - s.getTime();
		const start = shifted(m.starts_at, k[0], k[1]);
		onMove(m, new Date(start), new Date(start + len), true);
	};
	return (
		<button
			type="button"
			ref={ref}
			class={`cal-event ${eventClass(m)}${x.e - x.s < 45 ? ' cal-short' : ''}${movable ? ' cal-movable' : ''}${dragged ? ' cal-dragged' : ''}`}
			data-meeting={m.id}
			aria-label={eventLabel(m, s, e)}
			aria-keyshortcuts={movable ? 'Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight' : undefined}
			onClick={() => !noClick.current && onOpen(m)}
			onPointerDown={down}
			onPointerMove={move}
			onPointerUp={up}
			onPointerCancel={cancel}
			onKeyDown={keys}
		>
			<span class="cal-event-title">
				{x.m.kind === 'call' && '☎ '}
				{x.m.title}
			</span>
			<span class="cal-event-time">
				{fmtTime(s)}–{fmtTime(e)}
			</span>
			{movable && x.endsHere && <span class="cal-resize" aria-hidden="true" />}
		</button>
	);
}

// Where the dragged meeting would land, on each day it would cover.
function Ghost({ day, drag }) {
	const ref = useRef(null);
	const s = wallMinutes(day, drag.start);
	const e = wallMinutes(day, drag.end);
	useCssVars(ref, { start: s, len: Math.max(e - s, 15) });
	if (e < s || (e === s && (drag.start !== drag.end || s >= 1440))) return null;
	return (
		<div class="cal-ghost" ref={ref} aria-hidden="true">
			<span class="cal-event-title">{drag.title}</span>
			<span class="cal-event-time">
				{fmtTime(new Date(drag.start))}–{fmtTime(new Date(drag.end))}
			</span>
		</div>
	);
}

function NowLine({ now }) {
	const ref = useRef(null);
	useCssVars(ref, { start: now.getHours() * 60 + now.getMinutes() });
	return <div class="cal-now" ref={ref} aria-hidden="true" />;
}

const MAX_PER_DAY = 4;

function MonthView({ date, days, meetings, onOpen, onNew, onWeek }) {
	const map = byDay(days, meetings);
	const now = new Date();
	const names = days.slice(0, 7).map((d) => new Intl.DateTimeFormat(undefined, { weekday: 'short' }).format(d));
	const empty = (d) => (e) => {
		if (e.target === e.currentTarget || e.target.classList.contains('cal-cell-list'))
			onNew(new Date(d.getFullYear(), d.getMonth(), d.getDate(), 10));
	};
	return (
		<div class="cal-month">
			<div class="cal-month-head" aria-hidden="true">
				{names.map((n) => (
					<span>{n}</span>
				))}
			</div>
			<div class="cal-month-grid">
				{days.map((d) => {
					const list = map.get(ymd(d));
					const other = d.getMonth() !== date.getMonth();
					return (
						<div
							class={`cal-cell${other ? ' cal-other' : ''}${sameDay(d, now) ? ' cal-today' : ''}`}
							role="group"
							aria-label={fmtLongDay(d)}
							aria-current={sameDay(d, now) ? 'date' : undefined}
							onClick={empty(d)}
						>
							<button type="button" class="cal-cell-day" aria-label={`Show the week of ${fmtLongDay(d)}`} onClick={() => onWeek(d)}>
								{d.getDate()}
							</button>
							<ul class="cal-cell-list">
								{list.slice(0, MAX_PER_DAY).map((m) => {
									const s = new Date(m.starts_at);
									return (
										<li>
											<button type="button" class={`cal-chip ${eventClass(m)}`} data-meeting={m.id} aria-label={eventLabel(m, s, new Date(m.ends_at))} onClick={() => onOpen(m)}>
												<span class="cal-chip-time">{fmtTime(s)}</span> {m.kind === 'call' && '☎ '}
												{m.title}
											</button>
										</li>
									);
								})}
								{list.length > MAX_PER_DAY && (
									<li>
										<button type="button" class="link-button cal-more" onClick={() => onWeek(d)}>
											{list.length - MAX_PER_DAY} more
										</button>
									</li>
								)}
							</ul>
						</div>
					);
				})}
			</div>
		</div>
	);
}

// ---- the feed ----
function FeedDialog({ onClose }) {
	const [feed, setFeed] = useState(null);
	const [busy, setBusy] = useState(null);
	const [error, setError] = useState(null);
	const [off, setOff] = useState(false);

	const make = async () => {
		setBusy('make');
		setError(null);
		try {
			setFeed(await post('/calendar/feed'));
			setOff(false);
		} catch (e) {
			setError(e);
		} finally {
			setBusy(null);
		}
	};
	const turnOff = async () => {
		setBusy('off');
		setError(null);
		try {
			await del('/calendar/feed');
			setFeed(null);
			setOff(true);
			toast('Calendar feed turned off: its URL no longer works.');
		} catch (e) {
			setError(e);
		} finally {
			setBusy(null);
		}
	};
	return (
		<Modal title="Subscribe in your calendar app" onClose={onClose}>
			<div class="feed">
				<p>
					Google Calendar, Outlook and Apple Calendar can subscribe to a secret address that lists your meetings (the ones you
					organize or attend, from 90 days ago on). Anyone with the address can read them, so keep it to yourself.
				</p>
				{feed ? (
					<div class="callout feed-urls">
						<p>Your feed address. It is shown only now: copy it into your calendar app.</p>
						<CopyField id="feed-url" label="Feed URL" value={feed.url} />
						<CopyField id="feed-webcal" label="webcal link" value={feed.webcal} />
						<p>
							<a href={feed.webcal}>Open in your calendar app</a>
						</p>
					</div>
				) : (
					<p class="muted">
						{off ? 'The feed is off. ' : ''}A new address replaces the old one, if you made one before: calendars subscribed to the old
						address stop updating.
					</p>
				)}
				{error && (
					<p class="form-error" role="alert">
						{errorText(error)}
					</p>
				)}
				<div class="form-actions">
					<button type="button" class="primary" disabled={!!busy} onClick={make}>
						{busy === 'make' ? 'Creating…' : feed ? 'Make a new address' : 'Create the feed address'}
					</button>
					<button type="button" disabled={!!busy} onClick={turnOff}>
						{busy === 'off' ? 'Turning off…' : 'Turn the feed off'}
					</button>
				</div>
			</div>
		</Modal>
	);
}

function CopyField({ id, label: text, value }) {
	const ref = useRef(null);
	const copy = async () => {
		try {
			await navigator.clipboard.writeText(value);
		} catch {
			ref.current.select();
			document.execCommand('copy');
		}
		toast(`${text} copied`);
	};
	return (
		<div class="field">
			<label for={id}>{text}</label>
			<div class="copy-row">
				<input id={id} ref={ref} type="text" readOnly value={value} onFocus={(e) => e.currentTarget.select()} />
				<button type="button" onClick={copy} aria-label={`Copy the ${text}`}>
					Copy
				</button>
			</div>
		</div>
	);
}
