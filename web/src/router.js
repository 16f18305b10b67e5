// A tiny router over the History API: the path is the state, links push it,
// the back button pops it, and screens are chosen by matching patterns such
// as '/contacts/:id'. The server answers every such path with index.html.
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

const listeners = new Set();

function changed() {
	listeners.forEach((fn) => fn());
}

window.addEventListener('popstate', changed);

export function navigate(to, { replace = false } = {}) {
	if (to === location.pathname + location.search) return;
	history[replace ? 'replaceState' : 'pushState'](null, '', to);
	changed();
	if (!replace) window.scrollTo(0, 0);
}

// Re-renders the caller when the location changes.
export function useLocation() {
	const [, tick] = useState(0);
	useEffect(() => {
		const fn = () => tick((n) => n + 1);
		listeners.add(fn);
		return () => listeners.delete(fn);
	}, []);
	return { path: location.pathname, params: new URLSearchParams(location.search) };
}

// [pattern, value] pairs; returns { value, params } for the first match, or null.
export function match(routes, path) {
	for (const [pattern, value] of routes) {
		const names = [];
		const re = new RegExp(
			'^' + pattern.replace(/:(\w+)/g, (_, n) => (names.push(n), '([^/]+)')) + '/?$',
		);
		const m = re.exec(path);
		if (m) {
			const params = {};
			names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
			return { value, params };
		}
	}
	return null;
}

export function Link({ href, onClick, ...props }) {
	const click = (e) => {
		if (onClick) onClick(e);
		if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey)
			return;
		e.preventDefault();
		navigate(href);
	};
	return h('a', { href, onClick: click, ...props });
}
