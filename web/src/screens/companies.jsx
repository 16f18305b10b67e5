// Companies: the searchable list, a new company's form, and a company's card
// with its contacts, deals and timeline.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get } from '../api.js';
import { EditableDetails, RecordGate, useRecord } from '../card.jsx';
import { DeleteButton } from '../confirm.jsx';
import { RecordForm, companyFields } from '../record_form.jsx';
import { Link, navigate, useLocation } from '../router.js';
import { Composer, Timeline } from '../timeline.jsx';
import { Empty, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { contactName, formatDate, label, toast, userName, useUsers } from '../util.js';
import { Deals } from './contact.jsx';

const PAGE = 25;

export function Companies() {
	const { params } = useLocation();
	const current = params.get('q') || '';
	const [q, setQ] = useState(current);
	const [items, setItems] = useState(null);
	const [cursor, setCursor] = useState(null);
	const [error, setError] = useState(null);
	const [more, setMore] = useState(false);
	const users = useUsers();
	const seq = useRef(0);

	useEffect(() => {
		document.title = 'Companies · Parley';
	}, []);
	useEffect(() => {
		if (q.trim() !== current) setQ(current);
	}, [current]);
	useEffect(() => {
		if (q.trim() === current) return;
		const t = setTimeout(() => navigate(q.trim() ? `/companies?q=${encodeURIComponent(q.trim())}` : '/companies', { replace: true }), 250);
		return () => clearTimeout(t);
	}, [q]);

	const load = async (from) => {
		const n = ++seq.current;
		setError(null);
		if (from) setMore(true);
		try {
			const page = await get('/companies', { q: current, limit: PAGE, cursor: from });
			if (n !== seq.current) return;
			setItems((old) => (from ? [...(old || []), ...page.items] : page.items));
			setCursor(page.next_cursor);
		} catch (e) {
			if (n === seq.current) setError(e);
		} finally {
			setMore(false);
		}
	};
	useEffect(() => {
		load(null);
	}, [current]);

	return (
		<div class="page">
			<header class="page-head">
				<h1>Companies</h1>
				<Link class="button primary" href="/companies/new">
					New company
				</Link>
			</header>
			<form class="filters" role="search" onSubmit={(e) => e.preventDefault()}>
				<label class="sr-only" for="companies-q">
					Search companies
				</label>
				<input
					id="companies-q"
					type="search"
					data-search
					placeholder="Search by name or domain  ( / )"
					value={q}
					onInput={(e) => setQ(e.currentTarget.value)}
				/>
			</form>
			{error && <ErrorBox error={error} retry={() => load(null)} />}
			{!items && !error && <Loading what="companies" />}
			{items && !items.length && !error && (
				<Empty title={current ? `No company matches “${current}”.` : 'No companies yet.'}>
					<p>
						{current ? 'Try another spelling, or ' : 'Add one with '}
						<Link href="/companies/new">New company</Link>. Give it a mail domain and mail from that domain is linked to it.
					</p>
				</Empty>
			)}
			{items && items.length > 0 && (
				<table class="list">
					<thead>
						<tr>
							<th scope="col">Name</th>
							<th scope="col" class="hide-sm">
								Domains
							</th>
							<th scope="col" class="hide-sm">
								Owner
							</th>
						</tr>
					</thead>
					<tbody>
						{items.map((c) => (
							<tr key={c.id}>
								<td>
									<Link href={`/companies/${c.id}`} class="row-link">
										{c.name}
									</Link>
								</td>
								<td class="hide-sm">{c.domains.join(', ')}</td>
								<td class="hide-sm">{userName(users, c.owner_id)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			{cursor && (
				<button type="button" class="load-more" disabled={more} onClick={() => load(cursor)}>
					{more ? 'Loading…' : 'Load more companies'}
				</button>
			)}
		</div>
	);
}

export function NewCompany({ session }) {
	useEffect(() => {
		document.title = 'New company · Parley';
	}, []);
	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>New company</h1>
			</header>
			<div class="card">
				<RecordForm
					table="companies"
					fields={companyFields}
					defaults={{ owner_id: session.user.id }}
					submitLabel="Create company"
					onSaved={(c) => navigate(`/companies/${c.id}`, { replace: true })}
					onCancel={() => history.back()}
				/>
			</div>
		</div>
	);
}

export function Company({ id, session }) {
	const state = useRecord('companies', id);
	return (
		<RecordGate state={state} table="companies" noun="company">
			{(c) => <CompanyCard c={c} session={session} onSaved={(r) => state.setData(r)} />}
		</RecordGate>
	);
}

function CompanyCard({ c, session, onSaved }) {
	const users = useUsers();
	const [version, setVersion] = useState(0);
	useEffect(() => {
		document.title = `${c.name} · Parley`;
	}, [c.name]);
	const rows = [
		['Mail domains', c.domains.join(', ')],
		['Owner', userName(users, c.owner_id)],
		['Notes', c.notes ? <span class="pre">{c.notes}</span> : null],
		['Added', formatDate(c.created_at)],
	];
	return (
		<div class="page record-page">
			<header class="page-head">
				<div>
					<p class="crumbs">
						<Link href="/companies">Companies</Link>
					</p>
					<h1>{c.name}</h1>
				</div>
				<div class="head-actions">
					<DeleteButton
						label="Delete this company"
						title={`Delete ${c.name}?`}
						body="Its contacts, deals, notes and tasks stay, without the link to it."
						onDelete={async () => {
							await del(`/companies/${c.id}`);
							toast(`Company ${c.name} deleted`);
							navigate('/companies', { replace: true });
						}}
					/>
				</div>
			</header>
			<div class="record-grid">
				<div class="record-side">
					<EditableDetails table="companies" noun="company" record={c} fields={companyFields} rows={rows} onSaved={onSaved} />
				</div>
				<div class="record-main">
					<Composer table="companies" id={c.id} me={session.user.id} onAdded={() => setVersion((v) => v + 1)} />
					<Timeline table="companies" id={c.id} version={version} />
				</div>
				<div class="record-extra">
					<People companyId={c.id} />
					<Deals params={{ company: c.id }} />
				</div>
			</div>
		</div>
	);
}

function People({ companyId }) {
	const s = useLoad(() => get('/contacts', { company: companyId, limit: 100 }), [companyId]);
	return (
		<section class="card" aria-labelledby="people-title">
			<h2 id="people-title">Contacts</h2>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="contacts" />}
			{s.data && !s.data.items.length && (
				<p class="muted">
					Nobody here yet. Set this company on a contact's card, or <Link href="/contacts/new">add a contact</Link>.
				</p>
			)}
			{s.data && s.data.items.length > 0 && (
				<ul class="mini-list">
					{s.data.items.map((p) => (
						<li>
							<Link href={`/contacts/${p.id}`}>{contactName(p)}</Link>
							<span class="muted">{p.emails[0] || label(p.stage)}</span>
						</li>
					))}
				</ul>
			)}
		</section>
	);
}
