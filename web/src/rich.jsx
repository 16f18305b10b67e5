// The rich-text body of compose: a contenteditable editor with a small
// toolbar (document.execCommand, which Chromium, Firefox and Safari still
// carry) and the allowlist the HTML passes through on its way in (a
// template, a restored draft) and out (the draft, the send). The server does
// not sanitise the HTML it sends, so: paste and drop insert plain text only
// (a foreign page's HTML is never parsed here, and its scripts, handlers and
// images never reach the editor), and what is sent is reduced to the list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { toast } from './util.js';

// Kept with their children; every other element is unwrapped (its text
// stays), except those whose content is never text to keep.
const KEEP = new Set(['P', 'BR', 'B', 'STRONG', 'I', 'EM', 'U', 'A', 'UL', 'OL', 'LI', 'BLOCKQUOTE']);
const DROP = new Set(['SCRIPT', 'STYLE', 'TEMPLATE', 'IFRAME', 'OBJECT', 'EMBED', 'IMG', 'SVG', 'MATH', 'VIDEO', 'AUDIO', 'CANVAS', 'NOSCRIPT', 'HEAD', 'TITLE', 'META', 'LINK', 'BASE', 'FORM', 'INPUT', 'BUTTON', 'SELECT', 'TEXTAREA']);
// Blocks that become paragraphs, so that lines stay lines.
const BLOCK = /^(DIV|H[1-6]|PRE|SECTION|ARTICLE|HEADER|FOOTER|TR|DT|DD|ADDRESS|FIGURE)$/;

// The address if it is http(s) or mailto, else null.
export function safeUrl(href) {
	try {
		const u = new URL(String(href).trim());
		return ['http:', 'https:', 'mailto:'].includes(u.protocol) ? u.href : null;
	} catch {
		return null;
	}
}

function copyInto(src, out, doc) {
	for (const n of src.childNodes) {
		if (n.nodeType === 3) out.appendChild(doc.createTextNode(n.data));
		if (n.nodeType !== 1) continue;
		const tag = n.tagName.toUpperCase();
		if (DROP.has(tag)) continue;
		let el = null;
		if (KEEP.has(tag)) {
			el = doc.createElement(tag.toLowerCase());
			if (tag === 'A') {
				const href = safeUrl(n.getAttribute('href') || '');
				if (href) el.setAttribute('href', href);
				else el = null; // a link to nowhere safe: keep its text only
			}
		} else if (BLOCK.test(tag)) el = doc.createElement('p');
		if (el) {
			copyInto(n, el, doc);
			out.appendChild(el);
		} else copyInto(n, out, doc);
	}
}

// HTML reduced to the allowlist: p, br, b, strong, i, em, u, a[href http(s)
// or mailto], ul, ol, li, blockquote; no attribute but a link's href. The
// input is parsed in an inert document (no scripts run, nothing loads).
export function cleanHtml(html) {
	if (!html) return '';
	const src = new DOMParser().parseFromString(String(html), 'text/html');
	const box = document.createElement('div');
	copyInto(src.body, box, document);
	return box.innerHTML;
}

export function escapeHtml(s) {
	return String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Plain text as paragraphs (blank lines) with line breaks.
export function textToHtml(text) {
	return String(text || '')
		.split(/\n\s*\n/)
		.filter((p) => p.trim())
		.map((p) => `<p>${escapeHtml(p.trim()).replace(/\n/g, '<br>')}</p>`)
		.join('');
}

// True when the HTML has formatting that plain text would lose.
export const hasFormatting = (html) => /<(b|strong|i|em|u|a|ul|ol|blockquote)[\s>]/i.test(html || '');

const exec = (cmd, value = null) => document.execCommand(cmd, false, value);

const TOOLS = [
	{ cmd: 'bold', label: 'Bold', key: 'B', text: 'B', cls: 'tool-bold' },
	{ cmd: 'italic', label: 'Italic', key: 'I', text: 'I', cls: 'tool-italic' },
	{ cmd: 'link', label: 'Link', key: 'K', text: 'Link' },
	{ cmd: 'insertUnorderedList', label: 'Bulleted list', text: '• List' },
	{ cmd: 'insertOrderedList', label: 'Numbered list', text: '1. List' },
	{ cmd: 'quote', label: 'Quote', text: '“ Quote' },
	{ cmd: 'clear', label: 'Clear formatting', text: 'Clear' },
];

const PRESSABLE = new Set(['bold', 'italic', 'insertUnorderedList', 'insertOrderedList', 'quote']);

const mac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || '');

