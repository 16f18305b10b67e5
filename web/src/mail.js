// What the mail screens share: addresses, the mailboxes, the search query
// built from the filters, the compose request, remembered choices about
// remote images, and the mail keyboard shortcuts.
import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { get, patch } from './api.js';
import { errorText, shared, toast } from './util.js';

export const MAIL_KEYS = [
	['j / k', 'Next / previous conversation'],
	['o / Enter', 'Open the conversation'],
	['u', 'Back to the inbox (in a conversation)'],
	['r', 'Reply'],
	['a', 'Reply to all'],
	['f', 'Forward'],
	['c', 'Compose a new message'],
	['e', 'Archive (move to the Archive folder)'],
];

export function who(a) {
	return (a && (a.name || a.address)) || '';
}

export function addr(a) {
	if (!a) return '';
	return a.name && a.name !== a.address ? `${a.name} <${a.address}>` : a.address;
}

export function addrList(list) {
	return (list || []).map(addr).join(', ');
}

// "Ada <ada@x>, bob@y" -> ["Ada <ada@x>", "bob@y"] (commas inside quotes kept).
export function splitAddresses(s) {
	const out = [];
	let cur = '';
	let quoted = false;
	for (const ch of s || '') {
		if (ch === '"') quoted = !quoted;
		if ((ch === ',' || ch === ';') && !quoted) {
			if (cur.trim()) out.push(cur.trim());
			cur = '';
		} else cur += ch;
	}
	if (cur.trim()) out.push(cur.trim());
	return out;
}

export function bareAddress(s) {
	const m = /<([^>]+)>/.exec(s || '');
	return (m ? m[1] : s || '').trim().toLowerCase();
}

// ---- the mailboxes (one page, cached) ----
const accounts = shared(null);
let accountsLoading = null;

export function loadAccounts() {
	if (!accountsLoading)
		accountsLoading = get('/mail/accounts')
			.then((r) => (accounts.set(r.items), r.items))
			.catch((e) => {
				accountsLoading = null;
				throw e;
			});
	return accountsLoading;
}

// Mail goes out only from one's own mailbox or a shared one: an admin sees
// colleagues' mailboxes but may not send from them (the server says 403).
let mailUser = null;
export function setMailUser(user) {
	mailUser = user;
}
export const currentMailUser = () => mailUser;
export function sendableAccounts(accounts) {
	return (accounts || []).filter((a) => a.enabled && (a.shared || !mailUser || a.owner_id === mailUser.id));
}

export function useAccounts() {
	const list = accounts.use();
	const [error, setError] = useState(null);
	useEffect(() => {
		if (!list) loadAccounts().catch(setError);
	}, []);
	return { accounts: list, error };
}

// ---- the filters as a query in the search language ----
// The user's own query comes first (in parentheses when filters follow, so
// that an OR in it stays inside), so its error columns need no shifting
// beyond the one parenthesis.
export function buildQuery(f) {
	const terms = [];
	if (f.account) terms.push(`account:${f.account}`);
	if (f.folder) terms.push(`in:${/\s/.test(f.folder) ? `"${f.folder}"` : f.folder}`);
	if (f.unread) terms.push('is:unread');
	if (f.linked === 'linked') terms.push('is:linked');
	if (f.linked === 'unlinked') terms.push('is:unlinked');
	if (f.company) terms.push(`company:${f.company}`);
	if (f.since) terms.push(`after:-${f.since}`);
	const q = (f.q || '').trim();
	if (!terms.length) return { q, shift: 0 };
	return { q: q ? `(${q}) ${terms.join(' ')}` : terms.join(' '), shift: q ? 1 : 0 };
}

// "missing ')' at column 9" -> { message, column } in the user's own query.
export function queryError(e, shift, userQuery) {
	const m = /at column (\d+)/.exec(e.message || '');
	if (!m) return { message: e.message, column: null };
	let col = Number(m[1]) - shift;
	if (col > userQuery.length + 1) col = userQuery.length + 1;
	if (col < 1) col = 1;
	return { message: e.message.replace(/at column \d+/, `at column ${col}`), column: col };
}

// ---- compose: any mail screen opens it, the one on screen shows it ----
// { mode: 'new'|'reply'|'reply_all'|'forward', parent: message, thread, to }
export const compose = shared(null);

export function openCompose(req) {
	compose.set({ mode: 'new', ...req, at: Date.now() });
}

// Reply, reply all or forward the latest message of a thread (from the list).
export async function replyFromThread(threadId, mode) {
	try {
		const t = await get(`/mail/threads/${threadId}`);
		const parent = t.messages[t.messages.length - 1];
		if (parent) openCompose({ mode, parent, thread: t });
	} catch (e) {
		compose.set(null);
		throw e;
	}
}

