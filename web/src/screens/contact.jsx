// A contact's card: details with inline edit, the add-note/task box, the
// timeline of every interaction, and their orders.
import { useEffect, useState } from 'preact/hooks';
import { del, get } from '../api.js';
import { EditableDetails, RecordGate, useRecord } from '../card.jsx';
import { DeleteButton } from '../confirm.jsx';
import { addr, openCompose } from '../mail.js';
import { Orders } from '../orders.jsx';
import { contactFields } from '../record_form.jsx';
import { Link, navigate, useLocation } from '../router.js';
import { Composer, Timeline } from '../timeline.jsx';
import { Badge, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { ComposeHost } from './compose.jsx';
import { ScheduleMeeting } from './meeting.jsx';
import { contactName, formatDate, label, money, toast, useRecordTitle, userName, useUsers } from '../util.js';

export function Contact({ id, session }) {
	const state = useRecord('contacts', id);
	return (
		<RecordGate state={state} table="contacts" noun="contact">
			{(c) => <ContactCard c={c} session={session} onSaved={(r) => state.setData(r)} />}
		</RecordGate>
	);
}

function ContactCard({ c, session, onSaved }) {
	const users = useUsers();
	const company = useRecordTitle('companies', c.company_id);
	const [version, setVersion] = useState(0);
	const name = contactName(c);
	const { params } = useLocation();
	useEffect(() => {
		document.title = `${name} · Parley`;
	}, [name]);
	// An address opens Parley's own compose (/contacts/ID?compose=ADDRESS
	// does the same for a link opened elsewhere), never mailto:.
	const write = (e) => openCompose({ mode: 'new', to: addr({ name: c.first_name || c.last_name ? name : '', address: e }) });
	const asked = params.get('compose');
	useEffect(() => {
		if (asked && c.emails.includes(asked)) {
			write(asked);
			navigate(`/contacts/${c.id}`, { replace: true });
		}
	}, [asked]);
	const rows = [
		[
			'Email',
			c.emails.map((e) => (
				<Link href={`/contacts/${c.id}?compose=${encodeURIComponent(e)}`} class="block" onClick={(ev) => (ev.preventDefault(), write(e))}>
					{e}
				</Link>
			)),
		],
		['Phone', c.phones.map((p) => <a href={`tel:${p}`} class="block">{p}</a>)],
		['Company', c.company_id ? <Link href={`/companies/${c.company_id}`}>{company || '…'}</Link> : null],
		['Stage', label(c.stage)],
		['Owner', userName(users, c.owner_id)],
		['Tags', c.tags.map((t) => <span class="tag">{t}</span>)],
		['Added', formatDate(c.created_at)],
	];
	return (
		<div class="page record-page">
			<header class="page-head">
				<div>
					<p class="crumbs">
						<Link href="/contacts">Contacts</Link>
					</p>
					<h1>
						{name} <Badge kind={c.stage}>{label(c.stage)}</Badge>
					</h1>
					{company && <p class="subtitle">{company}</p>}
				</div>
				<div class="head-actions">
					{c.emails.length > 0 && (
						<button type="button" onClick={() => write(c.emails[0])}>
							Send email
						</button>
					)}
					<Link class="button" href={`/deals/new?contact=${c.id}${c.company_id ? `&company=${c.company_id}` : ''}`}>
						New deal
					</Link>
					<ScheduleMeeting contact={c} title={`Meeting with ${name}`} onSaved={() => setVersion((v) => v + 1)} />
					<DeleteButton
						label="Delete this contact"
						title={`Delete ${name}?`}
						body="Their deals, notes and tasks stay, without the link to them; a contact with orders cannot be deleted until the orders are."
						onDelete={async () => {
							await del(`/contacts/${c.id}`);
							toast(`Contact ${name} deleted`);
							navigate('/contacts', { replace: true });
						}}
					/>
				</div>
			</header>
			<div class="record-grid">
				<div class="record-side">
					<EditableDetails table="contacts" noun="contact" record={c} fields={contactFields} rows={rows} onSaved={onSaved} />
				</div>
				<div class="record-main">
					<Composer table="contacts" id={c.id} me={session.user.id} onAdded={() => setVersion((v) => v + 1)} />
					<Timeline table="contacts" id={c.id} version={version} />
				</div>
				<div class="record-extra">
					<Orders contactId={c.id} />
					<Deals params={{ contact: c.id }} />
				</div>
			</div>
			<ComposeHost />
		</div>
	);
}

// The deals of a contact or a company.
export function Deals({ params }) {
	const s = useLoad(() => get('/deals', { ...params, limit: 50 }), [JSON.stringify(params)]);
	return (
		<section class="card" aria-labelledby="deals-title">
			<h2 id="deals-title">Deals</h2>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="deals" />}
			{s.data && !s.data.items.length && (
				<p class="muted">
					No deals yet. Start one on the <Link href="/deals">deals board</Link>.
				</p>
			)}
			{s.data && s.data.items.length > 0 && (
				<ul class="mini-list">
					{s.data.items.map((d) => (
						<li>
							<Link href={`/deals/${d.id}`}>{d.title}</Link>
							<span>
								<Badge kind={d.stage}>{label(d.stage)}</Badge> {money(d.amount, d.currency)}
							</span>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}
