// The one timeline of a contact, company or deal: every interaction (mail,
// calls, chats, meetings, notes, tasks, orders, system events) newest first,
// filterable by kind, paged with "Load more"; and the box that adds a note or
// a task to it.
import { useEffect, useState } from 'preact/hooks';
import { get, post } from './api.js';
import { Link } from './router.js';
import './styles/attrib.css';
import { RecordPicker } from './picker.jsx';
import { Empty, ErrorBox, Field, FormError, Loading, Submit, Tabs } from './ui.jsx';
import { MentionInput, resolveMentions } from './mention_input.jsx';
import { formatDateTime, localToIso, relativeTime, toast, userName, useUsers } from './util.js';

const KINDS = [
	{ id: '', label: 'All' },
	{ id: 'email', label: 'Mail', icon: '✉' },
	{ id: 'call', label: 'Calls', icon: '☎' },
	{ id: 'chat', label: 'Chats', icon: '❞' },
	{ id: 'meeting', label: 'Meetings', icon: '◷' },
	{ id: 'note', label: 'Notes', icon: '✎' },
	{ id: 'task', label: 'Tasks', icon: '☑' },
	{ id: 'sms', label: 'SMS', icon: '✆' },
	{ id: 'order', label: 'Orders', icon: '¤' },
	{ id: 'system', label: 'Changes', icon: '⚙' },
];

const PAGE = 20;

// table: 'contacts' | 'companies' | 'deals'; version: bump to reload.
export function Timeline({ table, id, version }) {
	const [kind, setKind] = useState('');
	const [items, setItems] = useState(null);
	const [cursor, setCursor] = useState(null);
	const [error, setError] = useState(null);
	const [more, setMore] = useState(false);
	const users = useUsers();

	const load = async (append, from) => {
		setError(null);
		if (append) setMore(true);
		try {
			const page = await get(`/${table}/${id}/timeline`, { kind, limit: PAGE, cursor: from });
			setItems((old) => (append ? [...(old || []), ...page.items] : page.items));
			setCursor(page.next_cursor);
		} catch (e) {
			setError(e);
		} finally {
			setMore(false);
		}
	};

	useEffect(() => {
		setItems(null);
		load(false);
	}, [table, id, kind, version]);

	const chosen = KINDS.find((k) => k.id === kind);
	return (
		<section class="timeline" aria-labelledby={`tl-${table}-${id}`}>
			<h2 id={`tl-${table}-${id}`}>Timeline</h2>
			<div class="chips" role="group" aria-label="Show only">
				{KINDS.map((k) => (
					<button
						type="button"
						class="chip"
						aria-pressed={kind === k.id ? 'true' : 'false'}
						onClick={() => setKind(k.id)}
					>
						{k.label}
					</button>
				))}
			</div>
			{error && <ErrorBox error={error} retry={() => load(false)} />}
			{!items && !error && <Loading what="the timeline" />}
			{items && !items.length && !error && (
				<Empty title={kind ? `No ${chosen.label.toLowerCase()} here yet.` : 'Nothing on this timeline yet.'}>
					{kind ? (
						<p>
							<button type="button" class="link-button" onClick={() => setKind('')}>
								Show everything
							</button>
						</p>
					) : (
						<p>Add a note or a task above. Mail, calls, chats and meetings appear here as they happen.</p>
					)}
				</Empty>
			)}
			{items && items.length > 0 && (
				<ol class="tl-list" aria-label={`${chosen.label} on the timeline, newest first`}>
					{items.map((a) => (
						<TimelineItem key={a.id} a={a} users={users} />
					))}
				</ol>
			)}
			{cursor && (
				<button type="button" class="load-more" disabled={more} onClick={() => load(true, cursor)}>
					{more ? 'Loading…' : 'Load more'}
				</button>
			)}
		</section>
	);
}

// Where an entry leads: the mail thread, the task, the meeting (else nowhere).
const OPENS = {
	message: (a) => a.mail && a.mail.thread_id && `/mail/threads/${a.mail.thread_id}`,
	task: (a) => `/tasks/${a.source_id}`,
	meeting: (a) => `/calendar?meeting=${a.source_id}`,
};

// Who the entry is from: a mail's sender (for mail sent, who sent it, or
// Parley for a rule's mail), else the user who did it.
function whoOf(a, users) {
	const p = a.payload || {};
	if (a.kind === 'email' && a.direction === 'inbound' && a.mail) return a.mail.from_name || a.mail.from || null;
	if (p.automated) return 'Parley';
	return a.actor_id ? userName(users, a.actor_id) : null;
}

function TimelineItem({ a, users }) {
	const k = KINDS.find((x) => x.id === a.kind) || { label: a.kind, icon: '•' };
	const p = a.payload || {};
	const text = (a.kind === 'note' && p.body ? p.body : a.summary) || '(no summary)';
	const open = OPENS[a.source_entity] && OPENS[a.source_entity](a);
	const who = whoOf(a, users);
	const snippet = a.mail && a.mail.snippet;
	return (
		<li class={`tl-item tl-${a.kind}`} data-kind={a.kind}>
			<span class="tl-icon" aria-hidden="true">
				{k.icon}
			</span>
			<div class="tl-body">
				<div class="tl-head">
					<span class="tl-kind">{kindName(a.kind)}</span>
					{a.direction && a.direction !== 'internal' && <span class="tl-dir">{a.direction}</span>}
					{a.kind === 'task' && p.status && <span class={`badge badge-${p.status}`}>{p.status}</span>}
					{p.comment_id && <span class="badge">Internal comment</span>}
					<time datetime={a.occurred_at} title={formatDateTime(a.occurred_at)}>
						{relativeTime(a.occurred_at)}
					</time>
					{who && <span class="tl-actor">{who}</span>}
				</div>
				<p class="tl-text">
					{open ? (
						<Link href={open} class="tl-open">
							{text}
						</Link>
					) : (
						text
					)}
				</p>
				{snippet && <p class="tl-snippet">{snippet}</p>}
				{a.kind === 'task' && p.due_at && <p class="tl-meta">Due {formatDateTime(p.due_at)}</p>}
			</div>
		</li>
	);
}

