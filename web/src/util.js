// Formatting and small shared state: names, money, dates, the users list,
// a cache of record titles, and toasts.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';

export function contactName(c) {
	if (!c) return '';
	const n = [c.first_name, c.last_name].filter(Boolean).join(' ');
	return n || (c.emails && c.emails[0]) || (c.phones && c.phones[0]) || `Contact ${c.id}`;
}

export function recordTitle(table, r) {
	if (!r) return '';
	if (table === 'contacts') return contactName(r);
	return r.name || r.title || `#${r.id}`;
}

// Amounts are integers in minor units (cents).
export function money(amount, currency) {
	const v = (amount || 0) / 100;
	try {
		return new Intl.NumberFormat(undefined, { style: 'currency', currency: currency || 'USD' }).format(v);
	} catch {
		return `${v.toFixed(2)} ${currency || ''}`.trim();
	}
}

const dateFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFmt = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const relFmt = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });

export function formatDate(iso) {
	if (!iso) return '';
	const d = new Date(iso.length === 10 ? `${iso}T00:00:00` : iso);
	return isNaN(d) ? iso : dateFmt.format(d);
}

export function formatDateTime(iso) {
	if (!iso) return '';
	const d = new Date(iso);
	return isNaN(d) ? iso : dateTimeFmt.format(d);
}

export function relativeTime(iso, now = Date.now()) {
	const d = new Date(iso);
	if (isNaN(d)) return '';
	const s = Math.round((d.getTime() - now) / 1000);
	const a = Math.abs(s);
	if (a < 60) return relFmt.format(s, 'second');
	if (a < 3600) return relFmt.format(Math.round(s / 60), 'minute');
	if (a < 86400) return relFmt.format(Math.round(s / 3600), 'hour');
	if (a < 86400 * 30) return relFmt.format(Math.round(s / 86400), 'day');
	return formatDate(iso);
}

// <input type="datetime-local"> value (local time) to RFC 3339 UTC, or null.
export function localToIso(v) {
	if (!v) return null;
	const d = new Date(v);
	return isNaN(d) ? null : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function isoToLocal(iso) {
	if (!iso) return '';
	const d = new Date(iso);
	if (isNaN(d)) return '';
	const p = (n) => String(n).padStart(2, '0');
	return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

export function splitList(s) {
	return (s || '')
		.split(/[,;\n]/)
		.map((x) => x.trim())
		.filter(Boolean);
}

export function label(s) {
	return s ? s.charAt(0).toUpperCase() + s.slice(1).replace(/[_-]/g, ' ') : '';
}

// A small observable value shared by components.
export function shared(initial) {
	let value = initial;
	const subs = new Set();
	return {
		get: () => value,
		set(v) {
			value = typeof v === 'function' ? v(value) : v;
			subs.forEach((fn) => fn(value));
		},
		use() {
			const [v, setV] = useState(value);
			useEffect(() => {
				subs.add(setV);
				setV(value);
				return () => subs.delete(setV);
			}, []);
			return v;
		},
	};
}

// ---- users (everyone may list them) ----
const users = shared(null);
let usersLoading = null;

export function loadUsers(force = false) {
	if (!usersLoading || force)
		usersLoading = get('/users')
			.then((r) => (users.set(r.items), r.items))
			.catch((e) => {
				usersLoading = null;
				throw e;
			});
	return usersLoading;
}

export function useUsers() {
	const list = users.use();
	useEffect(() => {
		if (!list) loadUsers().catch(() => {});
	}, []);
	return list || [];
}

export function userName(list, id) {
	if (!id) return '';
	const u = list.find((x) => x.id === id);
	return u ? u.name : `User ${id}`;
}

// ---- record titles for links (company of a contact, contact of a deal) ----
const titles = new Map();
const titlesVersion = shared(0);

export function rememberRecord(table, r) {
	if (r && r.id) {
		titles.set(`${table}/${r.id}`, Promise.resolve(recordTitle(table, r)));
		titlesVersion.set((n) => n + 1);
	}
}

export function useRecordTitle(table, id) {
	const [title, setTitle] = useState('');
	const version = titlesVersion.use();
	useEffect(() => {
		if (!id) return setTitle('');
		const key = `${table}/${id}`;
		if (!titles.has(key))
			titles.set(
				key,
				get(`/${table}/${id}`)
					.then((r) => recordTitle(table, r))
					.catch(() => `#${id}`),
			);
		let live = true;
		titles.get(key).then((t) => live && setTitle(t));
		return () => (live = false);
	}, [table, id, version]);
	return title;
}

// ---- toasts ----
export const toasts = shared([]);
let toastId = 0;

// toast('Saved') or toast({ message, kind: 'error', action: { label, run } }).
export function toast(t) {
	const item = typeof t === 'string' ? { message: t } : t;
	const id = ++toastId;
	toasts.set((list) => [...list, { kind: 'info', ...item, id }]);
	setTimeout(() => dismissToast(id), item.kind === 'error' ? 8000 : 5000);
}

export function dismissToast(id) {
	toasts.set((list) => list.filter((t) => t.id !== id));
}

export function errorText(e) {
	if (!e) return '';
	if (e.status === 500 && e.requestId) return `Something went wrong on the server (request ${e.requestId}).`;
	return e.message || String(e);
}

// ---- settings (the deal pipeline) ----
let settingsLoading = null;

export function loadSettings(force = false) {
	if (!settingsLoading || force)
		settingsLoading = get('/settings').catch((e) => {
			settingsLoading = null;
			throw e;
		});
	return settingsLoading;
}
