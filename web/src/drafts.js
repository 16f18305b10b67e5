// Drafts kept on the server (docs/api/drafts.md), one per key: "new" for a
// new message, "thread-ID" for a reply in conversation ID, "forward-ID" for
// a forward. Writes of one key go out in order, and a read waits for the
// writes before it, so reopening right after closing shows what was typed.
import { api, get } from './api.js';

const queues = new Map();

function queue(key, fn) {
	const p = (queues.get(key) || Promise.resolve()).then(fn);
	queues.set(
		key,
		p.catch(() => {}),
	);
	return p;
}

export function draftKey(req) {
	if (!req.parent) return 'new';
	const t = req.thread ? req.thread.id : req.parent.thread_id;
	const kind = req.mode === 'forward' ? 'forward' : 'thread';
	return t ? `${kind}-${t}` : `${kind}-message-${req.parent.id}`;
}

// The draft's fields, or null when there is none.
export async function loadDraft(key) {
	await queues.get(key);
	try {
		return (await get(`/mail/drafts/${key}`)).fields;
	} catch (e) {
		if (e.status === 404) return null;
		throw e;
	}
}

// keepalive: the page is going away (at most 64 KB then, the browser's limit).
export function saveDraft(key, fields, keepalive = false) {
	return queue(key, () => api('PUT', `/mail/drafts/${key}`, { fields }, { keepalive }));
}

export function deleteDraft(key) {
	return queue(key, () =>
		api('DELETE', `/mail/drafts/${key}`).catch((e) => {
			if (e.status !== 404) throw e;
		}),
	);
}
