// One conversation: its messages (HTML in a sandboxed frame that runs no
// script; remote images only when allowed for the sender), attachments, the
// records it is linked to (and relinking), split, merge, sharing, replies.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { api, get, patch, post } from '../api.js';
import {
	addrList,
	allowRemote,
	archivedToast,
	archiveWithUndo,
	openCompose,
	remoteAllowed,
	useMailKeys,
	who,
} from '../mail.js';
import { Link, navigate } from '../router.js';
import { Badge, Empty, ErrorBox, FormError, Loading, Modal, Submit, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, recordTitle, toast, useRecordTitle } from '../util.js';
import { AttachIcon } from '../icons.jsx';
import { ComposeHost } from './compose.jsx';
import { ThreadPanel } from '../thread_panel.jsx';
import { ThreadComments } from '../thread_comments.jsx';

export function MailThread({ id, session }) {
	const { data: t, error, loading, reload, setData } = useLoad(() => get(`/mail/threads/${id}`), [id]);
	const [open, setOpen] = useState(() => new Set());
	const [splitting, setSplitting] = useState(null); /* Set of message ids, or null */
	const [joining, setJoining] = useState(false);
	const [relink, setRelink] = useState(null);
	const [waiting, setWaiting] = useState(0); /* messages expected after a send */

	useEffect(() => {
		if (t) document.title = `${t.subject || '(no subject)'} · Parley`;
	}, [t && t.subject]);

	// Unread messages and the latest start open.
	useEffect(() => {
		if (!t) return;
		setOpen((o) => {
			const n = new Set(o);
			t.messages.forEach((m, i) => (m.unread || i === t.messages.length - 1) && n.add(m.id));
			return n;
		});
	}, [t && t.messages.length]);

	// After a send, look for the sent copy until it is synced in.
	useEffect(() => {
		if (!waiting || !t) return;
		if (t.messages.length >= waiting) return setWaiting(0);
		const started = Date.now();
		const timer = setInterval(async () => {
			try {
				const fresh = await get(`/mail/threads/${id}`);
				if (fresh.messages.length >= waiting || Date.now() - started > 120000) {
					clearInterval(timer);
					setData(fresh);
					setWaiting(0);
				}
			} catch {
				/* try again on the next tick */
			}
		}, 2000);
		return () => clearInterval(timer);
	}, [waiting]);

	const latest = t && t.messages[t.messages.length - 1];
	const respond = (mode, m) =>
		openCompose({ mode, parent: m || latest, thread: t, onSent: () => setWaiting(t.messages.length + 1) });
	const archive = async () => {
		try {
			const r = await archiveWithUndo(t.id);
			archivedToast(r, r.moved ? 'Moved to Archive (the mail server follows within a minute).' : 'Nothing to archive.');
		} catch (e) {
			toast({ kind: 'error', message: `Could not archive: ${errorText(e)}` });
		}
	};
	const keys = useMemo(
		() =>
			t
				? {
						r: () => respond('reply'),
						a: () => respond('reply_all'),
						f: () => respond('forward'),
						c: () => openCompose({ mode: 'new' }),
						e: archive,
						u: () => navigate('/inbox'),
				  }
				: {},
		[t],
	);
	useMailKeys(keys);

	if (!t)
		return (
			<div class="page mail-page">
				{error ? (
					error.status === 404 ? (
						<Empty title="This conversation does not exist, or is not shared with you.">
							<p>
								Back to the <Link href="/inbox">inbox</Link>.
							</p>
						</Empty>
					) : (
						<ErrorBox error={error} retry={reload} />
					)
				) : (
					<Loading what="the conversation" />
				)}
			</div>
		);

	const toggle = (mid) =>
		setOpen((o) => {
			const n = new Set(o);
			n.has(mid) ? n.delete(mid) : n.add(mid);
			return n;
		});
	const share = async () => {
		try {
			setData(await patch(`/mail/threads/${t.id}`, { shared: !t.shared }));
			toast(t.shared ? 'Now private to the mailbox.' : 'Shared: everyone in the team can read it.');
		} catch (e) {
			toast({ kind: 'error', message: errorText(e) });
		}
	};
	const split = async () => {
		try {
			const r = await post(`/mail/threads/${t.id}/split`, { message_ids: [...splitting] });
			setSplitting(null);
			reload();
			toast({
				message: 'Split into a new conversation.',
				action: { label: 'Open it', run: () => navigate(`/mail/threads/${r.new_thread_id}`) },
			});
		} catch (e) {
			toast({ kind: 'error', message: `Could not split: ${errorText(e)}` });
		}
	};

	return (
		<div class="page mail-page thread-page">
			<header class="page-head">
				<div>
					<p class="crumbs">
						<Link href="/inbox">Inbox</Link>
					</p>
					<h1>{t.subject || '(no subject)'}</h1>
					<p class="subtitle">
						{t.messages.length} message{t.messages.length === 1 ? '' : 's'}
						{t.shared && (
							<>
								{' '}
								<Badge>Shared</Badge>
							</>
						)}
					</p>
				</div>
				<div class="head-actions thread-actions">
					<button type="button" class="primary" onClick={() => respond('reply')}>
						Reply
					</button>
					<button type="button" onClick={() => respond('reply_all')}>
						Reply all
					</button>
					<button type="button" onClick={() => respond('forward')}>
						Forward
					</button>
					<button type="button" onClick={archive}>
						Archive
					</button>
					<button type="button" onClick={share}>
						{t.shared ? 'Make private' : 'Share with the team'}
					</button>
					{t.messages.length > 1 && (
						<button type="button" onClick={() => setSplitting(splitting ? null : new Set())}>
							{splitting ? 'Cancel split' : 'Split…'}
						</button>
					)}
					<button type="button" onClick={() => setJoining(true)}>
						Merge…
					</button>
				</div>
			</header>
			<div class="thread-layout">
			<div class="thread-main">
			<ThreadLinks links={t.links} />
			{splitting && (
				<div class="callout split-bar">
					<p>Tick the messages to move into a new conversation.</p>
					<button type="button" class="primary" disabled={!splitting.size || splitting.size === t.messages.length} onClick={split}>
						Split {splitting.size || ''} into a new conversation
					</button>
				</div>
			)}
			{loading && <span class="sr-only" role="status">Refreshing…</span>}
			<ol class="messages" aria-label="Messages">
				{t.messages.map((m) => (
					<li key={m.id}>
						{splitting && (
							<label class="check split-check">
								<input
									type="checkbox"
									checked={splitting.has(m.id)}
									onChange={(e) => {
										const n = new Set(splitting);
										e.currentTarget.checked ? n.add(m.id) : n.delete(m.id);
										setSplitting(n);
									}}
								/>
								Move “{who(m.from)}, {formatDateTime(m.date)}”
							</label>
						)}
						<Message
							m={m}
							open={open.has(m.id)}
							onToggle={() => toggle(m.id)}
							onRespond={(mode) => respond(mode, m)}
							onRelink={() => setRelink(m)}
							onRead={() => setData((x) => ({ ...x, messages: x.messages.map((y) => (y.id === m.id ? { ...y, unread: false } : y)) }))}
						/>
					</li>
				))}
			</ol>
			{waiting > 0 && (
				<p class="muted sending-note" role="status">
					Sending… the sent copy shows here once the mail server has it.
				</p>
			)}
			<ThreadComments thread={t} me={session && session.user && session.user.id} />
			</div>
			<ThreadPanel thread={t} me={session && session.user && session.user.id} onChanged={reload} />
			</div>
			{joining && <JoinDialog thread={t} onClose={() => setJoining(false)} onJoined={(x) => (setJoining(false), setData(x))} />}
			{relink && (
				<RelinkDialog
					m={relink}
					thread={t}
					onClose={() => setRelink(null)}
					onSaved={() => {
						setRelink(null);
						reload();
					}}
				/>
			)}
			<ComposeHost />
		</div>
	);
}

