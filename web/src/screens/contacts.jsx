// Contacts: the searchable, filterable list (state in the URL, so a reload
// or a shared link shows the same list) and a new contact's form.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get } from '../api.js';
import { RecordForm, contactFields, contactStages } from '../record_form.jsx';
import { Link, navigate, useLocation } from '../router.js';
import { Badge, Empty, ErrorBox, Loading } from '../ui.jsx';
import { contactName, label, useRecordTitle, useUsers } from '../util.js';

const PAGE = 25;

export function Contacts() {
	const { params } = useLocation();
	const filters = {
		q: params.get('q') || '',
		stage: params.get('stage') || '',
		tag: params.get('tag') || '',
		owner: params.get('owner') || '',
	};
	const [q, setQ] = useState(filters.q);
	const [items, setItems] = useState(null);
	const [cursor, setCursor] = useState(null);
	const [error, setError] = useState(null);
	const [more, setMore] = useState(false);
	const users = useUsers();
	const key = JSON.stringify(filters);
	const seq = useRef(0);

	useEffect(() => {
		document.title = 'Contacts · Parley';
	}, []);

	const setFilter = (name, value) => {
		const next = { ...filters, [name]: value };
		const s = new URLSearchParams(Object.entries(next).filter(([, v]) => v)).toString();
		navigate(`/contacts${s ? `?${s}` : ''}`, { replace: true });
	};

	// The box follows the URL (back button, "Contacts" clicked again) ...
	useEffect(() => {
		if (q.trim() !== filters.q) setQ(filters.q);
	}, [filters.q]);
	// ... and the URL follows the box, a moment after the last key.
	useEffect(() => {
		if (q === filters.q) return;
		const t = setTimeout(() => setFilter('q', q.trim()), 250);
		return () => clearTimeout(t);
	}, [q]);

	const load = async (from) => {
		const n = ++seq.current;
		setError(null);
		if (from) setMore(true);
		try {
			const page = await get('/contacts', { ...filters, limit: PAGE, cursor: from });
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
	}, [key]);

	const filtered = filters.q || filters.stage || filters.tag || filters.owner;
	return (
		<div class="page">
			<header class="page-head">
				<h1>Contacts</h1>
				<Link class="button primary" href="/contacts/new">
					New contact
				</Link>
			</header>
			<form class="filters" role="search" onSubmit={(e) => (e.preventDefault(), setFilter('q', q.trim()))}>
				<label class="sr-only" for="contacts-q">
					Search contacts
				</label>
				<input
					id="contacts-q"
					type="search"
					data-search
					placeholder="Search by name, email or phone  ( / )"
					value={q}
					onInput={(e) => setQ(e.currentTarget.value)}
				/>
				<label class="sr-only" for="contacts-stage">
					Stage
				</label>
				<select id="contacts-stage" value={filters.stage} onChange={(e) => setFilter('stage', e.currentTarget.value)}>
					<option value="">Any stage</option>
					{contactStages.map((s) => (
						<option value={s}>{label(s)}</option>
					))}
				</select>
				<label class="sr-only" for="contacts-tag">
					Tag
				</label>
				<input
					id="contacts-tag"
					type="text"
					placeholder="Tag"
					value={filters.tag}
					onChange={(e) => setFilter('tag', e.currentTarget.value.trim())}
				/>
				<label class="sr-only" for="contacts-owner">
					Owner
				</label>
				<select id="contacts-owner" value={filters.owner} onChange={(e) => setFilter('owner', e.currentTarget.value)}>
					<option value="">Any owner</option>
					{users.map((u) => (
						<option value={String(u.id)}>{u.name}</option>
					))}
					<option value="none">No owner</option>
				</select>
			</form>
			{error && <ErrorBox error={error} retry={() => load(null)} />}
			{!items && !error && <Loading what="contacts" />}
			{items && !items.length && !error &&
				(filtered ? (
					<Empty title="No contacts match these filters.">
						<p>
							<button type="button" class="link-button" onClick={() => (setQ(''), navigate('/contacts', { replace: true }))}>
								Clear the filters
							</button>{' '}
							or try another spelling.
						</p>
					</Empty>
				) : (
					<Empty title="No contacts yet.">
						<p>
							Add your first with <Link href="/contacts/new">New contact</Link>, or import a CSV file with{' '}
							<code>parley import contacts FILE.csv</code>. People who write to a connected mailbox are added too.
						</p>
					</Empty>
				))}
			{items && items.length > 0 && (
				<table class="list contacts-list">
					<thead>
						<tr>
							<th scope="col">Name</th>
							<th scope="col" class="hide-sm">
								Email
							</th>
							<th scope="col" class="hide-sm">
								Phone
							</th>
							<th scope="col" class="hide-sm">
								Company
							</th>
							<th scope="col">Stage</th>
						</tr>
					</thead>
					<tbody>
						{items.map((c) => (
							<ContactRow key={c.id} c={c} />
						))}
					</tbody>
				</table>
			)}
			{cursor && (
				<button type="button" class="load-more" disabled={more} onClick={() => load(cursor)}>
					{more ? 'Loading…' : 'Load more contacts'}
				</button>
			)}
		</div>
	);
}

function ContactRow({ c }) {
	const company = useRecordTitle('companies', c.company_id);
	return (
		<tr>
			<td>
				<Link href={`/contacts/${c.id}`} class="row-link">
					{contactName(c)}
				</Link>
				{c.tags && c.tags.length > 0 && (
					<span class="tags">
						{c.tags.map((t) => (
							<span class="tag">{t}</span>
						))}
					</span>
				)}
			</td>
			<td class="hide-sm">{c.emails[0] || ''}</td>
			<td class="hide-sm">{c.phones[0] || ''}</td>
			<td class="hide-sm">{company}</td>
			<td>
				<Badge kind={c.stage}>{label(c.stage)}</Badge>
			</td>
		</tr>
	);
}

export function NewContact({ session }) {
	useEffect(() => {
		document.title = 'New contact · Parley';
	}, []);
	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>New contact</h1>
			</header>
			<div class="card">
				<RecordForm
					table="contacts"
					fields={contactFields}
					defaults={{ owner_id: session.user.id }}
					submitLabel="Create contact"
					onSaved={(c) => navigate(`/contacts/${c.id}`, { replace: true })}
					onCancel={() => history.back()}
				/>
			</div>
		</div>
	);
}
