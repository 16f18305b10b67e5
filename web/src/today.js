// The counts of the user's day (GET /api/v1/today/counts), shared by the
// menu (Today, Inbox) and the bell (unread notifications plus overdue
// tasks). The shell keeps them fresh: on start, every minute, when the tab
// comes back, and whenever something changes them (refreshCounts()).
import { useEffect } from 'preact/hooks';
import { get } from './api.js';
import { browserZone } from './calendar.js';
import { shared } from './util.js';

export const todayCounts = shared(null);
// Bumped when the day changed under the Today page (a notification came).
export const todayChanged = shared(0);

const EVERY_MS = 60000;
let zone = browserZone();

// GET path with the browser's time zone; one the server does not know
// (a rare Etc/GMT+5) falls back to UTC for the rest of the session.
export function getDay(path) {
	return get(path, { timezone: zone }).catch((e) => {
		if (e.field !== 'timezone' || zone === 'UTC') throw e;
		zone = 'UTC';
		return get(path, { timezone: zone });
	});
}

export const dayZone = () => zone;
let inflight = null;
let again = false;

export function refreshCounts() {
	if (inflight) {
		again = true;
		return inflight;
	}
	inflight = getDay('/today/counts')
		.then((c) => todayCounts.set(c))
		.catch(() => {
			/* the menu keeps the last counts; the next tick tries again */
		})
		.finally(() => {
			inflight = null;
			if (again) {
				again = false;
				refreshCounts();
			}
		});
	return inflight;
}

// Once, in the shell.
export function useCountsRefresh() {
	useEffect(() => {
		refreshCounts();
		const timer = setInterval(refreshCounts, EVERY_MS);
		const back = () => document.visibilityState === 'visible' && refreshCounts();
		document.addEventListener('visibilitychange', back);
		return () => {
			clearInterval(timer);
			document.removeEventListener('visibilitychange', back);
		};
	}, []);
}
