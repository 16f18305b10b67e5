// The meeting dialog: create or edit a meeting or call (times on the wall
// clock of its time zone), its deal and attendees with their RSVP, reminders;
// save, save and send the invitations, cancel, delete, download the .ics.
// The server validates; its error lands next to the field it names and the
// form keeps what was typed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, patch, post } from '../api.js';
import { browserZone, isoToZoned, reminderLabel, validZone, zonedToIso, zoneNames } from '../calendar.js';
import { Link, navigate } from '../router.js';
import { Badge, Field, FormError, Modal } from '../ui.jsx';
import { contactName, errorText, formatDateTime, label, relativeTime, toast, useRecordTitle, userName, useUsers } from '../util.js';

const REMINDERS = [10, 15, 60, 1440];
const FIELDS = {
	title: 'title',
	kind: 'kind',
	starts_at: 'startDate',
	ends_at: 'endTime',
	timezone: 'timezone',
	location: 'location',
	url: 'url',
	description: 'description',
	deal_id: 'deal',
	attendees: 'attendees',
	reminders: 'reminders',
};

function fieldOf(f) {
	if (!f) return null;
	return FIELDS[f.replace(/[[.].*$/, '')] || null;
}

// The form's draft from a meeting, or from defaults for a new one:
// { start, end (Date), title, contact_id, contact_label, deal_id, deal_label }.
function draftOf(m, d) {
	if (m) {
		const s = isoToZoned(m.starts_at, validZone(m.timezone) ? m.timezone : 'UTC');
		const e = isoToZoned(m.ends_at, validZone(m.timezone) ? m.timezone : 'UTC');
		return {
			title: m.title,
			kind: m.kind,
			startDate: s.date,
			startTime: s.time,
			endDate: e.date,
			endTime: e.time,
			timezone: m.timezone,
			location: m.location || '',
			url: m.url || '',
			description: m.description || '',
			deal_id: m.deal_id,
			attendees: m.attendees.map((a) => ({ ...a })),
			reminders: [...m.reminders],
		};
	}
	const tz = browserZone();
	const s = isoToZoned(d.start.toISOString(), tz);
	const e = isoToZoned(d.end.toISOString(), tz);
	const attendees = [];
	if (d.contact_id) attendees.push({ contact_id: d.contact_id, status: 'needs-action', label: d.contact_label });
	return {
		title: d.title || '',
		kind: 'meeting',
		startDate: s.date,
		startTime: s.time,
		endDate: e.date,
		endTime: e.time,
		timezone: tz,
		location: '',
		url: '',
		description: '',
		deal_id: d.deal_id || null,
		dealLabel: d.deal_label || '',
		attendees,
		reminders: [15],
	};
}

const bare = (a) => {
	const o = {};
	for (const k of ['user_id', 'contact_id', 'email', 'name', 'status']) if (a[k] !== undefined && a[k] !== null && a[k] !== '') o[k] = a[k];
	return o;
};

// The API body from the draft; throws { [field]: message } for what the browser can tell.
function bodyOf(f) {
	const errs = {};
	if (!f.title.trim()) errs.title = 'Give the meeting a title.';
	let tz = f.timezone.trim();
	if (!tz) errs.timezone = 'Choose a time zone, such as Europe/Paris or UTC.';
	else if (!validZone(tz)) errs.timezone = `“${tz}” is not a time zone this browser knows: try a name such as Europe/Paris or UTC.`;
	let starts_at = null;
	let ends_at = null;
	if (!errs.timezone) {
		starts_at = zonedToIso(f.startDate, f.startTime, tz);
		ends_at = zonedToIso(f.endDate, f.endTime, tz);
		if (!starts_at) errs.startDate = 'Choose the start date and time.';
		if (!ends_at) errs.endTime = 'Choose the end date and time.';
		else if (starts_at && ends_at < starts_at) errs.endTime = 'The meeting ends before it starts.';
	}
	if (Object.keys(errs).length) throw errs;
	return {
		title: f.title.trim(),
		kind: f.kind,
		starts_at,
		ends_at,
		timezone: tz,
		location: f.location.trim() || null,
		url: f.url.trim() || null,
		description: f.description.trim() || null,
		deal_id: f.deal_id || null,
		attendees: f.attendees.map(bare),
		reminders: [...f.reminders].sort((a, b) => b - a),
	};
}

// Only what changed, so an unchanged meeting sends no update to attendees.
function changes(body, m) {
	const out = {};
	for (const [k, v] of Object.entries(body)) {
		const was = k === 'attendees' ? m.attendees.map(bare) : k === 'reminders' ? [...m.reminders].sort((a, b) => b - a) : m[k];
		if (JSON.stringify(v) !== JSON.stringify(was === undefined ? null : was)) out[k] = v;
	}
	return out;
}

// The dialog. meeting: the record to edit, or null with defaults for a new one.
// onChanged(meeting) after each save; onChanged(null) after a delete.
export function MeetingDialog({ meeting, defaults, onClose, onChanged, showInCalendar }) {
	const [m, setM] = useState(meeting);
	return (
		<Modal title={m ? (m.kind === 'call' ? 'Call' : 'Meeting') : 'New meeting'} onClose={onClose}>
			<MeetingForm
				m={m}
				defaults={defaults}
				showInCalendar={showInCalendar}
				onSaved={(x) => (setM(x), onChanged && onChanged(x))}
				onDeleted={() => (onChanged && onChanged(null), onClose())}
				onClose={onClose}
			/>
		</Modal>
	);
}

function MeetingForm({ m, defaults, onSaved, onDeleted, onClose, showInCalendar }) {
	const [f, setF] = useState(() => draftOf(m, defaults));
	const [errors, setErrors] = useState({});
	const [formError, setFormError] = useState(null);
	const [sendError, setSendError] = useState(null);
	const [busy, setBusy] = useState(null);
	const [confirm, setConfirm] = useState(null); /* 'cancel' | 'delete' */
	const zones = useRef(null);
	const formRef = useRef(null);
	if (!zones.current) zones.current = zoneNames();

	useEffect(() => {
		formRef.current?.querySelector('input')?.focus();
	}, []);
	useEffect(() => {
		if (sendError || formError) formRef.current?.querySelector('.form-error')?.scrollIntoView({ block: 'nearest' });
	}, [sendError, formError]);

	const set = (name, v) => {
		setF((x) => {
			const n = { ...x, [name]: v };
			// Moving the start moves the end too (same length).
			if ((name === 'startDate' || name === 'startTime') && validZone(x.timezone)) {
				const s0 = zonedToIso(x.startDate, x.startTime, x.timezone);
				const e0 = zonedToIso(x.endDate, x.endTime, x.timezone);
				const s1 = zonedToIso(n.startDate, n.startTime, x.timezone);
				if (s0 && e0 && s1 && e0 >= s0) {
					const e1 = isoToZoned(new Date(new Date(s1).getTime() + (new Date(e0) - new Date(s0))).toISOString(), x.timezone);
					n.endDate = e1.date;
					n.endTime = e1.time;
				}
			}
			return n;
		});
		const key = name === 'startTime' ? 'startDate' : name === 'endDate' ? 'endTime' : name;
		if (errors[key]) setErrors((e) => ({ ...e, [key]: null }));
	};
	const onInput = (name) => (e) => set(name, e.currentTarget.value);

	const showError = (err) => {
		const name = fieldOf(err.field);
		if (name) {
			setErrors({ [name]: err.message });
			formRef.current?.querySelector(`#mt-${name}`)?.focus();
		} else setFormError(err);
	};

	const save = async (invite) => {
		setFormError(null);
		setSendError(null);
		let body;
		try {
			body = bodyOf(f);
		} catch (errs) {
			setErrors(errs);
			const first = Object.keys(errs)[0];
			formRef.current?.querySelector(`#mt-${first}`)?.focus();
			return;
		}
		setErrors({});
		setBusy(invite ? 'invite' : 'save');
		let saved = m;
		try {
			if (!m) saved = await post('/meetings', body);
			else {
				const diff = changes(body, m);
				if (Object.keys(diff).length) saved = await patch(`/meetings/${m.id}`, diff);
			}
		} catch (err) {
			setBusy(null);
			return showError(err);
		}
		if (saved !== m) onSaved(saved);
		const action = showInCalendar ? { label: 'Show in the calendar', run: () => navigate(`/calendar?meeting=${saved.id}`) } : undefined;
		if (!invite) {
			setBusy(null);
			toast({ message: m ? 'Meeting saved' : 'Meeting created', action });
			return onClose();
		}
		try {
			const r = await post(`/meetings/${saved.id}/invite`);
			toast({ message: `Invitations sent to ${r.recipients.join(', ')}`, action });
			onSaved(await get(`/meetings/${saved.id}`).catch(() => saved));
			setBusy(null);
			onClose();
		} catch (err) {
			setBusy(null);
			if (fieldOf(err.field) === 'attendees') setErrors({ attendees: err.message });
			else setSendError(err);
		}
	};

	const cancelMeeting = async () => {
		setBusy('cancel');
		try {
			onSaved(await patch(`/meetings/${m.id}`, { status: 'cancelled' }));
			toast(m.invited_at ? 'Meeting cancelled: the attendees get a cancellation.' : 'Meeting cancelled');
			onClose();
		} catch (err) {
			setFormError(err);
			setBusy(null);
		}
	};

	const restore = async () => {
		setBusy('restore');
		try {
			onSaved(await patch(`/meetings/${m.id}`, { status: 'scheduled' }));
			toast('Meeting restored');
		} catch (err) {
			setFormError(err);
		} finally {
			setBusy(null);
		}
	};

	const remove = async () => {
		setBusy('delete');
		try {
			await del(`/meetings/${m.id}`);
			toast(m.invited_at ? 'Meeting deleted: the attendees get a cancellation.' : 'Meeting deleted');
			onDeleted();
		} catch (err) {
			setFormError(err);
			setBusy(null);
		}
	};

	const cancelled = m && m.status === 'cancelled';
	const zoneNote = f.timezone && f.timezone !== browserZone() && validZone(f.timezone) ? localNote(f) : null;
	return (
		<form
			class="meeting-form"
			ref={formRef}
			noValidate
			onSubmit={(e) => {
				e.preventDefault();
				save(false);
			}}
		>
			{m && <MeetingStatus m={m} />}
			<Field id="mt-title" label="Title" error={errors.title}>
				<input type="text" value={f.title} onInput={onInput('title')} />
			</Field>
			<fieldset class="mt-kind" aria-describedby={errors.kind ? 'mt-kind-error' : undefined}>
				<legend>Kind</legend>
				{['meeting', 'call'].map((k) => (
					<label class="check">
						<input type="radio" name="mt-kind" value={k} checked={f.kind === k} onChange={() => set('kind', k)} />
						{label(k)}
					</label>
				))}
				{errors.kind && (
					<p class="field-error" id="mt-kind-error">
						{errors.kind}
					</p>
				)}
			</fieldset>
			<div class="mt-times">
				<Field id="mt-startDate" label="Start date" error={errors.startDate}>
					<input type="date" value={f.startDate} onInput={onInput('startDate')} />
				</Field>
				<Field id="mt-startTime" label="Start time">
					<input type="time" value={f.startTime} onInput={onInput('startTime')} />
				</Field>
				<Field id="mt-endDate" label="End date">
					<input type="date" value={f.endDate} onInput={onInput('endDate')} />
				</Field>
				<Field id="mt-endTime" label="End time" error={errors.endTime}>
					<input type="time" value={f.endTime} onInput={onInput('endTime')} />
				</Field>
			</div>
			<Field id="mt-timezone" label="Time zone" error={errors.timezone} hint={zoneNote || 'The times above are in this zone; invitations are written in it.'}>
				<input type="text" list="mt-zones" autocomplete="off" value={f.timezone} onInput={onInput('timezone')} />
			</Field>
			<datalist id="mt-zones">
				{zones.current.map((z) => (
					<option value={z} />
				))}
			</datalist>
			<Field id="mt-location" label="Location" error={errors.location}>
				<input type="text" value={f.location} onInput={onInput('location')} />
			</Field>
			<Field id="mt-url" label="Video link" error={errors.url} hint="An https:// link to the call, if any.">
				<input type="url" value={f.url} onInput={onInput('url')} placeholder="https://" />
			</Field>
			<DealPicker f={f} set={set} error={errors.deal} />
			<Attendees f={f} set={set} error={errors.attendees} />
			<fieldset class="mt-reminders" aria-describedby={errors.reminders ? 'mt-reminders-error' : undefined}>
				<legend>Remind me</legend>
				{[...new Set([...REMINDERS, ...f.reminders])]
					.sort((a, b) => a - b)
					.map((min) => (
						<label class="check">
							<input
								type="checkbox"
								checked={f.reminders.includes(min)}
								onChange={(e) => set('reminders', e.currentTarget.checked ? [...f.reminders, min] : f.reminders.filter((x) => x !== min))}
							/>
							{reminderLabel(min)}
						</label>
					))}
				{errors.reminders && (
					<p class="field-error" id="mt-reminders-error">
						{errors.reminders}
					</p>
				)}
			</fieldset>
			<Field id="mt-description" label="Description" error={errors.description}>
				<textarea rows={3} value={f.description} onInput={onInput('description')} />
			</Field>
			<FormError error={formError} />
			{sendError && (
				<div class="form-error mt-send-error" role="alert">
					<p>The meeting is saved, but the invitations were not sent: {errorText(sendError)}</p>
					{/mailbox/i.test(sendError.message) && (
						<p>
							<Link href="/settings">Connect a mailbox in Settings</Link>, then send again.
						</p>
					)}
				</div>
			)}
			{confirm ? (
				<Confirm what={confirm} m={m} busy={busy} onYes={confirm === 'cancel' ? cancelMeeting : remove} onNo={() => setConfirm(null)} />
			) : (
				<div class="form-actions mt-actions">
					<button type="submit" class="primary" disabled={!!busy} aria-busy={busy === 'save' ? 'true' : undefined}>
						{busy === 'save' ? 'Saving…' : 'Save'}
					</button>
					{!cancelled && (
						<button type="button" disabled={!!busy} aria-busy={busy === 'invite' ? 'true' : undefined} onClick={() => save(true)}>
							{busy === 'invite' ? 'Sending…' : m && m.invited_at ? 'Save and send invitations again' : 'Save and send invitations'}
						</button>
					)}
					{m && (
						<span class="mt-more">
							<a class="button" href={`/api/v1/meetings/${m.id}/ics`} download={`meeting-${m.id}.ics`}>
								Download .ics
							</a>
							{cancelled ? (
								<button type="button" disabled={!!busy} onClick={restore}>
									Restore
								</button>
							) : (
								<button type="button" disabled={!!busy} onClick={() => setConfirm('cancel')}>
									Cancel meeting
								</button>
							)}
							<button type="button" class="danger" disabled={!!busy} onClick={() => setConfirm('delete')}>
								Delete
							</button>
						</span>
					)}
				</div>
			)}
		</form>
	);
}

function localNote(f) {
	const iso = zonedToIso(f.startDate, f.startTime, f.timezone);
	if (!iso) return null;
	return `That is ${formatDateTime(iso)} in your time zone (${browserZone()}).`;
}

function MeetingStatus({ m }) {
	return (
		<p class="mt-status">
			{m.status === 'cancelled' ? <Badge kind="cancelled">Cancelled</Badge> : <Badge kind="scheduled">Scheduled</Badge>}{' '}
			<span class="muted">
				{m.invited_at
					? `Invitations sent ${relativeTime(m.invited_at)}; attendees get changes by mail.`
					: 'No invitations sent yet.'}
			</span>
		</p>
	);
}

function Confirm({ what, m, busy, onYes, onNo }) {
	const told = m.invited_at
		? 'The attendees were invited, so each of them gets a cancellation by mail.'
		: 'No invitations were sent, so nobody is told.';
	return (
		<div class="mt-confirm" role="group" aria-label={what === 'cancel' ? 'Confirm cancelling' : 'Confirm deleting'}>
			<p>
				{what === 'cancel' ? 'Cancel this meeting? It stays in the calendar, struck through. ' : 'Delete this meeting for good? '}
				{told}
			</p>
			<div class="form-actions">
				<button type="button" class="danger" disabled={!!busy} onClick={onYes}>
					{busy ? 'Working…' : what === 'cancel' ? 'Yes, cancel the meeting' : 'Yes, delete it'}
				</button>
				<button type="button" disabled={!!busy} onClick={onNo}>
					{what === 'cancel' ? 'Keep it' : 'Do not delete'}
				</button>
			</div>
		</div>
	);
}

// A combobox with suggestions: search(q) gives [{ key, label, detail, value }].
function Combo({ id, label: text, placeholder, search, onPick, error }) {
	const [q, setQ] = useState('');
	const [options, setOptions] = useState([]);
	const [active, setActive] = useState(0);
	const [open, setOpen] = useState(false);
	const seq = useRef(0);

	useEffect(() => {
		if (!open || !q.trim()) return setOptions([]);
		const n = ++seq.current;
		const t = setTimeout(async () => {
			try {
				const list = await search(q.trim());
				if (n === seq.current) (setOptions(list.slice(0, 8)), setActive(0));
			} catch {
				if (n === seq.current) setOptions([]);
			}
		}, 200);
		return () => clearTimeout(t);
	}, [q, open]);

	const pick = (o) => {
		onPick(o.value);
		setQ('');
		setOptions([]);
	};
	const keydown = (e) => {
		if (e.key === 'Enter') e.preventDefault(); /* never submit the form from here */
		if (!options.length) return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			e.preventDefault();
			setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + options.length) % options.length);
		} else if (e.key === 'Enter') pick(options[active]);
		else if (e.key === 'Escape') {
			e.preventDefault();
			e.stopPropagation();
			setOptions([]);
		}
	};
	const shown = open && options.length > 0;
	return (
		<div class={`field${error ? ' field-invalid' : ''}`}>
			<label for={id}>{text}</label>
			<div class="combo">
				<input
					id={id}
					type="text"
					role="combobox"
					autocomplete="off"
					placeholder={placeholder}
					aria-autocomplete="list"
					aria-expanded={shown ? 'true' : 'false'}
					aria-controls={`${id}-list`}
					aria-activedescendant={shown ? `${id}-opt-${active}` : undefined}
					aria-invalid={error ? 'true' : undefined}
					aria-describedby={error ? `${id}-error` : undefined}
					value={q}
					onInput={(e) => (setOpen(true), setQ(e.currentTarget.value))}
					onKeyDown={keydown}
					onFocus={() => setOpen(true)}
					onBlur={() => setTimeout(() => setOpen(false), 150)}
				/>
				{shown && (
					<ul class="combo-list" role="listbox" id={`${id}-list`} aria-label={`${text} suggestions`}>
						{options.map((o, i) => (
							<li id={`${id}-opt-${i}`} role="option" aria-selected={i === active ? 'true' : 'false'} onMouseDown={(e) => (e.preventDefault(), pick(o))}>
								{o.label} {o.detail && <span class="muted">{o.detail}</span>}
							</li>
						))}
					</ul>
				)}
			</div>
			{error && (
				<p class="field-error" id={`${id}-error`}>
					{error}
				</p>
			)}
		</div>
	);
}