function RecordLink({ table, id }) {
	const title = useRecordTitle(table, id);
	return <Link href={`/${table}/${id}`}>{title || '…'}</Link>;
}

function ThreadLinks({ links }) {
	const l = links || { contact_ids: [], company_ids: [], deal_ids: [] };
	const none = !l.contact_ids.length && !l.company_ids.length && !l.deal_ids.length;
	return (
		<section class="thread-links" aria-label="Linked records">
			{none ? (
				<p class="muted">Not linked to any contact, company or deal. Use “Links…” on a message to link the conversation.</p>
			) : (
				<dl class="details-inline">
					{[
						['contacts', 'Contacts', l.contact_ids],
						['companies', 'Companies', l.company_ids],
						['deals', 'Deals', l.deal_ids],
					]
						.filter(([, , ids]) => ids.length)
						.map(([table, title, ids]) => (
							<div>
								<dt>{title}</dt>
								<dd>
									{ids.map((x, i) => (
										<>
											{i > 0 && ', '}
											<RecordLink table={table} id={x} />
										</>
									))}
								</dd>
							</div>
						))}
				</dl>
			)}
		</section>
	);
}

function Message({ m, open, onToggle, onRespond, onRelink, onRead }) {
	return (
		<article class={`message${open ? ' open' : ''}${m.unread ? ' unread' : ''}`} aria-label={`Message from ${who(m.from)}`}>
			<button type="button" class="message-head" aria-expanded={open ? 'true' : 'false'} onClick={onToggle}>
				<span class="message-from">{who(m.from)}</span>
				{!open && <span class="message-snippet muted">{m.snippet}</span>}
				<span class="message-date">
					{m.has_attachments && <span class="clip" aria-label="has attachments"><AttachIcon /> </span>}
					<time datetime={m.date}>{formatDateTime(m.date)}</time>
				</span>
			</button>
			{open && <MessageBody m={m} onRespond={onRespond} onRelink={onRelink} onRead={onRead} />}
		</article>
	);
}

