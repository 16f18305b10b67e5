// The inbox: conversations of every mailbox you can see, newest first, a page
// at a time (the API's cursor), filtered by mailbox, folder, unread and
// linked, searched with the mail query language; j/k/o and friends.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { get } from '../api.js';
import { onMail } from '../live.js';
import {
	archivedToast,
	archiveWithUndo,
	buildQuery,
	openCompose,
	queryError,
	replyFromThread,
	useAccounts,
	useMailKeys,
	who,
} from '../mail.js';
import { Link, navigate, useLocation } from '../router.js';
import { Badge, Empty, ErrorBox, Loading } from '../ui.jsx';
import { errorText, formatDate, formatDateTime, toast } from '../util.js';
import { AttachIcon } from '../icons.jsx';
import { ComposeHost } from './compose.jsx';
import { BulkBar, CompanyFilter, QuickChips, SinceFilter } from './mail_find.jsx';

const PAGE = 50;
const FOLDERS = [
	['', 'All folders'],
	['inbox', 'Inbox'],
	['sent', 'Sent'],
	['archive', 'Archive'],
	['drafts', 'Drafts'],
	['trash', 'Trash'],
];

function readFilters(params) {
	return {
		q: params.get('q') || '',
		account: params.get('account') || '',
		folder: params.get('folder') || '',
		unread: params.get('unread') === '1',
		linked: params.get('linked') || '',
		company: params.get('company') || '',
		since: params.get('since') || '',
	};
}