function DealPicker({ f, set, error }) {
	const title = useRecordTitle('deals', f.dealLabel ? null : f.deal_id);
	const search = async (q) => (await get('/deals', { q, limit: 8 })).items.map((d) => ({ label: d.title, value: d }));
	if (f.deal_id)
		return (
			<div class={`field${error ? ' field-invalid' : ''}`}>
				<span class="field-label" id="mt-deal-label">
					Deal
				</span>
				<p class="mt-picked" aria-labelledby="mt-deal-label">
					<Link href={`/deals/${f.deal_id}`}>{f.dealLabel || title || `Deal ${f.deal_id}`}</Link>{' '}
					<button type="button" class="link-button" id="mt-deal" onClick={() => (set('deal_id', null), set('dealLabel', ''))}>
						Remove the deal
					</button>
				</p>
				{error && <p class="field-error">{error}</p>}
			</div>
		);
	return <Combo id="mt-deal" label="Deal" placeholder="Search deals" search={search} onPick={(d) => (set('deal_id', d.id), set('dealLabel', d.title))} error={error} />;
}

const EMAIL_RE = /^\s*(?:"?([^"<]*?)"?\s*<)?([^\s<>@]+@[^\s<>@]+\.?[^\s<>@]*)>?\s*$/;

function Attendees({ f, set, error }) {
	const users = useUsers();
	const search = async (q) => {
		const opts = [];
		const lq = q.toLowerCase();
		const m = EMAIL_RE.exec(q);
		for (const u of users)
			if (u.name.toLowerCase().includes(lq) || u.email.toLowerCase().includes(lq))
				opts.push({ label: u.name, detail: `user · ${u.email}`, value: { user_id: u.id, status: 'needs-action' } });
		const r = await get('/contacts', { q, limit: 6 });
		for (const c of r.items)
			opts.push({
				label: contactName(c),
				detail: `contact${c.emails[0] ? ` · ${c.emails[0]}` : ' · no email address'}`,
				value: { contact_id: c.id, status: 'needs-action', label: contactName(c) },
			});
		if (m) opts.push({ label: `Invite ${m[2]}`, detail: m[1] ? m[1] : 'by email address', value: { email: m[2].toLowerCase(), name: m[1] || undefined, status: 'needs-action' } });
		return opts;
	};
	const same = (a, b) =>
		(a.user_id && a.user_id === b.user_id) || (a.contact_id && a.contact_id === b.contact_id) || (a.email && a.email === b.email);
	const add = (a) => {
		if (f.attendees.some((x) => same(x, a))) return toast(`${a.label || a.email || 'They'} ${a.label ? 'is' : 'are'} already invited.`);
		set('attendees', [...f.attendees, a]);
	};
	return (
		<fieldset class="mt-attendees">
			<legend>Attendees</legend>
			{f.attendees.length ? (
				<ul class="attendee-list" aria-label="Attendees">
					{f.attendees.map((a, i) => (
						<AttendeeRow
							a={a}
							users={users}
							onStatus={(status) => set('attendees', f.attendees.map((x, j) => (j === i ? { ...x, status } : x)))}
							onRemove={() => set('attendees', f.attendees.filter((_, j) => j !== i))}
						/>
					))}
				</ul>
			) : (
				<p class="muted">Nobody yet: add contacts, colleagues or any email address below.</p>
			)}
			<Combo id="mt-attendees" label="Add attendee" placeholder="Name or email address" search={search} onPick={add} error={error} />
		</fieldset>
	);
}