function MessageBody({ m, onRespond, onRelink, onRead }) {
	const sender = m.from && m.from.address;
	const [remote, setRemote] = useState(() => remoteAllowed(sender));
	const { data: full, error, reload } = useLoad(() => get(`/mail/messages/${m.id}`), [m.id]);

	// Opening marks it read.
	useEffect(() => {
		if (m.unread)
			patch(`/mail/messages/${m.id}`, { unread: false }).then(onRead, () => {});
	}, [m.id]);

	if (error) return <ErrorBox error={error} retry={reload} />;
	if (!full) return <Loading what="the message" />;
	const files = (full.attachments || []).filter((a) => !a.inline || !a.content_id);
	return (
		<div class="message-body">
			<dl class="message-headers">
				<div>
					<dt>From</dt>
					<dd>{addrList([full.from])}</dd>
				</div>
				{full.to.length > 0 && (
					<div>
						<dt>To</dt>
						<dd>{addrList(full.to)}</dd>
					</div>
				)}
				{full.cc.length > 0 && (
					<div>
						<dt>Cc</dt>
						<dd>{addrList(full.cc)}</dd>
					</div>
				)}
			</dl>
			{full.remote_blocked > 0 && !remote && (
				<div class="callout remote-bar" role="note">
					<p>
						{full.remote_blocked} remote image{full.remote_blocked === 1 ? ' was' : 's were'} blocked to protect your privacy.
					</p>
					<button type="button" onClick={() => setRemote(true)}>
						Show images
					</button>
					{sender && (
						<button type="button" onClick={() => (allowRemote(sender), setRemote(true))}>
							Always show images from {sender}
						</button>
					)}
				</div>
			)}
			{full.html ? (
				<MailFrame id={m.id} remote={remote} title={`Message from ${who(m.from)}`} />
			) : full.text ? (
				<pre class="mail-text">{full.text}</pre>
			) : (
				<p class="muted">(no text)</p>
			)}
			{files.length > 0 && (
				<ul class="attachments" aria-label="Attachments">
					{files.map((a) => (
						<li>
							<a href={`/api/v1/mail/messages/${m.id}/attachments/${a.id}`} download={a.filename || ''}>
								<AttachIcon />
								{a.filename || 'attachment'}
							</a>{' '}
							<span class="muted">{Math.max(1, Math.round(a.size / 1024))} KB</span>
						</li>
					))}
				</ul>
			)}
			<div class="message-actions">
				<button type="button" onClick={() => onRespond('reply')}>
					Reply
				</button>
				<button type="button" onClick={() => onRespond('reply_all')}>
					Reply all
				</button>
				<button type="button" onClick={() => onRespond('forward')}>
					Forward
				</button>
				<button type="button" onClick={onRelink}>
					Links…
				</button>
				<a class="button" href={`/api/v1/mail/messages/${m.id}/raw`}>
					Download .eml
				</a>
			</div>
		</div>
	);
}