export function Inbox() {
	const { params } = useLocation();
	const filters = readFilters(params);
	const key = JSON.stringify(filters);
	const { accounts } = useAccounts();
	const [q, setQ] = useState(filters.q);
	const [items, setItems] = useState(null);
	const [cursor, setCursor] = useState(null);
	const [error, setError] = useState(null);
	const [qError, setQError] = useState(null);
	const [more, setMore] = useState(false);
	const [sel, setSel] = useState(0);
	const [checked, setChecked] = useState(new Set());
	const seq = useRef(0);
	const listRef = useRef(null);
	const selRef = useRef(0);
	selRef.current = sel;

	useEffect(() => {
		document.title = 'Inbox · Parley';
	}, []);
	useEffect(() => setQ(filters.q), [filters.q]);

	const setFilters = (next) => {
		const all = { ...filters, ...next };
		const s = new URLSearchParams();
		for (const [k, v] of Object.entries(all)) if (v) s.set(k, v === true ? '1' : v);
		const str = s.toString();
		navigate(`/inbox${str ? `?${str}` : ''}`, { replace: true });
	};

	const load = async (from) => {
		const n = ++seq.current;
		const built = buildQuery(filters);
		setError(null);
		if (from) setMore(true);
		try {
			const page = await get('/mail/threads', { q: built.q, limit: PAGE, cursor: from });
			if (n !== seq.current) return;
			setQError(null);
			setItems((old) => (from ? [...(old || []), ...page.items] : page.items));
			setCursor(page.next_cursor);
			if (!from) setSel(0);
		} catch (e) {
			if (n !== seq.current) return;
			if (e.field === 'q') {
				setQError(queryError(e, built.shift, filters.q));
				setItems([]);
				setCursor(null);
			} else setError(e);
		} finally {
			if (n === seq.current) setMore(false);
		}
	};

	useEffect(() => {
		setChecked(new Set());
		load(null);
	}, [key]);
	const check = (id, on) =>
		setChecked((old) => {
			const n = new Set(old);
			on ? n.add(id) : n.delete(id);
			return n;
		});

	// New mail, pushed by the event stream: the first page again, merged over
	// what is loaded (the pages below stay), a moment after the last event.
	const [arrived, setArrived] = useState('');
	useEffect(() => {
		let timer = null;
		const refresh = async () => {
			const n = seq.current;
			try {
				const page = await get('/mail/threads', { q: buildQuery(filters).q, limit: PAGE });
				if (n !== seq.current) return;
				setItems((old) => {
					if (!old) return old;
					const known = new Set(old.map((t) => t.id));
					const fresh = new Set(page.items.map((t) => t.id));
					const added = page.items.filter((t) => !known.has(t.id)).length;
					if (added) setArrived(added === 1 ? '1 new conversation' : `${added} new conversations`);
					const merged = [...page.items, ...old.filter((t) => !fresh.has(t.id))];
					// The selection stays on its conversation.
					const chosen = old[selRef.current] && old[selRef.current].id;
					const at = merged.findIndex((t) => t.id === chosen);
					if (at >= 0) setSel(at);
					return merged;
				});
			} catch {
				/* the next event or a reload tries again */
			}
		};
		const off = onMail(() => {
			clearTimeout(timer);
			timer = setTimeout(refresh, 300);
		});
		return () => (off(), clearTimeout(timer));
	}, [key]);

	// The next page loads when the end of the list comes into view.
	const sentinel = useRef(null);
	useEffect(() => {
		if (!cursor || !sentinel.current || typeof IntersectionObserver === 'undefined') return;
		const io = new IntersectionObserver((es) => es.some((x) => x.isIntersecting) && !more && load(cursor));
		io.observe(sentinel.current);
		return () => io.disconnect();
	}, [cursor, more]);

	const focusRow = (i) => {
		setSel(i);
		const a = listRef.current?.querySelectorAll('.thread-link')[i];
		if (a) {
			a.focus();
			a.scrollIntoView({ block: 'nearest' });
		}
	};
	const current = items && items[sel];
	const keys = useMemo(
		() => ({
			j: () => {
				if (!items || !items.length) return;
				if (sel + 1 < items.length) focusRow(sel + 1);
				else if (cursor && !more) load(cursor);
			},
			k: () => items && items.length && focusRow(Math.max(0, sel - 1)),
			o: () => current && navigate(`/mail/threads/${current.id}`),
			Enter: () => current && navigate(`/mail/threads/${current.id}`),
			c: () => openCompose({ mode: 'new' }),
			r: () => respond('reply'),
			a: () => respond('reply_all'),
			f: () => respond('forward'),
			e: () => current && archive(current),
		}),
		[items, sel, cursor, more],
	);
	useMailKeys(keys);

	const respond = (mode) =>
		current &&
		replyFromThread(current.id, mode).catch((e) => toast({ kind: 'error', message: `Could not open the conversation: ${errorText(e)}` }));
	const archive = async (t) => {
		try {
			const at = (items || []).findIndex((x) => x.id === t.id);
			const r = await archiveWithUndo(t.id);
			const n = r.moved;
			archivedToast(r, n ? `Moved “${t.subject || '(no subject)'}” to Archive.` : 'Nothing to archive: the conversation is already filed.', () =>
				setItems((list) => (!list || list.some((x) => x.id === t.id) ? list : [...list.slice(0, Math.max(at, 0)), t, ...list.slice(Math.max(at, 0))])),
			);
			if (n && filters.folder && filters.folder !== 'archive') setItems((list) => list.filter((x) => x.id !== t.id));
		} catch (e) {
			toast({ kind: 'error', message: `Could not archive: ${errorText(e)}` });
		}
	};

	const filtered = filters.q || filters.account || filters.folder || filters.unread || filters.linked || filters.company || filters.since;
	const noMailbox = accounts && accounts.length === 0;
	return (
		<div class="page mail-page">
			<header class="page-head">
				<h1>Inbox</h1>
				<div class="head-actions">
					<Link class="button" href="/mail/outbox">
						Outbox
					</Link>
					<button type="button" class="primary" onClick={() => openCompose({ mode: 'new' })} disabled={noMailbox}>
						Compose
					</button>
				</div>
			</header>
			<form class="mail-search" role="search" onSubmit={(e) => (e.preventDefault(), setFilters({ q: q.trim() }))}>
				<div class={`field mail-q${qError ? ' field-invalid' : ''}`}>
					<label class="sr-only" for="mail-q">
						Search mail
					</label>
					<div class="mail-q-row">
						<input
							id="mail-q"
							type="search"
							data-search
							placeholder="Search: from:ada has:attachment “a phrase”  ( / )"
							value={q}
							aria-invalid={qError ? 'true' : undefined}
							aria-describedby={qError ? 'mail-q-error' : 'mail-q-hint'}
							onInput={(e) => setQ(e.currentTarget.value)}
						/>
						<button type="submit">Search</button>
					</div>
					{qError ? (
						<div id="mail-q-error" class="field-error" role="alert">
							{qError.message}
							{qError.column && (
								<pre class="q-caret" aria-hidden="true">
									{filters.q}
									{'\n'}
									{' '.repeat(qError.column - 1)}^
								</pre>
							)}
						</div>
					) : (
						<p id="mail-q-hint" class="field-hint">
							Words, “phrases”, from: to: subject: has:attachment is:unread in:sent company:“Casa Verde” contact:ada after:-30d
							after:2026-01-31, OR, -word
						</p>
					)}
				</div>
				<div class="mail-filters">
					<label class="sr-only" for="mail-account">
						Mailbox
					</label>
					<select id="mail-account" value={filters.account} onChange={(e) => setFilters({ account: e.currentTarget.value })}>
						<option value="">All mailboxes</option>
						{(accounts || []).map((a) => (
							<option value={String(a.id)}>{a.name === a.email ? a.email : `${a.name} (${a.email})`}</option>
						))}
					</select>
					<label class="sr-only" for="mail-folder">
						Folder
					</label>
					<select id="mail-folder" value={filters.folder} onChange={(e) => setFilters({ folder: e.currentTarget.value })}>
						{FOLDERS.map(([v, l]) => (
							<option value={v}>{l}</option>
						))}
					</select>
					<label class="sr-only" for="mail-linked">
						Linked
					</label>
					<select id="mail-linked" value={filters.linked} onChange={(e) => setFilters({ linked: e.currentTarget.value })}>
						<option value="">Linked or not</option>
						<option value="linked">Linked to a record</option>
						<option value="unlinked">Not linked</option>
					</select>
					<CompanyFilter value={filters.company} onChange={(v) => setFilters({ company: v })} />
					<SinceFilter value={filters.since} onChange={(v) => setFilters({ since: v })} />
					<label class="check">
						<input type="checkbox" checked={filters.unread} onChange={(e) => setFilters({ unread: e.currentTarget.checked })} />
						Unread only
					</label>
				</div>
			</form>
			<QuickChips filters={filters} setFilters={setFilters} builtQuery={buildQuery(filters).q} />
			{checked.size > 0 && (
				<BulkBar
					selected={checked}
					onClear={() => setChecked(new Set())}
					onDone={() => (setChecked(new Set()), load(null))}
				/>
			)}
			{error && <ErrorBox error={error} retry={() => load(null)} />}
			{!items && !error && <Loading what="conversations" />}
			{items && !items.length && !error && !qError &&
				(noMailbox ? (
					<Empty title="No mailbox is connected yet.">
						<p>
							Connect one with <code>parley account add</code> (or ask an admin for the team's shared mailbox); its mail
							shows here within a minute.
						</p>
					</Empty>
				) : filtered ? (
					<Empty title="No conversations match.">
						<p>
							<button type="button" class="link-button" onClick={() => (setQ(''), navigate('/inbox', { replace: true }))}>
								Clear the search and filters
							</button>{' '}
							or try other words.
						</p>
					</Empty>
				) : (
					<Empty title="No mail yet.">
						<p>New mail shows here as the mailboxes sync. Press c to write one.</p>
					</Empty>
				))}
			<p class="sr-only" role="status" aria-live="polite">
				{arrived}
			</p>
			{items && items.length > 0 && (
				<ol class="thread-list" ref={listRef} aria-label="Conversations">
					{items.map((t, i) => (
						<ThreadRow
							key={t.id}
							t={t}
							selected={i === sel}
							onFocus={() => setSel(i)}
							checked={checked.has(t.id)}
							onCheck={(on) => check(t.id, on)}
						/>
					))}
				</ol>
			)}
			<div ref={sentinel} />
			{cursor && (
				<button type="button" class="load-more" disabled={more} onClick={() => load(cursor)}>
					{more ? 'Loading…' : 'Load more conversations'}
				</button>
			)}
			<ComposeHost />
		</div>
	);
}

function shortDate(iso) {
	const d = new Date(iso);
	if (isNaN(d)) return '';
	const now = new Date();
	if (d.toDateString() === now.toDateString()) return d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
	return formatDate(iso);
}

function ThreadRow({ t, selected, onFocus, checked, onCheck }) {
	const people = (t.participants || []).slice(0, 3).map(who).join(', ');
	return (
		<li class={`thread-item has-check${t.unread ? ' unread' : ''}${selected ? ' selected' : ''}`}>
			<input
				type="checkbox"
				class="row-check"
				checked={checked}
				aria-label={`Select “${t.subject || '(no subject)'}”`}
				onChange={(e) => onCheck(e.currentTarget.checked)}
			/>
			<Link
				href={`/mail/threads/${t.id}`}
				class="thread-link"
				aria-current={selected ? 'true' : undefined}
				onFocus={onFocus}
			>
				<span class="thread-who">
					{people || '(nobody)'}
					{t.message_count > 1 && <span class="thread-count"> {t.message_count}</span>}
				</span>
				<span class="thread-subject">
					{t.subject || '(no subject)'}
					<span class="thread-snippet"> — {t.snippet}</span>
				</span>
				<span class="thread-meta">
					{t.unread > 0 &&
						(t.message_count > 1 ? <Badge kind="new">{t.unread} unread</Badge> : <span class="sr-only">unread</span>)}
					{t.has_attachments && (
						<span class="clip" title="Has attachments">
							<AttachIcon />
							<span class="sr-only">has attachments</span>
						</span>
					)}
					{t.shared && <Badge>Shared</Badge>}
					<time datetime={t.last_date} title={formatDateTime(t.last_date)}>
						{shortDate(t.last_date)}
					</time>
				</span>
			</Link>
		</li>
	);
}
