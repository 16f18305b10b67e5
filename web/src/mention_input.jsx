// A textarea that knows @mentions: typing "@" and part of a colleague's name
// (or address) offers the matching users (arrows, Enter or Tab, Esc); the
// pick is written as "@Full Name". resolveMentions() reads the mentions back
// out of the text (a full name, an address or its local part, or a first name
// only one user has), and the box warns under itself about a mention that
// matches nobody, or more than one person, since nobody would be notified.
import { useEffect, useRef, useState } from 'preact/hooks';
import { useUsers } from './util.js';
import './styles/panel.css';

const WORD = /^[\p{L}\p{N}_.-]+/u;
const lower = (s) => (s || '').toLowerCase();
const first = (u) => lower(u.name).split(/\s+/)[0];
const boundary = (c) => !c || !/[\p{L}\p{N}_]/u.test(c);

// Who the text mentions: {ids, unmatched: ['@Jmes'], ambiguous: ['@Ann']}.
export function resolveMentions(text, users) {
	const ids = [];
	const unmatched = [];
	const ambiguous = [];
	const active = users.filter((u) => u.active !== false);
	for (let i = text.indexOf('@'); i >= 0; i = text.indexOf('@', i + 1)) {
		if (i > 0 && /[\p{L}\p{N}_.]/u.test(text[i - 1])) continue; /* inside an address */
		const rest = text.slice(i + 1);
		const low = lower(rest);
		const byName = active
			.filter((u) => u.name && low.startsWith(lower(u.name)) && boundary(rest[u.name.length]))
			.sort((a, b) => b.name.length - a.name.length)[0];
		const byMail =
			byName ||
			active.find((u) => {
				const e = lower(u.email);
				const local = e.split('@')[0];
				return (low.startsWith(e) && boundary(rest[e.length])) || (low.startsWith(local) && boundary(rest[local.length]) && rest[local.length] !== '@');
			});
		const word = (rest.match(WORD) || [''])[0].replace(/[.-]+$/, '');
		if (!word) continue;
		let hit = byMail;
		if (!hit) {
			const named = active.filter((u) => first(u) === lower(word));
			if (named.length > 1) ambiguous.push(`@${word}`);
			else if (named.length === 1) hit = named[0];
			else unmatched.push(`@${word}`);
		}
		if (hit && !ids.includes(hit.id)) ids.push(hit.id);
	}
	return { ids, unmatched, ambiguous };
}

// The "@query" just before the caret, or null.
function queryAt(text, caret) {
	const m = text.slice(0, caret).match(/(^|[^\p{L}\p{N}_.])@([\p{L}\p{N}_.-]{0,40})$/u);
	return m ? { start: caret - m[2].length - 1, q: m[2] } : null;
}

export function matchUsers(users, q) {
	const l = lower(q);
	return users
		.filter((u) => u.active !== false)
		.filter((u) => !l || lower(u.name).split(/\s+/).some((w) => w.startsWith(l)) || lower(u.name).startsWith(l) || lower(u.email).startsWith(l))
		.slice(0, 6);
}

// id, value, onValue(text), rows, placeholder; me: left out of the picks and
// of the "Will notify" line (you are not notified of your own mentions).
export function MentionInput({ id, value, onValue, rows = 3, placeholder, me, ...rest }) {
	const users = useUsers();
	const ref = useRef(null);
	const [q, setQ] = useState(null); /* {start, q} while picking */
	const [sel, setSel] = useState(0);
	const others = users.filter((u) => u.id !== me);
	const options = q ? matchUsers(others, q.q) : [];
	const open = options.length > 0;
	const found = resolveMentions(value, users);
	const notify = found.ids.filter((x) => x !== me).map((x) => (users.find((u) => u.id === x) || {}).name);

	useEffect(() => setSel(0), [q && q.q]);

	const update = (e) => {
		const el = e.currentTarget;
		onValue(el.value);
		setQ(queryAt(el.value, el.selectionStart));
	};
	const pick = (u) => {
		const el = ref.current;
		const caret = el ? el.selectionStart : value.length;
		const text = `${value.slice(0, q.start)}@${u.name} ${value.slice(caret)}`;
		const at = q.start + u.name.length + 2;
		onValue(text);
		setQ(null);
		requestAnimationFrame(() => el && (el.focus(), el.setSelectionRange(at, at)));
	};
	const key = (e) => {
		if (!open) return;
		const moves = {
			ArrowDown: () => setSel((sel + 1) % options.length),
			ArrowUp: () => setSel((sel + options.length - 1) % options.length),
			Enter: () => pick(options[sel]),
			Tab: () => pick(options[sel]),
			Escape: () => setQ(null),
		};
		if (!moves[e.key]) return;
		e.preventDefault();
		e.stopPropagation();
		moves[e.key]();
	};
	const listId = `${id}-mentions`;
	// Not the mention being typed while the list offers names for it.
	const typing = open ? `@${q.q}`.toLowerCase() : null;
	const later = (m) => lower(m) !== typing;
	const bad = [
		...found.unmatched.filter(later).map((m) => `${m} matches nobody`),
		...found.ambiguous.filter(later).map((m) => `${m} matches more than one person`),
	];
	return (
		<div class="mention-box">
			<textarea
				{...rest}
				id={id}
				ref={ref}
				rows={rows}
				value={value}
				placeholder={placeholder}
				role="combobox"
				aria-autocomplete="list"
				aria-expanded={open ? 'true' : 'false'}
				aria-controls={open ? listId : undefined}
				aria-activedescendant={open ? `${listId}-${sel}` : undefined}
				onInput={update}
				onKeyDown={key}
				onClick={(e) => setQ(queryAt(e.currentTarget.value, e.currentTarget.selectionStart))}
				onBlur={() => setTimeout(() => setQ(null), 150)}
			/>
			{open && (
				<ul class="mention-list" role="listbox" id={listId} aria-label="People to mention">
					{options.map((u, i) => (
						<li
							id={`${listId}-${i}`}
							role="option"
							aria-selected={i === sel ? 'true' : 'false'}
							class={i === sel ? 'active' : ''}
							onMouseDown={(e) => (e.preventDefault(), pick(u))}
						>
							{u.name} <span class="muted">{u.email}</span>
						</li>
					))}
				</ul>
			)}
			{bad.length > 0 && (
				<p class="mention-warning" role="alert">
					{bad.join('; ')}: nobody will be notified for {bad.length === 1 ? 'it' : 'them'}. Type @ and pick a name from the list.
				</p>
			)}
			{notify.length > 0 && (
				<p class="mention-ok muted" role="status">
					Will notify {notify.join(', ')}.
				</p>
			)}
		</div>
	);
}
