// Appearance: light, dark, or whatever the system says (prefers-color-scheme,
// followed live). The choice is this browser's, kept in localStorage (the API
// has no per-user preferences); <html data-theme="dark|light"> carries the
// result and styles/phone.css switches the CSS variables on it.
import { shared } from './util.js';

const KEY = 'parley.theme';
export const THEMES = [
	['system', 'System'],
	['light', 'Light'],
	['dark', 'Dark'],
];
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored() {
	try {
		const v = localStorage.getItem(KEY);
		return THEMES.some((t) => t[0] === v) ? v : 'system';
	} catch {
		return 'system'; /* storage blocked: follow the system */
	}
}

export const themeChoice = shared(stored());

function apply() {
	const c = themeChoice.get();
	document.documentElement.dataset.theme = c === 'dark' || (c === 'system' && media.matches) ? 'dark' : 'light';
}

export function setTheme(choice) {
	try {
		if (choice === 'system') localStorage.removeItem(KEY);
		else localStorage.setItem(KEY, choice);
	} catch {
		/* not remembered, still applied */
	}
	themeChoice.set(choice);
	apply();
}

// Once, before the first render: the theme now, and again when the system
// changes or another tab makes a choice.
export function startTheme() {
	apply();
	media.addEventListener('change', apply);
	window.addEventListener('storage', (e) => {
		if (e.key !== KEY && e.key !== null) return;
		themeChoice.set(stored());
		apply();
	});
}
