// Finding mail in the inbox: the company and date filters, the "Last 30 days"
// chip, saved searches (the user's own, kept on the server), and what to do
// with the conversations ticked in the list (mark read, archive, link).
import { useEffect, useState } from 'preact/hooks';
import { del, get, patch, post, put } from '../api.js';
import { archiveThread } from '../mail.js';
import { FormError, Modal, Submit } from '../ui.jsx';
import { errorText, recordTitle, toast, useRecordTitle } from '../util.js';
import '../styles/links.css';

// The date filter: a value in the URL (since=30d) -> after:-30d.
export const SINCE = [
	['', 'Any time'],
	['7d', 'Last 7 days'],
	['30d', 'Last 30 days'],
	['90d', 'Last 90 days'],
	['365d', 'Last year'],
];

// Finds records of one table by name; onPick(record).
export function RecordPicker({ table, id, label, placeholder, onPick, showLabel }) {
	const [q, setQ] = useState('');
	const [items, setItems] = useState([]);
	useEffect(() => {
		if (!q.trim()) return setItems([]);
		let live = true;
		const t = setTimeout(() => {
			get(`/${table}`, { q: q.trim(), limit: 6 }).then(
				(r) => live && setItems(r.items),
				() => live && setItems([]),
			);
		}, 200);
		return () => ((live = false), clearTimeout(t));
	}, [q]);
	return (
		<div class="record-picker">
			<label class={showLabel ? undefined : 'sr-only'} for={id}>
				{label}
			</label>
			<input id={id} type="search" value={q} placeholder={placeholder} autocomplete="off" onInput={(e) => setQ(e.currentTarget.value)} />
			{items.length > 0 && (
				<ul class="pick-list picker-list">
					{items.map((r) => (
						<li>
							<button type="button" class="link-button" onClick={() => (onPick(r), setQ(''))}>
								{recordTitle(table, r)}
							</button>
						</li>
					))}
				</ul>
			)}
		</div>
	);
}

// The company filter: a picker, or the chosen company with a way to clear it.
export function CompanyFilter({ value, onChange }) {
	const title = useRecordTitle('companies', value);
	if (value)
		return (
			<span class="chip filter-chip">
				Company: {title || '…'}{' '}
				<button type="button" class="icon-button" aria-label="Clear the company filter" onClick={() => onChange('')}>
					×
				</button>
			</span>
		);
	return <RecordPicker table="companies" id="mail-company" label="Company" placeholder="Company…" onPick={(r) => onChange(String(r.id))} />;
}

export function SinceFilter({ value, onChange }) {
	return (
		<>
			<label class="sr-only" for="mail-since">
				Date
			</label>
			<select id="mail-since" value={value} onChange={(e) => onChange(e.currentTarget.value)}>
				{SINCE.map(([v, l]) => (
					<option value={v}>{l}</option>
				))}
			</select>
		</>
	);
}

// Quick chips above the list: "Last 30 days" and the saved searches.
export function QuickChips({ filters, setFilters, builtQuery }) {
	const [saved, setSaved] = useState(null);
	const [naming, setNaming] = useState(false);
	const reload = () => get('/mail/searches').then((r) => setSaved(r.items), () => setSaved([]));
	useEffect(() => {
		reload();
	}, []);
	const remove = async (s) => {
		try {
			await del(`/mail/searches/${s.id}`);
			toast(`Deleted the saved search “${s.name}”.`);
			reload();
		} catch (e) {
			toast({ kind: 'error', message: `Could not delete: ${errorText(e)}` });
		}
	};
	// A saved search replaces the search and the filters.
	const apply = (s) => setFilters({ q: s.q, account: '', folder: '', unread: false, linked: '', company: '', since: '' });
	const last30 = filters.since === '30d';
	return (
		<div class="quick-chips">
			<div class="chips" role="group" aria-label="Quick filters">
				<button type="button" class="chip" aria-pressed={last30 ? 'true' : 'false'} onClick={() => setFilters({ since: last30 ? '' : '30d' })}>
					Last 30 days
				</button>
			</div>
			<div class="saved-searches" role="group" aria-label="Saved searches">
				{(saved || []).map((s) => (
					<span class="chip saved-chip">
						<button type="button" class="link-button" title={s.q} onClick={() => apply(s)}>
							{s.name}
						</button>
						<button type="button" class="icon-button" aria-label={`Delete the saved search “${s.name}”`} onClick={() => remove(s)}>
							×
						</button>
					</span>
				))}
				{builtQuery && !naming && (
					<button type="button" class="link-button" onClick={() => setNaming(true)}>
						Save this search
					</button>
				)}
			</div>
			{naming && <SaveSearch q={builtQuery} onClose={() => setNaming(false)} onSaved={() => (setNaming(false), reload())} />}
		</div>
	);
}

