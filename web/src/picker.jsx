// A searchable picker of one record (a company, a contact, a deal): an ARIA
// combobox whose options come from the API's `q` search as you type. Arrow
// keys move, Enter chooses, Escape closes the list (and only the list), an
// emptied box clears the choice. With `creatable`, the last option creates a
// record from what was typed ("Create company “Initech”") and chooses it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from './api.js';
import { contactName, errorText, recordTitle, rememberRecord, useRecordTitle } from './util.js';
import './styles/forms.css';

const NOUN = { companies: 'company', contacts: 'contact', deals: 'deal' };
const LIMIT = 8;

// What a new record of `table` made from the typed text looks like.
function newRecord(table, text) {
	const t = text.trim();
	if (table === 'companies') return { name: t };
	if (table === 'contacts') {
		if (/@/.test(t) && !/\s/.test(t)) return { emails: [t] };
		const [first, ...rest] = t.split(/\s+/);
		return rest.length ? { first_name: first, last_name: rest.join(' ') } : { first_name: first };
	}
	return { title: t };
}

function detail(table, r) {
	if (table === 'contacts') return (r.emails && r.emails[0]) || '';
	if (table === 'companies') return (r.domains && r.domains[0]) || '';
	return '';
}

// value: the chosen id as a string ('' for none); onChange(idString).
export function RecordPicker({ table, value, onChange, name, creatable, placeholder, ...aria }) {
	const id = aria.id;
	const chosenTitle = useRecordTitle(table, value ? Number(value) : null);
	const [text, setText] = useState(null); /* null: show the chosen record's title */
	const [items, setItems] = useState(null);
	const [active, setActive] = useState(0);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const seq = useRef(0);
	const shown = text === null ? (value ? chosenTitle : '') : text;
	const open = text !== null && items !== null;

	// Search a moment after the last key.
	useEffect(() => {
		if (text === null) return;
		const n = ++seq.current;
		// The API matches one substring of one field, so "Ada Lovelace" asks for
		// "ada" and keeps the records that have every word somewhere.
		const words = text.trim().toLowerCase().split(/\s+/).filter(Boolean);
		const t = setTimeout(async () => {
			try {
				const page = await get(`/${table}`, { q: words[0] || '', limit: words.length > 1 ? 100 : LIMIT });
				const hay = (r) => `${recordTitle(table, r)} ${(r.emails || []).join(' ')} ${(r.domains || []).join(' ')}`.toLowerCase();
				const found = page.items.filter((r) => words.every((w) => hay(r).includes(w))).slice(0, LIMIT);
				if (n === seq.current) (setItems(found), setActive(0), setError(null));
			} catch (e) {
				if (n === seq.current) (setItems([]), setError(e));
			}
		}, 150);
		return () => clearTimeout(t);
	}, [text, table]);

	const typed = (text || '').trim();
	const exact = (items || []).some((r) => recordTitle(table, r).toLowerCase() === typed.toLowerCase());
	const options = [...(items || []).map((r) => ({ r })), ...(creatable && typed && !exact ? [{ create: typed }] : [])];

	const close = () => {
		seq.current++;
		setText(null);
		setItems(null);
		setError(null);
	};

	const choose = async (o) => {
		if (!o) return;
		if (o.r) {
			rememberRecord(table, o.r);
			onChange(String(o.r.id));
			return close();
		}
		setBusy(true);
		try {
			const r = await post(`/${table}`, newRecord(table, o.create));
			rememberRecord(table, r);
			onChange(String(r.id));
			close();
		} catch (e) {
			setError(e);
		} finally {
			setBusy(false);
		}
	};

	const keydown = (e) => {
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			e.preventDefault();
			if (!open) return setText(shown);
			const d = e.key === 'ArrowDown' ? 1 : -1;
			setActive((i) => (options.length ? (i + d + options.length) % options.length : 0));
		} else if (e.key === 'Enter' && open) {
			e.preventDefault();
			choose(options[active]);
		} else if (e.key === 'Escape' && open) {
			e.preventDefault();
			e.stopPropagation();
			close();
		}
	};

	const input = (e) => {
		const v = e.currentTarget.value;
		setText(v);
		if (!v.trim()) onChange('');
	};

	const listId = `${id}-list`;
	const optId = (i) => `${id}-opt-${i}`;
	return (
		<div class="picker">
			<input
				{...aria}
				type="text"
				name={name}
				role="combobox"
				autoComplete="off"
				aria-autocomplete="list"
				aria-expanded={open ? 'true' : 'false'}
				aria-controls={listId}
				aria-activedescendant={open && options.length ? optId(active) : undefined}
				aria-busy={busy ? 'true' : undefined}
				placeholder={placeholder || `Type to search ${table}`}
				value={shown}
				onInput={input}
				onFocus={(e) => e.currentTarget.select()}
				onKeyDown={keydown}
				onBlur={() => !busy && close()}
			/>
			{open && (
				<ul class="picker-list" role="listbox" id={listId} aria-label={`Matching ${table}`}>
					{options.map((o, i) => (
						<li
							role="option"
							id={optId(i)}
							class={`picker-option${i === active ? ' picker-active' : ''}${o.create ? ' picker-create' : ''}`}
							aria-selected={i === active ? 'true' : 'false'}
							onMouseDown={(e) => e.preventDefault()}
							onMouseEnter={() => setActive(i)}
							onClick={() => choose(o)}
						>
							{o.r ? (
								<>
									<span>{table === 'contacts' ? contactName(o.r) : recordTitle(table, o.r)}</span>
									{detail(table, o.r) && <span class="picker-detail"> {detail(table, o.r)}</span>}
								</>
							) : (
								`Create ${NOUN[table]} “${o.create}”`
							)}
						</li>
					))}
					{!options.length && <li class="picker-none" role="option" aria-disabled="true" aria-selected="false">{typed ? `No ${table} match “${typed}”.` : `No ${table} yet.`}</li>}
				</ul>
			)}
			{error && (
				<p class="field-error" role="alert">
					{errorText(error)}
				</p>
			)}
		</div>
	);
}