// The editor: uncontrolled (the DOM holds the selection), told the cleaned
// HTML on every change; a new value from outside (a template, a switch of
// format) replaces its content. elRef gets the editable element.
export function RichEditor({ id, value, onChange, elRef, describedBy, invalid }) {
	const el = useRef(null);
	const last = useRef(null);
	const [active, setActive] = useState({});

	useEffect(() => {
		if (elRef) elRef.current = el.current;
		exec('defaultParagraphSeparator', 'p');
	}, []);
	useEffect(() => {
		if (value === last.current) return;
		el.current.innerHTML = cleanHtml(value);
		last.current = value;
	}, [value]);

	const changed = () => {
		const html = el.current.textContent.trim() || el.current.querySelector('li') ? cleanHtml(el.current.innerHTML) : '';
		last.current = html;
		onChange(html);
	};
	const refresh = () => {
		const q = (c) => {
			try {
				return document.queryCommandState(c);
			} catch {
				return false;
			}
		};
		const block = String(document.queryCommandValue('formatBlock') || '').toLowerCase();
		setActive({ bold: q('bold'), italic: q('italic'), insertUnorderedList: q('insertUnorderedList'), insertOrderedList: q('insertOrderedList'), quote: block === 'blockquote' });
	};

	const link = () => {
		const sel = window.getSelection();
		const range = sel.rangeCount ? sel.getRangeAt(0).cloneRange() : null;
		const answer = window.prompt('Link address (http://, https:// or mailto:)', 'https://');
		if (answer === null || answer.trim() === '' || answer.trim() === 'https://') return;
		const url = safeUrl(/^[^:/]+@[^/]+$/.test(answer.trim()) ? `mailto:${answer.trim()}` : answer);
		if (!url) return toast({ kind: 'error', message: 'Links must start with http://, https:// or mailto:.' });
		el.current.focus();
		if (range) (sel.removeAllRanges(), sel.addRange(range));
		if (range && !range.collapsed) return exec('createLink', url);
		// No selection: the address itself becomes the link's text.
		const a = document.createElement('a');
		a.href = url;
		a.textContent = url.replace(/^mailto:/, '');
		const at = range && el.current.contains(range.startContainer) ? range : document.createRange();
		if (at !== range) (at.selectNodeContents(el.current), at.collapse(false));
		at.insertNode(a);
		at.setStartAfter(a);
		at.collapse(true);
		sel.removeAllRanges();
		sel.addRange(at);
	};
	const run = (cmd) => {
		el.current.focus();
		if (cmd === 'link') link();
		else if (cmd === 'quote') exec('formatBlock', active.quote ? 'p' : 'blockquote');
		else if (cmd === 'clear') (exec('removeFormat'), exec('unlink'));
		else exec(cmd);
		changed();
		refresh();
	};

	const keydown = (e) => {
		if (!(e.ctrlKey || e.metaKey) || e.altKey || e.shiftKey) return;
		const t = TOOLS.find((x) => x.key && x.key === e.key.toUpperCase());
		if (t) (e.preventDefault(), run(t.cmd));
	};
	// Pasted or dropped content goes in as plain text.
	const insert = (e, data) => {
		if (!data) return;
		e.preventDefault();
		const text = data.getData('text/plain');
		if (text) exec('insertText', text);
		changed();
	};

	const mod = mac ? '⌘' : 'Ctrl+';
	return (
		<div class="rich">
			<div class="rich-toolbar" role="toolbar" aria-label="Formatting" aria-controls={id}>
				{TOOLS.map((t) => (
					<button
						type="button"
						class={t.cls}
						aria-label={t.label}
						title={t.key ? `${t.label} (${mod}${t.key})` : t.label}
						aria-pressed={PRESSABLE.has(t.cmd) ? (active[t.cmd] ? 'true' : 'false') : undefined}
						onMouseDown={(e) => e.preventDefault()}
						onClick={() => run(t.cmd)}
					>
						{t.text}
					</button>
				))}
			</div>
			<div
				id={id}
				ref={el}
				class="rich-editor"
				contentEditable
				role="textbox"
				aria-multiline="true"
				aria-labelledby={`${id}-label`}
				aria-describedby={describedBy}
				aria-invalid={invalid ? 'true' : undefined}
				onInput={changed}
				onKeyDown={keydown}
				onKeyUp={refresh}
				onMouseUp={refresh}
				onFocus={refresh}
				onPaste={(e) => insert(e, e.clipboardData)}
				onDrop={(e) => insert(e, e.dataTransfer)}
			/>
		</div>
	);
}