// Moves a thread's received messages to the Archive folder of their mailbox;
// the number moved.
export async function archiveThread(threadId) {
	return (await archiveWithUndo(threadId)).moved;
}

// The same, and { moved, undo }: undo() moves each message back to the folder
// it was in (a move still queued for the mail server is simply cancelled).
export async function archiveWithUndo(threadId) {
	const t = await get(`/mail/threads/${threadId}`);
	const move = t.messages.filter((m) => m.direction !== 'outbound');
	const back = move.filter((m) => m.folder && m.folder !== 'Archive').map((m) => [m.id, m.folder]);
	for (const m of move) await patch(`/mail/messages/${m.id}`, { folder: 'Archive' });
	const undo = async () => {
		for (const [id, folder] of back) await patch(`/mail/messages/${id}`, { folder });
		settleUndo(back);
	};
	return { moved: move.length, undo: back.length ? undo : null };
}

// An archive the mail server carried out just before the undo is seen only
// at the next sync (until then the message still looks to be where it was,
// so the undo had nothing to cancel): for a minute, a message that turns up
// in Archive is moved back once more.
function settleUndo(back) {
	const moved = new Set();
	let ticks = 0;
	const tick = async () => {
		for (const [id, folder] of back) {
			if (moved.has(id)) continue;
			try {
				const m = await get(`/mail/messages/${id}`);
				if (m.folder === 'Archive') (moved.add(id), await patch(`/mail/messages/${id}`, { folder }));
			} catch {
				/* gone or not visible any more: nothing to put back */
			}
		}
		if (++ticks < 30 && moved.size < back.length) setTimeout(tick, 2000);
	};
	setTimeout(tick, 2000);
}

// The toast after archiveWithUndo(): message, and Undo when something moved;
// onUndone() after the messages are back.
export function archivedToast(result, message, onUndone) {
	const run = async () => {
		try {
			await result.undo();
			toast('Undone: the conversation is back where it was.');
			if (onUndone) onUndone();
		} catch (e) {
			toast({ kind: 'error', message: `Could not undo the archive: ${errorText(e)}` });
		}
	};
	toast(result.undo ? { message, action: { label: 'Undo', run } } : message);
}

// The addresses a reply goes to: { to, cc } (strings), mine left out.
export function replyRecipients(parent, mode, mine) {
	const me = new Set((mine || []).map((x) => x.toLowerCase()));
	const keep = (list) => (list || []).filter((a) => a.address && !me.has(a.address.toLowerCase()));
	const out = parent.direction === 'outbound';
	let to = out ? keep(parent.to) : keep(parent.reply_to && parent.reply_to.length ? parent.reply_to : [parent.from]);
	let cc = [];
	if (mode === 'reply_all') {
		const seen = new Set(to.map((a) => a.address.toLowerCase()));
		const add = (list, into) =>
			keep(list).forEach((a) => {
				const k = a.address.toLowerCase();
				if (!seen.has(k)) (seen.add(k), into.push(a));
			});
		if (!out) add(parent.to, to);
		add(parent.cc, cc);
	}
	return { to: to.map(addr).join(', '), cc: cc.map(addr).join(', ') };
}

// ---- remote images: allowed per sender, remembered in this browser ----
const REMOTE_KEY = 'parley.mail.remote-senders';

function remoteSenders() {
	try {
		return JSON.parse(localStorage.getItem(REMOTE_KEY) || '[]');
	} catch {
		return [];
	}
}

export function remoteAllowed(address) {
	return !!address && remoteSenders().includes(address.toLowerCase());
}

export function allowRemote(address) {
	const list = remoteSenders();
	const a = address.toLowerCase();
	if (!list.includes(a)) localStorage.setItem(REMOTE_KEY, JSON.stringify([...list, a].slice(-500)));
}

// ---- keys: plain letters while a mail screen is showing ----
function typing(el) {
	return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

// keys: { j: fn, k: fn, ... }; ignored while typing, in a dialog, or after
// the "g" of the app's go-to shortcuts.
// Layout effect: the keys work as soon as the screen shows, not a frame later
// (a key pressed right after a thread appears is not lost).
export function useMailKeys(keys) {
	useLayoutEffect(() => {
		let g = 0;
		const down = (e) => {
			if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
			if (e.key === 'g') {
				g = Date.now();
				return;
			}
			if (Date.now() - g < 1500) {
				g = 0;
				return;
			}
			const fn = keys[e.key];
			if (fn && !(e.key === 'Enter' && e.target.closest && e.target.closest('a,button'))) {
				e.preventDefault();
				fn(e);
			}
		};
		document.addEventListener('keydown', down);
		return () => document.removeEventListener('keydown', down);
	}, [keys]);
}

export function outboxStatusKind(s) {
	return { sent: 'won', failed: 'lost', deferred: 'proposal', queued: 'new', sending: 'open' }[s] || 'plain';
}