function kindName(kind) {
	return (
		{ email: 'Mail', call: 'Call', chat: 'Chat', meeting: 'Meeting', note: 'Note', task: 'Task', sms: 'SMS', order: 'Order', system: 'Change' }[kind] ||
		kind
	);
}

const FK = { contacts: 'contact_id', companies: 'company_id', deals: 'deal_id' };

// Adds a note or a task about record id of table; onAdded() after success.
export function Composer({ table, id, onAdded, me }) {
	const [tab, setTab] = useState('note');
	return (
		<section class="composer" aria-label="Add to the timeline">
			<Tabs
				label="Add"
				value={tab}
				onChange={setTab}
				tabs={[
					{ id: 'note', label: 'Note' },
					{ id: 'task', label: 'Task' },
				]}
			/>
			<div role="tabpanel">
				{tab === 'note' ? (
					<NoteForm table={table} id={id} onAdded={onAdded} me={me} />
				) : (
					<TaskForm fk={FK[table]} id={id} onAdded={onAdded} me={me} />
				)}
			</div>
		</section>
	);
}

function NoteForm({ table, id, onAdded, me }) {
	const users = useUsers();
	const [body, setBody] = useState('');
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		if (!body.trim()) return setError({ field: 'body', message: 'Write the note first.' });
		setBusy(true);
		setError(null);
		try {
			await post('/notes', { body, [FK[table]]: Number(id), mention_ids: resolveMentions(body, users).ids });
			setBody('');
			toast('Note added');
			onAdded();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<form onSubmit={submit} class="composer-form" noValidate>
			<FormError error={error && error.field !== 'body' ? error : null} />
			<Field id={`note-${table}-${id}`} label="Note" error={error && error.field === 'body' ? error.message : null}>
				<MentionInput rows={3} value={body} me={me} placeholder="What happened, what was agreed… (@name tells a colleague)" onValue={setBody} />
			</Field>
			<Submit busy={busy} busyText="Adding…">
				Add note
			</Submit>
		</form>
	);
}

// A new task: what, when, for whom (me unless chosen), and, when it is not
// added from a record's card (fk), the contact and the deal it is about.
export function TaskForm({ fk, id, onAdded, me }) {
	const users = useUsers();
	const [title, setTitle] = useState('');
	const [due, setDue] = useState('');
	const [assignee, setAssignee] = useState(me ? String(me) : '');
	const [contact, setContact] = useState('');
	const [deal, setDeal] = useState('');
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		if (!title.trim()) return setError({ field: 'title', message: 'Say what needs doing.' });
		setBusy(true);
		setError(null);
		try {
			const body = { title, assignee_id: assignee ? Number(assignee) : null };
			if (fk) body[fk] = Number(id);
			if (!fk && contact) body.contact_id = Number(contact);
			if (!fk && deal) body.deal_id = Number(deal);
			if (due) body.due_at = localToIso(due);
			await post('/tasks', body);
			setTitle('');
			setDue('');
			setContact('');
			setDeal('');
			toast('Task added');
			onAdded();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	const fields = ['title', 'due_at', 'assignee_id', 'contact_id', 'deal_id'];
	const fe = (name) => (error && error.field === name ? error.message : null);
	const key = `${fk}-${id}`;
	return (
		<form onSubmit={submit} class="composer-form task-form" noValidate>
			<FormError error={error && !fields.includes(error.field) ? error : null} />
			<Field id={`task-title-${key}`} label="Task" error={fe('title')}>
				<input type="text" value={title} placeholder="Call back about the proposal" onInput={(e) => setTitle(e.currentTarget.value)} />
			</Field>
			<Field id={`task-due-${key}`} label="Due" error={fe('due_at')}>
				<input type="datetime-local" value={due} onInput={(e) => setDue(e.currentTarget.value)} />
			</Field>
			<Field id={`task-assignee-${key}`} label="Assignee" error={fe('assignee_id')}>
				<select value={assignee} onChange={(e) => setAssignee(e.currentTarget.value)}>
					<option value="">Nobody</option>
					{users.map((u) => (
						<option value={String(u.id)}>{u.name}</option>
					))}
				</select>
			</Field>
			{!fk && (
				<Field id={`task-contact-${key}`} label="Contact" error={fe('contact_id')}>
					<RecordPicker table="contacts" name="contact_id" value={contact} onChange={setContact} />
				</Field>
			)}
			{!fk && (
				<Field id={`task-deal-${key}`} label="Deal" error={fe('deal_id')}>
					<RecordPicker table="deals" name="deal_id" value={deal} onChange={setDeal} />
				</Field>
			)}
			<Submit busy={busy} busyText="Adding…">
				Add task
			</Submit>
		</form>
	);
}