// The body in a frame of its own: no scripts (no allow-scripts), its own CSP
// from the server, links opening in a new tab; as tall as its content.
function MailFrame({ id, remote, title }) {
	const ref = useRef(null);
	const fit = () => {
		const f = ref.current;
		const doc = f && f.contentDocument;
		if (!doc || !doc.documentElement) return;
		f.style.height = `${Math.min(Math.max(doc.documentElement.scrollHeight, 60), 20000)}px`;
	};
	useEffect(() => {
		const f = ref.current;
		let ro = null;
		const loaded = () => {
			fit();
			const body = f.contentDocument && f.contentDocument.body;
			if (body && typeof ResizeObserver !== 'undefined') {
				ro && ro.disconnect();
				ro = new ResizeObserver(fit);
				ro.observe(body);
			}
		};
		f.addEventListener('load', loaded);
		return () => (f.removeEventListener('load', loaded), ro && ro.disconnect());
	}, []);
	return (
		<iframe
			ref={ref}
			class="mail-frame"
			title={title}
			sandbox="allow-same-origin allow-popups allow-popups-to-escape-sandbox"
			referrerpolicy="no-referrer"
			src={`/api/v1/mail/messages/${id}/body${remote ? '?remote=1' : ''}`}
		/>
	);
}

// Finds records of one table by name for the relink dialog.
function RecordSearch({ table, label, onPick }) {
	const [q, setQ] = useState('');
	const [items, setItems] = useState([]);
	useEffect(() => {
		if (q.trim().length < 1) return setItems([]);
		let live = true;
		const t = setTimeout(() => {
			get(`/${table}`, { q: q.trim(), limit: 6 }).then(
				(r) => live && setItems(r.items),
				() => live && setItems([]),
			);
		}, 200);
		return () => ((live = false), clearTimeout(t));
	}, [q]);
	const id = `relink-${table}`;
	return (
		<div class="field record-search">
			<label for={id}>{label}</label>
			<input id={id} type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} autocomplete="off" />
			{items.length > 0 && (
				<ul class="pick-list">
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

// Links of the whole conversation (the messages the user sees; the thread's
// links are theirs) by default, or of this one message.
function RelinkDialog({ m, thread, onClose, onSaved }) {
	const { data: full } = useLoad(() => get(`/mail/messages/${m.id}`), [m.id]);
	const many = thread && thread.messages.length > 1;
	const [scope, setScope] = useState(many ? 'thread' : 'message');
	const [links, setLinks] = useState(null);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const startFrom = (sc) => setLinks(sc === 'thread' ? { ...thread.links } : { ...full.links });
	useEffect(() => {
		if (full && !links) startFrom(scope);
	}, [full]);
	const choose = (sc) => (setScope(sc), full && startFrom(sc));

	const tables = [
		['contacts', 'contact_ids', 'Contacts', 'Add a contact'],
		['companies', 'company_ids', 'Companies', 'Add a company'],
		['deals', 'deal_ids', 'Deals', 'Add a deal'],
	];
	const save = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			if (scope === 'thread') {
				await api('PUT', `/mail/threads/${thread.id}/links`, links);
				toast('Links saved: the conversation shows on the new timelines.');
			} else {
				await api('PUT', `/mail/messages/${m.id}/links`, links);
				toast('Links saved: the message shows on the new timelines.');
			}
			onSaved();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	return (
		<Modal title="Linked records" onClose={onClose}>
			{!links ? (
				<Loading what="the links" />
			) : (
				<form class="relink-form" onSubmit={save}>
					{many && (
						<fieldset class="relink-scope">
							<legend>Apply to</legend>
							<label class="check">
								<input type="radio" name="relink-scope" checked={scope === 'thread'} onChange={() => choose('thread')} />
								The whole conversation ({thread.messages.length} messages)
							</label>
							<label class="check">
								<input type="radio" name="relink-scope" checked={scope === 'message'} onChange={() => choose('message')} />
								Only this message
							</label>
						</fieldset>
					)}
					<p class="muted">
						{scope === 'thread' ? `The conversation “${thread.subject || '(no subject)'}”` : `“${m.subject || '(no subject)'}” from ${who(m.from)}`}.
						Linked records show it on their timelines; a deal brings its contact and company along.
					</p>
					{tables.map(([table, key, title, add]) => (
						<fieldset>
							<legend>{title}</legend>
							{links[key].length ? (
								<ul class="chips">
									{links[key].map((x) => (
										<LinkChip
											table={table}
											id={x}
											onRemove={() => setLinks({ ...links, [key]: links[key].filter((y) => y !== x) })}
										/>
									))}
								</ul>
							) : (
								<p class="muted">None.</p>
							)}
							<RecordSearch
								table={table}
								label={add}
								onPick={(r) => !links[key].includes(r.id) && setLinks({ ...links, [key]: [...links[key], r.id] })}
							/>
						</fieldset>
					))}
					<FormError error={error} />
					<div class="form-actions">
						<Submit busy={busy}>Save links</Submit>
						<button type="button" onClick={onClose}>
							Cancel
						</button>
					</div>
				</form>
			)}
		</Modal>
	);
}

function LinkChip({ table, id, onRemove }) {
	const title = useRecordTitle(table, id);
	return (
		<li class="chip link-chip">
			{title || '…'}{' '}
			<button type="button" class="icon-button" aria-label={`Unlink ${title}`} onClick={onRemove}>
				×
			</button>
		</li>
	);
}

function JoinDialog({ thread, onClose, onJoined }) {
	const [q, setQ] = useState('');
	const [items, setItems] = useState([]);
	const [error, setError] = useState(null);
	useEffect(() => {
		let live = true;
		const t = setTimeout(() => {
			get('/mail/threads', { q: q.trim(), limit: 8 }).then(
				(r) => live && (setItems(r.items.filter((x) => x.id !== thread.id)), setError(null)),
				(e) => live && setError(e),
			);
		}, 250);
		return () => ((live = false), clearTimeout(t));
	}, [q]);
	const join = async (other) => {
		try {
			onJoined(await post(`/mail/threads/${thread.id}/join`, { thread_id: other.id }));
			toast(`Merged “${other.subject || '(no subject)'}” into this conversation.`);
		} catch (e) {
			setError(e);
		}
	};
	return (
		<Modal title="Merge a conversation into this one" onClose={onClose}>
			<div class="field">
				<label for="join-q">Find the conversation</label>
				<input id="join-q" type="search" value={q} onInput={(e) => setQ(e.currentTarget.value)} placeholder="subject or from:name" />
			</div>
			<FormError error={error} />
			<ul class="pick-list join-list">
				{items.map((x) => (
					<li>
						<span>
							{x.subject || '(no subject)'} <span class="muted">— {(x.participants || []).map(who).join(', ')}</span>
						</span>
						<button type="button" onClick={() => join(x)}>
							Merge
						</button>
					</li>
				))}
			</ul>
		</Modal>
	);
}
