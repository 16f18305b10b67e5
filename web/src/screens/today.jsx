// Today, the home page: one feed of what needs me today (GET /api/v1/today):
// today's meetings, my overdue and due-today tasks, my unread client mail by
// conversation, mentions and notifications. Each item acts in place: open,
// reply (the compose dialog, here), done (tasks, notifications) and snooze
// (later today or tomorrow morning, kept on the server).
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, patch, post, put } from '../api.js';
import { replyFromThread } from '../mail.js';
import { Link, navigate } from '../router.js';
import { dayZone, getDay, refreshCounts, todayChanged } from '../today.js';
import { Empty, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, relativeTime, toast, useRecordTitle } from '../util.js';
import { ComposeHost } from './compose.jsx';
import '../styles/today.css';

const KIND_LABEL = {
	meeting: 'Meeting',
	overdue: 'Overdue task',
	task: 'Task due today',
	mail: 'Mail',
	mention: 'Mention',
	notification: 'Notification',
};

const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const untilFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', hour: 'numeric', minute: '2-digit' });

const kindOf = (it) => (it.kind === 'task' && it.overdue ? 'overdue' : it.kind);
const snoozeKind = (it) =>
	it.kind === 'task' ? ['task', it.task_id] : it.kind === 'mail' ? ['thread', it.thread_id] : it.notification_id ? ['notification', it.notification_id] : null;

export function Today() {
	const changed = todayChanged.use();
	const s = useLoad(() => getDay('/today'), [changed]);
	useEffect(() => {
		document.title = 'Today · Parley';
	}, []);

	const drop = (key) => s.setData((d) => ({ ...d, items: d.items.filter((x) => x.key !== key) }));
	const putBack = (it) =>
		s.setData((d) => (d.items.some((x) => x.key === it.key) ? d : { ...d, items: [...d.items, it].sort((a, b) => d.order[a.key] - d.order[b.key]) }));

	const markRead = (ids) => (ids && ids.length ? post('/notifications/read', { ids }) : Promise.resolve());

	const done = async (it) => {
		drop(it.key);
		try {
			if (it.kind === 'task') {
				await patch(`/tasks/${it.task_id}`, { status: 'done' });
				await markRead(it.notification_ids);
				toast({
					message: `Done: ${it.title}`,
					action: {
						label: 'Undo',
						run: async () => {
							try {
								await patch(`/tasks/${it.task_id}`, { status: 'open' });
								putBack(it);
								refreshCounts();
							} catch (e) {
								toast({ kind: 'error', message: `Could not reopen “${it.title}”: ${errorText(e)}` });
							}
						},
					},
				});
			} else {
				await markRead(it.notification_ids);
				toast(`Marked read: ${it.title}`);
			}
		} catch (e) {
			putBack(it);
			toast({ kind: 'error', message: `Could not finish “${it.title || it.subject}”: ${errorText(e)}` });
		}
		refreshCounts();
	};

	const snooze = async (it, until) => {
		const [kind, id] = snoozeKind(it);
		drop(it.key);
		try {
			const r = await put(`/today/snoozes/${kind}/${id}`, { until, timezone: dayZone() });
			toast({
				message: `Snoozed until ${untilFmt.format(new Date(r.until))}: ${it.title || it.subject}`,
				action: {
					label: 'Undo',
					run: async () => {
						try {
							await del(`/today/snoozes/${kind}/${id}`);
							putBack(it);
							refreshCounts();
						} catch (e) {
							toast({ kind: 'error', message: `Could not undo the snooze: ${errorText(e)}` });
						}
					},
				},
			});
		} catch (e) {
			putBack(it);
			toast({ kind: 'error', message: `Could not snooze: ${errorText(e)}` });
		}
		refreshCounts();
	};

	const open = (it) => {
		// what the notifications said is now seen
		if (it.notification_ids && it.notification_ids.length) markRead(it.notification_ids).then(refreshCounts, () => {});
		navigate(openHref(it));
	};

	const reply = async (it) => {
		try {
			await replyFromThread(it.thread_id, 'reply');
		} catch (e) {
			toast({ kind: 'error', message: `Could not open the reply: ${errorText(e)}` });
		}
	};

	const data = s.data && withOrder(s.data);
	const items = (data && data.items) || [];
	return (
		<div class="page narrow today-page">
			<header class="page-head">
				<div>
					<h1>Today</h1>
					<p class="subtitle">
						{dayFmt.format(data ? new Date(data.now) : new Date())}
						{data && <> · {summary(data.counts, items)}</>}
					</p>
				</div>
			</header>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="your day" />}
			{data && !items.length && (
				<Empty title="Nothing needs you today.">
					<p>
						Meetings, tasks due, unread mail from your clients and mentions show up here.{' '}
						{data.counts.snoozed > 0 && `${data.counts.snoozed} snoozed item${data.counts.snoozed === 1 ? '' : 's'} will come back later.`}
					</p>
				</Empty>
			)}
			{items.length > 0 && (
				<ul class="today-feed" aria-label="Your day">
					{items.map((it) => (
						<Item key={it.key} it={it} now={new Date(data.now).getTime()} onOpen={open} onReply={reply} onDone={done} onSnooze={snooze} />
					))}
				</ul>
			)}
			<ComposeHost />
		</div>
	);
}

// The feed with each item's place remembered, so that an undo puts it back there.
function withOrder(d) {
	if (d.order) return d;
	const order = {};
	d.items.forEach((x, i) => (order[x.key] = i));
	d.order = order;
	return d;
}

