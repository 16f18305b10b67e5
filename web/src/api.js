// The one way the UI talks to Parley: JSON over /api/v1 with the session
// cookie, the CSRF token on writes, and errors as ApiError (code, message,
// field) so that forms can show them next to the field that caused them.

export class ApiError extends Error {
	constructor(status, body) {
		const e = (body && body.error) || {};
		super(e.message || `the server answered ${status}`);
		this.status = status;
		this.code = e.code || 'error';
		this.field = e.field || null;
		this.requestId = e.request_id || null;
	}
}

let csrfToken = null;
let authLost = () => {};
let busy = 0;
const busyListeners = new Set();

export function setCsrfToken(token) {
	csrfToken = token || null;
}

// fn() runs when a request answers 401: the session ended.
export function onAuthLost(fn) {
	authLost = fn;
}

// fn(n) runs whenever the number of requests in flight changes.
export function onBusy(fn) {
	busyListeners.add(fn);
	return () => busyListeners.delete(fn);
}

function setBusy(delta) {
	busy += delta;
	busyListeners.forEach((fn) => fn(busy));
}

export function query(params) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params || {}))
		if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
	const s = q.toString();
	return s ? `?${s}` : '';
}

// opts.keepalive: the request outlives the page (a save as it is hidden).
export async function api(method, path, body, opts) {
	const headers = { Accept: 'application/json' };
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
	let res;
	setBusy(1);
	try {
		res = await fetch(`/api/v1${path}`, {
			method,
			headers,
			credentials: 'same-origin',
			keepalive: !!(opts && opts.keepalive),
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	} catch {
		throw new ApiError(0, {
			error: { code: 'network', message: 'Parley cannot be reached: check the connection and try again.' },
		});
	} finally {
		setBusy(-1);
	}
	let data = null;
	if (res.status !== 204) {
		try {
			data = await res.json();
		} catch {
			data = null;
		}
	}
	if (!res.ok) {
		const err = new ApiError(res.status, data);
		if (res.status === 401 && path !== '/session') authLost();
		throw err;
	}
	return data;
}

export const get = (path, params) => api('GET', path + query(params));
export const post = (path, body) => api('POST', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const put = (path, body) => api('PUT', path, body);
export const del = (path) => api('DELETE', path);

// Every page of a list (for boards and pickers), at most max items.
export async function getAll(path, params, max = 2000) {
	let items = [];
	let cursor;
	do {
		const page = await get(path, { ...params, limit: 500, cursor });
		items = items.concat(page.items);
		cursor = page.next_cursor;
	} while (cursor && items.length < max);
	return items;
}
