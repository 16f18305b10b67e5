// What the calendar screens share: local-date arithmetic for the week and
// month grids (in the browser's time zone), wall times in a meeting's own
// IANA time zone (for the form), and CSS variables set without style props.
import { useLayoutEffect } from 'preact/hooks';

const p2 = (n) => String(n).padStart(2, '0');

export const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

// 'YYYY-MM-DD' of a local date.
export function ymd(d) {
	return `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
}

// Local midnight of 'YYYY-MM-DD', or null.
export function parseYmd(s) {
	const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s || '');
	if (!m) return null;
	const d = new Date(+m[1], +m[2] - 1, +m[3]);
	return isNaN(d) ? null : d;
}

export function addDays(d, n) {
	return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n);
}

export function today() {
	const n = new Date();
	return new Date(n.getFullYear(), n.getMonth(), n.getDate());
}

// Weeks start on Monday.
export function startOfWeek(d) {
	return addDays(d, -((d.getDay() + 6) % 7));
}

// The visible days of a view: { from, to (exclusive), days: [Date] }.
export function viewRange(view, date) {
	let from, to;
	if (view === 'month') {
		from = startOfWeek(new Date(date.getFullYear(), date.getMonth(), 1));
		const last = new Date(date.getFullYear(), date.getMonth() + 1, 0);
		to = addDays(startOfWeek(last), 7);
	} else {
		from = startOfWeek(date);
		to = addDays(from, 7);
	}
	const days = [];
	for (let d = from; d < to; d = addDays(d, 1)) days.push(d);
	return { from, to, days };
}

// The date one view away (n = -1 or 1). A month keeps the day of the month
// (the 31st becomes the last day of a shorter month), so Next then Previous
// comes back to the same date and the week view after it shows the same week.
export function shiftView(view, date, n) {
	if (view === 'month') {
		const last = new Date(date.getFullYear(), date.getMonth() + n + 1, 0).getDate();
		return new Date(date.getFullYear(), date.getMonth() + n, Math.min(date.getDate(), last));
	}
	return addDays(date, 7 * n);
}

export const sameDay = (a, b) => ymd(a) === ymd(b);

export function isoOf(ms) {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---- wall times in a named time zone ----
const zoneFormats = new Map();

function zoneFormat(tz) {
	if (!zoneFormats.has(tz))
		zoneFormats.set(
			tz,
			new Intl.DateTimeFormat('en-US', {
				timeZone: tz,
				hourCycle: 'h23',
				year: 'numeric',
				month: '2-digit',
				day: '2-digit',
				hour: '2-digit',
				minute: '2-digit',
				second: '2-digit',
			}),
		);
	return zoneFormats.get(tz);
}

export function validZone(tz) {
	try {
		zoneFormat(tz);
		return true;
	} catch {
		return false;
	}
}

function wallParts(ms, tz) {
	const o = {};
	for (const x of zoneFormat(tz).formatToParts(new Date(ms))) o[x.type] = x.value;
	return o;
}

// How far the zone's wall clock is ahead of UTC at instant ms.
function zoneOffset(ms, tz) {
	const o = wallParts(ms, tz);
	const wall = Date.UTC(+o.year, +o.month - 1, +o.day, +o.hour % 24, +o.minute, +o.second);
	return wall - Math.floor(ms / 1000) * 1000;
}

// 'YYYY-MM-DD' and 'HH:MM' on the wall clock of tz, as RFC 3339 UTC; null if unusable.
export function zonedToIso(date, time, tz) {
	const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date || '');
	const t = /^(\d{1,2}):(\d{2})/.exec(time || '');
	if (!d || !t) return null;
	const wall = Date.UTC(+d[1], +d[2] - 1, +d[3], +t[1], +t[2]);
	let ms = wall - zoneOffset(wall, tz);
	ms = wall - zoneOffset(ms, tz);
	return isoOf(ms);
}

// An instant as { date: 'YYYY-MM-DD', time: 'HH:MM' } on the wall clock of tz.
export function isoToZoned(iso, tz) {
	const o = wallParts(new Date(iso).getTime(), tz);
	return { date: `${o.year}-${o.month}-${o.day}`, time: `${p2(+o.hour % 24)}:${o.minute}` };
}

export function zoneNames() {
	let list = [];
	try {
		list = Intl.supportedValuesOf('timeZone');
	} catch {
		/* an older browser: the text input still works */
	}
	return list.includes('UTC') ? list : ['UTC', ...list];
}

// ---- formatting ----
const timeFmt = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const dayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'short', day: 'numeric' });
const longDayFmt = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const monthFmt = new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric' });
const shortFmt = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export const fmtTime = (d) => timeFmt.format(d);
export const fmtDay = (d) => dayFmt.format(d);
export const fmtLongDay = (d) => longDayFmt.format(d);
export const fmtMonth = (d) => monthFmt.format(d);

export function rangeTitle(view, date, range) {
	if (view === 'month') return fmtMonth(date);
	try {
		return shortFmt.formatRange(range.from, addDays(range.to, -1));
	} catch {
		return `${shortFmt.format(range.from)} – ${shortFmt.format(addDays(range.to, -1))}`;
	}
}

export function reminderLabel(min) {
	if (min === 0) return 'At the start';
	if (min % 1440 === 0) return min === 1440 ? '1 day before' : `${min / 1440} days before`;
	if (min % 60 === 0) return min === 60 ? '1 hour before' : `${min / 60} hours before`;
	return `${min} min before`;
}

// Sets CSS custom properties (--name) on the element in ref: the CSP allows
// no style attributes, but the CSSOM is fine.
export function useCssVars(ref, vars) {
	useLayoutEffect(() => {
		const el = ref.current;
		if (el) for (const [k, v] of Object.entries(vars)) el.style.setProperty(`--${k}`, String(v));
	}, [ref, ...Object.values(vars)]);
}