function summary(c, items) {
	const n = (k) => items.filter((x) => kindOf(x) === k).length;
	const parts = [
		[n('meeting'), 'meeting'],
		[n('overdue'), 'overdue task'],
		[n('task'), 'task due today', 'tasks due today'],
		[n('mail'), 'unread conversation'],
		[n('mention'), 'mention'],
		[n('notification'), 'notification'],
	]
		.filter(([k]) => k > 0)
		.map(([k, one, many]) => `${k} ${k === 1 ? one : many || `${one}s`}`);
	if (c.snoozed) parts.push(`${c.snoozed} snoozed`);
	return parts.length ? parts.join(', ') : 'all clear';
}

function openHref(it) {
	if (it.kind === 'mail') return `/mail/threads/${it.thread_id}`;
	if (it.kind === 'meeting') return it.link;
	if (it.kind === 'task') {
		if (it.contact_id) return `/contacts/${it.contact_id}`;
		if (it.deal_id) return `/deals/${it.deal_id}`;
		if (it.company_id) return `/companies/${it.company_id}`;
		return '/tasks';
	}
	return it.link || '/today';
}

function Item({ it, now, onOpen, onReply, onDone, onSnooze }) {
	const kind = kindOf(it);
	const title = it.kind === 'mail' ? it.subject || '(no subject)' : it.title;
	const canReply = !!it.thread_id;
	const canDone = it.kind === 'task' || it.kind === 'mention' || it.kind === 'notification';
	const canSnooze = !!snoozeKind(it) && it.kind !== 'meeting';
	return (
		<li class={`today-item today-${kind}`} data-key={it.key} data-kind={kind}>
			<span class={`today-chip chip-${kind}`}>{KIND_LABEL[kind]}</span>
			<div class="today-body">
				<a
					href={openHref(it)}
					class="today-title"
					onClick={(e) => {
						if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey) return;
						e.preventDefault();
						onOpen(it);
					}}
				>
					{title}
				</a>
				<p class="today-meta">
					<Meta it={it} now={now} />
				</p>
				{it.kind === 'mail' && it.snippet && <p class="today-snippet">{it.snippet}</p>}
				{(it.kind === 'mention' || it.kind === 'notification') && it.body && <p class="today-snippet">{it.body}</p>}
			</div>
			<div class="today-actions" role="group" aria-label={`Actions for “${title}”`}>
				<button type="button" onClick={() => onOpen(it)}>
					Open
				</button>
				{canReply && (
					<button type="button" onClick={() => onReply(it)}>
						Reply
					</button>
				)}
				{canDone && (
					<button type="button" onClick={() => onDone(it)}>
						Done
					</button>
				)}
				{canSnooze && <SnoozeMenu title={title} onSnooze={(until) => onSnooze(it, until)} />}
			</div>
		</li>
	);
}

function Meta({ it, now }) {
	if (it.kind === 'meeting') {
		const s = new Date(it.starts_at);
		const e = new Date(it.ends_at);
		const live = s.getTime() <= now && now < e.getTime();
		return (
			<>
				<span>
					{timeFmt.format(s)}–{timeFmt.format(e)}
				</span>
				{live && <span class="today-now">Now</span>}
				{it.location && <span>{it.location}</span>}
				{it.url && (
					<a href={it.url} target="_blank" rel="noopener noreferrer">
						Join link
					</a>
				)}
			</>
		);
	}
	if (it.kind === 'task') return <TaskMeta it={it} />;
	if (it.kind === 'mail')
		return (
			<>
				<span class="today-from">{(it.from && (it.from.name || it.from.address)) || 'Unknown sender'}</span>
				<span title={formatDateTime(it.date)}>{relativeTime(it.date)}</span>
				{it.unread > 1 && <span>{it.unread} unread</span>}
			</>
		);
	return <span title={formatDateTime(it.created_at)}>{relativeTime(it.created_at)}</span>;
}

function TaskMeta({ it }) {
	const table = it.contact_id ? 'contacts' : it.deal_id ? 'deals' : it.company_id ? 'companies' : null;
	const ref = it.contact_id || it.deal_id || it.company_id;
	const about = useRecordTitle(table, ref);
	return (
		<>
			<span class={it.overdue ? 'late' : ''} title={formatDateTime(it.due_at)}>
				{it.overdue ? `Overdue, was due ${relativeTime(it.due_at)}` : `Due ${timeFmt.format(new Date(it.due_at))}`}
			</span>
			{table && about && <Link href={`/${table}/${ref}`}>{about}</Link>}
		</>
	);
}

const SNOOZES = [
	['later', 'Later today'],
	['tomorrow', 'Tomorrow morning'],
];

function SnoozeMenu({ title, onSnooze }) {
	const [open, setOpen] = useState(false);
	const ref = useRef(null);
	useEffect(() => {
		if (!open) return;
		const away = (e) => ref.current && !ref.current.contains(e.target) && setOpen(false);
		const esc = (e) => e.key === 'Escape' && (setOpen(false), ref.current?.querySelector('button')?.focus());
		document.addEventListener('mousedown', away);
		document.addEventListener('keydown', esc);
		ref.current?.querySelector('[role="menuitem"]')?.focus();
		return () => {
			document.removeEventListener('mousedown', away);
			document.removeEventListener('keydown', esc);
		};
	}, [open]);
	return (
		<div class="today-snooze" ref={ref}>
			<button type="button" aria-haspopup="menu" aria-expanded={open ? 'true' : 'false'} aria-label={`Snooze “${title}”`} onClick={() => setOpen(!open)}>
				Snooze
			</button>
			{open && (
				<div class="menu today-snooze-menu" role="menu" aria-label="Snooze until">
					{SNOOZES.map(([until, label]) => (
						<button type="button" role="menuitem" onClick={() => (setOpen(false), onSnooze(until))}>
							{label}
						</button>
					))}
				</div>
			)}
		</div>
	);
}
