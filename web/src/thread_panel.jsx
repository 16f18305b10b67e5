// The conversation side panel beside a mail thread: who the correspondent is
// (their contact and company, or a form to create the contact from the
// sender), their open deals ("Link to deal", "New deal"), their recent
// activity, and "Follow up", which makes a task linked to the thread and the
// contact. Everything goes through the public API.
import { useEffect, useState } from 'preact/hooks';
import { api, get, post } from './api.js';
import { Link } from './router.js';
import { Field, FormError, Loading, Modal, Submit } from './ui.jsx';
import { contactName, errorText, formatDate, recordTitle, relativeTime, rememberRecord, toast, useRecordTitle } from './util.js';
import './styles/panel.css';

// The other party: the sender of the first inbound message, else whom the
// first outbound message went to.
export function correspondent(thread) {
	const msgs = thread.messages || [];
	const inbound = msgs.find((m) => m.direction === 'inbound' && m.from && m.from.address);
	if (inbound) return inbound.from;
	const out = msgs.find((m) => (m.to || []).length);
	return out ? out.to[0] : null;
}

// "Ada Lovelace" -> {first_name: "Ada", last_name: "Lovelace"}; no name: the
// address's local part as the first name.
export function splitName(a) {
	const name = (a.name || '').trim();
	if (!name || name === a.address) return { first_name: a.address.split('@')[0], last_name: '' };
	const at = name.lastIndexOf(' ');
	return at < 0 ? { first_name: name, last_name: '' } : { first_name: name.slice(0, at), last_name: name.slice(at + 1) };
}

// 09:00 local time, n days after today (the harness may shift the clock: the
// browser's Date is what the user sees, so it is what counts here).
function dayAt9(days, from = new Date()) {
	const d = new Date(from.getFullYear(), from.getMonth(), from.getDate() + days, 9, 0, 0);
	return d;
}

export function followUpChoices(now = new Date()) {
	const toMonday = ((8 - now.getDay()) % 7) || 7; /* the Monday after this week's */
	return [
		{ id: 'tomorrow', label: 'Tomorrow', at: dayAt9(1, now) },
		{ id: '3days', label: 'In 3 days', at: dayAt9(3, now) },
		{ id: 'nextweek', label: 'Next week', at: dayAt9(toMonday, now) },
	];
}

// Adds record `key: id` to the links of every message of the thread the user
// sees, in one request (a conversation is linked as a whole).
const linkThread = (thread, key, id) => api('PUT', `/mail/threads/${thread.id}/links`, { [key]: [id], add: true });

export function ThreadPanel({ thread, me, onChanged }) {
	const who = correspondent(thread);
	const linked = thread.links || { contact_ids: [], company_ids: [], deal_ids: [] };
	const [contact, setContact] = useState(undefined); /* undefined: loading; null: none */
	const [version, setVersion] = useState(0);
	const refresh = () => (setVersion((v) => v + 1), onChanged && onChanged());

	useEffect(() => {
		let live = true;
		(async () => {
			try {
				if (linked.contact_ids.length) return live && setContact(await get(`/contacts/${linked.contact_ids[0]}`));
				if (!who) return live && setContact(null);
				const r = await get('/contacts', { email: who.address.toLowerCase(), limit: 1 });
				live && setContact(r.items[0] || null);
			} catch {
				live && setContact(null);
			}
		})();
		return () => (live = false);
	}, [thread.id, linked.contact_ids.join(','), who && who.address, version]);

	return (
		<aside class="thread-panel" aria-label="About this conversation">
			<section class="panel-section" aria-labelledby="panel-who">
				<h2 id="panel-who">Correspondent</h2>
				{contact === undefined ? (
					<Loading what="the contact" />
				) : contact ? (
					<ContactCard contact={contact} companyId={contact.company_id || linked.company_ids[0]} />
				) : (
					<NoContact who={who} thread={thread} onCreated={refresh} />
				)}
			</section>
			{contact && <Deals thread={thread} contact={contact} linked={linked.deal_ids} onChanged={refresh} />}
			{contact && <Recent contact={contact} version={version} />}
			<FollowUp thread={thread} contact={contact} me={me} />
		</aside>
	);
}

function ContactCard({ contact, companyId }) {
	const company = useRecordTitle('companies', companyId);
	return (
		<div class="panel-card">
			<p class="panel-name">
				<Link href={`/contacts/${contact.id}`}>{contactName(contact)}</Link>
			</p>
			{(contact.emails || []).length > 0 && <p class="muted panel-line">{contact.emails.join(', ')}</p>}
			{companyId ? (
				<p class="panel-line">
					Company: <Link href={`/companies/${companyId}`}>{company || '…'}</Link>
				</p>
			) : (
				<p class="muted panel-line">No company.</p>
			)}
			{contact.stage && <p class="panel-line muted">Stage: {contact.stage}</p>}
		</div>
	);
}