function SaveSearch({ q, onClose, onSaved }) {
	const [name, setName] = useState('');
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const save = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const s = await post('/mail/searches', { name: name.trim(), q });
			toast(`Saved “${s.name}”.`);
			onSaved();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<Modal title="Save this search" onClose={onClose}>
			<form class="save-search-form" onSubmit={save}>
				<p class="muted">
					<code>{q}</code>
				</p>
				<div class="field">
					<label for="saved-name">Name</label>
					<input id="saved-name" value={name} maxLength={100} required onInput={(e) => setName(e.currentTarget.value)} />
				</div>
				<FormError error={error} />
				<div class="form-actions">
					<Submit busy={busy}>Save search</Submit>
					<button type="button" onClick={onClose}>
						Cancel
					</button>
				</div>
			</form>
		</Modal>
	);
}

// What to do with the ticked conversations. onDone(kind, ids) after.
export function BulkBar({ selected, onClear, onDone }) {
	const [busy, setBusy] = useState(false);
	const [linking, setLinking] = useState(false);
	const ids = [...selected];
	const run = async (what, fn) => {
		setBusy(true);
		let ok = 0;
		try {
			for (const id of ids) {
				await fn(id);
				ok++;
			}
			toast(`${what}: ${ok} conversation${ok === 1 ? '' : 's'}.`);
		} catch (e) {
			toast({ kind: 'error', message: `${what} stopped after ${ok}: ${errorText(e)}` });
		} finally {
			setBusy(false);
			onDone(what, ids);
		}
	};
	const markRead = (id) =>
		get(`/mail/threads/${id}`).then((t) =>
			Promise.all(t.messages.filter((m) => m.unread).map((m) => patch(`/mail/messages/${m.id}`, { unread: false }))),
		);
	return (
		<div class="bulk-bar" role="toolbar" aria-label="With the selected conversations">
			<span class="bulk-count" role="status">
				{ids.length} selected
			</span>
			<button type="button" disabled={busy} onClick={() => run('Marked read', markRead)}>
				Mark read
			</button>
			<button type="button" disabled={busy} onClick={() => run('Archived', archiveThread)}>
				Archive
			</button>
			<button type="button" disabled={busy} onClick={() => setLinking(true)}>
				Link…
			</button>
			<button type="button" class="link-button" onClick={onClear}>
				Clear selection
			</button>
			{linking && (
				<BulkLink
					count={ids.length}
					onClose={() => setLinking(false)}
					onPick={(key, r, title) => (setLinking(false), run(`Linked to ${title}`, (id) => put(`/mail/threads/${id}/links`, { [key]: [r.id], add: true })))}
				/>
			)}
		</div>
	);
}

function BulkLink({ count, onClose, onPick }) {
	const tables = [
		['deals', 'deal_ids', 'A deal'],
		['contacts', 'contact_ids', 'A contact'],
		['companies', 'company_ids', 'A company'],
	];
	return (
		<Modal title={`Link ${count} conversation${count === 1 ? '' : 's'}`} onClose={onClose}>
			<p class="muted">Each whole conversation (the messages you can see) is linked; its other links stay.</p>
			{tables.map(([table, key, label]) => (
				<div class="field">
					<RecordPicker
						table={table}
						id={`bulk-${table}`}
						label={label}
						showLabel
						placeholder="Type a name…"
						onPick={(r) => onPick(key, r, recordTitle(table, r))}
					/>
				</div>
			))}
		</Modal>
	);
}