const RSVPS = ['needs-action', 'accepted', 'tentative', 'declined'];

function AttendeeRow({ a, users, onStatus, onRemove }) {
	const contact = useRecordTitle('contacts', a.label ? null : a.contact_id);
	const name = a.user_id ? userName(users, a.user_id) : a.contact_id ? a.label || contact || `Contact ${a.contact_id}` : a.name ? `${a.name} <${a.email}>` : a.email;
	const kind = a.user_id ? 'colleague' : a.contact_id ? 'contact' : 'guest';
	return (
		<li class="attendee" data-status={a.status}>
			<span class="attendee-name">
				{a.contact_id ? <Link href={`/contacts/${a.contact_id}`}>{name}</Link> : name} <span class="muted">{kind}</span>
			</span>
			<span class="attendee-rsvp" aria-label={`RSVP: ${label(a.status)}`}>
				<Badge kind={`rsvp-${a.status}`}>{label(a.status)}</Badge>
			</span>
			<select class="attendee-set" aria-label={`Set the answer of ${name} by hand`} value={a.status} onChange={(e) => onStatus(e.currentTarget.value)}>
				{RSVPS.map((x) => (
					<option value={x}>{label(x)}</option>
				))}
			</select>
			<button type="button" class="link-button" onClick={onRemove} aria-label={`Remove ${name}`}>
				Remove
			</button>
		</li>
	);
}

// "Schedule meeting" on a contact's or deal's card: the dialog, prefilled.
export function ScheduleMeeting({ contact, deal, title, onSaved }) {
	const [open, setOpen] = useState(null);
	const start = () => {
		const n = new Date();
		const s = new Date(n.getFullYear(), n.getMonth(), n.getDate(), n.getHours() + 1);
		const d = { start: s, end: new Date(s.getTime() + 3600000), title };
		if (contact) Object.assign(d, { contact_id: contact.id, contact_label: contactName(contact) });
		if (deal) Object.assign(d, { deal_id: deal.id, deal_label: deal.title, contact_id: deal.contact_id || null });
		setOpen(d);
	};
	return (
		<>
			<button type="button" onClick={start}>
				Schedule meeting
			</button>
			{open && <MeetingDialog meeting={null} defaults={open} showInCalendar onClose={() => setOpen(null)} onChanged={onSaved} />}
		</>
	);
}