function NoContact({ who, thread, onCreated }) {
	const [open, setOpen] = useState(false);
	if (!who) return <p class="muted">No correspondent address in this conversation.</p>;
	return (
		<div class="panel-card">
			<p class="panel-line">
				{who.name || who.address} <span class="muted">&lt;{who.address}&gt;</span> is not a contact yet.
			</p>
			<button type="button" class="primary" onClick={() => setOpen(true)}>
				Create contact from sender
			</button>
			{open && <CreateContact who={who} thread={thread} onClose={() => setOpen(false)} onCreated={onCreated} />}
		</div>
	);
}

function CreateContact({ who, thread, onClose, onCreated }) {
	const [draft, setDraft] = useState(() => ({ ...splitName(who), email: who.address }));
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setDraft({ ...draft, [k]: e.currentTarget.value });
	const save = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const c = await post('/contacts', { first_name: draft.first_name, last_name: draft.last_name, emails: draft.email ? [draft.email] : [] });
			rememberRecord('contacts', c);
			await linkThread(thread, 'contact_ids', c.id);
			toast(`Contact ${contactName(c)} created and linked to this conversation.`);
			onClose();
			onCreated();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	const fe = (f) => (error && error.field === f ? error.message : null);
	return (
		<Modal title="Create contact from sender" onClose={onClose}>
			<form onSubmit={save} noValidate>
				<FormError error={error && !['first_name', 'last_name', 'emails'].includes(error.field) ? error : null} />
				<Field id="pc-first" label="First name" error={fe('first_name')}>
					<input type="text" value={draft.first_name} onInput={set('first_name')} />
				</Field>
				<Field id="pc-last" label="Last name" error={fe('last_name')}>
					<input type="text" value={draft.last_name} onInput={set('last_name')} />
				</Field>
				<Field id="pc-email" label="Email address" error={fe('emails')}>
					<input type="email" value={draft.email} onInput={set('email')} />
				</Field>
				<div class="form-actions">
					<Submit busy={busy}>Create contact</Submit>
					<button type="button" onClick={onClose}>
						Cancel
					</button>
				</div>
			</form>
		</Modal>
	);
}

function Deals({ thread, contact, linked, onChanged }) {
	const [deals, setDeals] = useState(null);
	const [error, setError] = useState(null);
	const [creating, setCreating] = useState(false);
	const [busy, setBusy] = useState(0);
	useEffect(() => {
		let live = true;
		get('/deals', { contact: contact.id, limit: 50 }).then(
			(r) => live && setDeals(r.items.filter((d) => !d.closed_at || linked.includes(d.id))),
			(e) => live && setError(e),
		);
		return () => (live = false);
	}, [contact.id, linked.join(',')]);
	const link = async (d) => {
		setBusy(d.id);
		try {
			await linkThread(thread, 'deal_ids', d.id);
			toast(`Conversation linked to “${d.title}”.`);
			onChanged();
		} catch (e) {
			toast({ kind: 'error', message: `Could not link: ${errorText(e)}` });
		} finally {
			setBusy(0);
		}
	};
	return (
		<section class="panel-section" aria-labelledby="panel-deals">
			<h2 id="panel-deals">Open deals</h2>
			{error && <FormError error={error} />}
			{!deals && !error && <Loading what="the deals" />}
			{deals && !deals.length && <p class="muted">No open deals with {contactName(contact)}.</p>}
			{deals && deals.length > 0 && (
				<ul class="panel-list" aria-label="Open deals">
					{deals.map((d) => (
						<li class="panel-deal">
							<Link href={`/deals/${d.id}`}>{recordTitle('deals', d)}</Link> <span class="muted">{d.stage}</span>
							{linked.includes(d.id) ? (
								<span class="badge">Linked</span>
							) : (
								<button type="button" disabled={busy === d.id} aria-label={`Link to deal ${d.title}`} onClick={() => link(d)}>
									Link to deal
								</button>
							)}
						</li>
					))}
				</ul>
			)}
			<button type="button" onClick={() => setCreating(true)}>
				New deal
			</button>
			{creating && <NewDeal thread={thread} contact={contact} onClose={() => setCreating(false)} onCreated={onChanged} />}
		</section>
	);
}

