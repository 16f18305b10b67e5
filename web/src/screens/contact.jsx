// A contact's card: details with inline edit, the add-note/task box, the
// timeline of every interaction, and their orders.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { EditableDetails, RecordGate, useRecord } from '../card.jsx';
import { contactFields } from '../record_form.jsx';
import { Link } from '../router.js';
import { Composer, Timeline } from '../timeline.jsx';
import { Badge, Empty, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { ScheduleMeeting } from './meeting.jsx';
import { contactName, formatDate, label, money, useRecordTitle, userName, useUsers } from '../util.js';

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
	useEffect(() => {
		document.title = `${name} · Parley`;
	}, [name]);
	const rows = [
		['Email', c.emails.map((e) => <a href={`mailto:${e}`} class="block">{e}</a>)],
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
					<ScheduleMeeting contact={c} title={`Meeting with ${name}`} onSaved={() => setVersion((v) => v + 1)} />
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
		</div>
	);
}

function Orders({ contactId }) {
	const s = useLoad(() => get('/orders', { contact: contactId, limit: 50 }), [contactId]);
	return (
		<section class="card" aria-labelledby="orders-title">
			<h2 id="orders-title">Orders</h2>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="orders" />}
			{s.data && !s.data.items.length && <p class="muted">No orders yet. Orders come in through the API or an import.</p>}
			{s.data && s.data.items.length > 0 && (
				<ul class="mini-list">
					{s.data.items.map((o) => (
						<li>
							<span>
								Order #{o.id} · {formatDate(o.placed_at)}
							</span>
							<span>
								<Badge kind={o.status}>{label(o.status)}</Badge> {money(o.total, o.currency)}
							</span>
						</li>
					))}
				</ul>
			)}
		</section>
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