function NewDeal({ thread, contact, onClose, onCreated }) {
	const [title, setTitle] = useState(thread.subject || '');
	const [amount, setAmount] = useState('');
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const save = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const body = { title, contact_id: contact.id };
			if (contact.company_id) body.company_id = contact.company_id;
			if (amount.trim()) {
				const n = Math.round(Number(amount.replace(',', '.')) * 100);
				if (!Number.isFinite(n) || n < 0) throw { field: 'amount', message: 'Write the amount as a number, such as 1200 or 99.50.' };
				body.amount = n;
			}
			const d = await post('/deals', body);
			rememberRecord('deals', d);
			await linkThread(thread, 'deal_ids', d.id);
			toast(`Deal “${d.title}” created and linked to this conversation.`);
			onClose();
			onCreated();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	const fe = (f) => (error && error.field === f ? error.message : null);
	return (
		<Modal title="New deal" onClose={onClose}>
			<form onSubmit={save} noValidate>
				<FormError error={error && !['title', 'amount'].includes(error.field) ? error : null} />
				<Field id="pd-title" label="Title" error={fe('title')}>
					<input type="text" value={title} onInput={(e) => setTitle(e.currentTarget.value)} />
				</Field>
				<Field id="pd-amount" label="Amount" error={fe('amount')} hint="Optional.">
					<input type="text" inputMode="decimal" value={amount} onInput={(e) => setAmount(e.currentTarget.value)} />
				</Field>
				<p class="muted">With {contactName(contact)}; the conversation is linked to it.</p>
				<div class="form-actions">
					<Submit busy={busy}>Create deal</Submit>
					<button type="button" onClick={onClose}>
						Cancel
					</button>
				</div>
			</form>
		</Modal>
	);
}

function Recent({ contact, version }) {
	const [items, setItems] = useState(null);
	useEffect(() => {
		let live = true;
		get(`/contacts/${contact.id}/timeline`, { limit: 5 }).then(
			(r) => live && setItems(r.items),
			() => live && setItems([]),
		);
		return () => (live = false);
	}, [contact.id, version]);
	return (
		<section class="panel-section" aria-labelledby="panel-recent">
			<h2 id="panel-recent">Recent activity</h2>
			{!items && <Loading what="the activity" />}
			{items && !items.length && <p class="muted">Nothing yet.</p>}
			{items && items.length > 0 && (
				<ol class="panel-list panel-recent" aria-label="Recent activity">
					{items.map((a) => (
						<li>
							<span class="panel-kind">{a.payload && a.payload.comment_id ? 'comment' : a.kind}</span> {a.summary || '(no summary)'}{' '}
							<time class="muted" datetime={a.occurred_at}>
								{relativeTime(a.occurred_at)}
							</time>
						</li>
					))}
				</ol>
			)}
			<Link href={`/contacts/${contact.id}`}>The whole timeline</Link>
		</section>
	);
}

function FollowUp({ thread, contact, me }) {
	const [date, setDate] = useState('');
	const [tasks, setTasks] = useState([]);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const load = () =>
		get('/tasks', { thread: thread.id, status: 'open', limit: 20 }).then(
			(r) => setTasks(r.items),
			() => {},
		);
	useEffect(() => {
		load();
	}, [thread.id]);
	const make = async (at) => {
		setBusy(true);
		setError(null);
		try {
			const body = { title: `Follow up: ${thread.subject || '(no subject)'}`, due_at: at.toISOString(), thread_id: thread.id };
			if (me) body.assignee_id = me;
			if (contact) body.contact_id = contact.id;
			if (contact && contact.company_id) body.company_id = contact.company_id;
			await post('/tasks', body);
			toast(`Follow-up task due ${formatDate(at.toISOString())}.`);
			setDate('');
			load();
		} catch (e) {
			setError(e);
		} finally {
			setBusy(false);
		}
	};
	const onDate = (e) => {
		e.preventDefault();
		if (!date) return setError({ message: 'Pick a date first.' });
		const [y, m, d] = date.split('-').map(Number);
		make(new Date(y, m - 1, d, 9, 0, 0));
	};
	return (
		<section class="panel-section" aria-labelledby="panel-follow">
			<h2 id="panel-follow">Follow up</h2>
			<div class="panel-buttons" role="group" aria-label="Follow up">
				{followUpChoices().map((c) => (
					<button type="button" disabled={busy} title={formatDate(c.at.toISOString())} onClick={() => make(c.at)}>
						{c.label}
					</button>
				))}
			</div>
			<form class="panel-date" onSubmit={onDate} noValidate>
				<label for="follow-date">On a date</label>
				<input id="follow-date" type="date" value={date} onInput={(e) => setDate(e.currentTarget.value)} />
				<button type="submit" disabled={busy}>
					Set
				</button>
			</form>
			<FormError error={error} />
			{tasks.length > 0 && (
				<ul class="panel-list" aria-label="Follow-up tasks">
					{tasks.map((t) => (
						<li>
							<Link href="/tasks">{t.title}</Link> <span class="muted">due {t.due_at ? formatDate(t.due_at) : '—'}</span>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}
