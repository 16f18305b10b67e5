// Writing mail: new messages, replies and forwards in a dialog, with contact
// autocomplete for the addresses, a body in Markdown or rich text (the
// editor in rich.jsx; sent as `html`, the server makes the text part, and
// quotes a reply's parent in a blockquote), attachments, a template previewed
// for the recipient (inserted as Markdown text or as its rendered HTML), a
// later send time and the mailbox to send from. Switching Markdown to rich
// text renders the Markdown (the template lint endpoint; plain paragraphs if
// that fails); rich text to Markdown keeps the text only. The draft, format
// included, is kept on the server per conversation (drafts.js) as it is
// written, and at once when the dialog closes, the screen changes or the page
// is hidden, so nothing typed is lost but the attached files; sending deletes
// it. Focus starts in the message on a reply and goes back to the opener.
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { deleteDraft, draftKey, loadDraft, saveDraft } from '../drafts.js';
import {
	addr,
	bareAddress,
	compose,
	currentMailUser,
	loadAccounts,
	replyRecipients,
	sendableAccounts,
	splitAddresses,
	useAccounts,
} from '../mail.js';
import { Link, navigate } from '../router.js';
import { cleanHtml, hasFormatting, RichEditor, textToHtml } from '../rich.jsx';
import { Field, FormError, Loading, Modal, Submit } from '../ui.jsx';
import { contactName, errorText, localToIso, toast } from '../util.js';
import '../styles/compose.css';

const MAX_ATTACH = 25 * 1024 * 1024;
const SAVE_AFTER_MS = 500;
const CREATE_TEMPLATE = 'create';
const TITLES = { new: 'New message', reply: 'Reply', reply_all: 'Reply to all', forward: 'Forward' };

// Shown by every mail screen: the dialog for the current compose request.
// The element that had the focus when it opened (the Reply button) gets it
// back when it closes; leaving the screen closes it.
export function ComposeHost() {
	const req = compose.use();
	const opener = useRef({ at: null, el: null });
	if (req && opener.current.at !== req.at) opener.current = { at: req.at, el: document.activeElement };
	useEffect(() => {
		const el = opener.current.el;
		if (!req && el && el !== document.body && el.isConnected) el.focus();
	}, [req]);
	// Unmounted with the screen: close what this host showed (not a request
	// made for the next screen).
	useEffect(
		() => () => {
			const open = compose.get();
			if (open && open.at === opener.current.at) compose.set(null);
		},
		[],
	);
	if (!req) return null;
	// A dialog per request: the close event of one closed by Esc comes a task
	// later and must not close the next one, opened by a quick "r".
	const close = () => compose.get() && compose.get().at === req.at && compose.set(null);
	return (
		<Modal key={req.at} title={TITLES[req.mode] || 'New message'} onClose={close}>
			<DraftLoader req={req} onDone={close} />
		</Modal>
	);
}

// The saved draft first (a moment on the server), then the form.
function DraftLoader({ req, onDone }) {
	const key = draftKey(req);
	const [draft, setDraft] = useState(undefined);
	useEffect(() => {
		let live = true;
		loadDraft(key).then(
			(d) => live && setDraft(d),
			() => live && setDraft(null),
		);
		return () => (live = false);
	}, []);
	if (draft === undefined) return <Loading what="the draft" />;
	return <ComposeForm req={req} dkey={key} draft={draft} onDone={onDone} />;
}

// Nothing worth keeping: no text, and on a new message no address or subject.
function isEmpty(f, req) {
	const text = f.format === 'rich' ? (f.html || '').replace(/<[^>]*>|&nbsp;|\s/g, '') : f.body.trim();
	return !text && !f.bcc && (req.mode !== 'new' || (!f.to.trim() && !f.cc.trim() && !f.subject.trim()));
}

function prefixed(prefix, subject) {
	const s = subject || '';
	return new RegExp(`^${prefix}:`, 'i').test(s) ? s : `${prefix}: ${s}`.trim();
}

function initialFields(req, accounts) {
	const p = req.parent;
	const mine = (accounts || []).map((a) => a.email);
	let to = req.to || '';
	let cc = '';
	let subject = '';
	if (p && (req.mode === 'reply' || req.mode === 'reply_all')) {
		({ to, cc } = replyRecipients(p, req.mode, mine));
		subject = prefixed('Re', p.subject);
	} else if (p && req.mode === 'forward') subject = prefixed('Fwd', p.subject);
	// Send from the mailbox the parent was addressed to (or sent from).
	let account = '';
	if (p) {
		const involved = [p.from, ...(p.to || []), ...(p.cc || [])].map((a) => a && a.address && a.address.toLowerCase());
		const a = sendableAccounts(accounts).find((x) => involved.includes(x.email));
		if (a) account = String(a.id);
	}
	if (!account) {
		const a = sendableAccounts(accounts)[0];
		if (a) account = String(a.id);
	}
	return { account, to, cc, bcc: '', subject, format: 'markdown', body: '', html: '', quote: true, later: false, sendAt: '', showCc: !!cc };
}

function fieldOf(f) {
	if (!f) return null;
	if (/^(to|cc|bcc)\b/.test(f)) return f.replace(/\[.*$/, '');
	if (/^attachment/.test(f)) return 'attachments';
	if (f === 'markdown' || f === 'text' || f === 'html') return 'body';
	if (f === 'send_at') return 'sendAt';
	if (f === 'account' || f === 'subject') return f;
	return null;
}

function ComposeForm({ req, dkey, draft, onDone }) {
	const { accounts } = useAccounts();
	const [f, setF] = useState(() => ({ ...initialFields(req, accounts), ...(draft || {}) }));
	const [files, setFiles] = useState([]);
	const [errors, setErrors] = useState({});
	const [formError, setFormError] = useState(null);
	const [busy, setBusy] = useState(false);
	const idem = useRef(`ui-${Date.now()}-${Math.random().toString(36).slice(2)}`);
	const editor = useRef(null);
	const rich = f.format === 'rich';
	const bodyEmpty = rich ? !f.html : !f.body.trim();

	// The mailboxes may arrive after the dialog opened.
	useEffect(() => {
		if (accounts && !f.account) setF((x) => ({ ...x, account: initialFields(req, accounts).account }));
		if (!accounts) loadAccounts().catch(() => {});
	}, [accounts]);

	// Focus: the message on a reply, the first address otherwise (after the
	// dialog's own focus, which goes to its first control).
	useEffect(() => {
		const id = req.parent && req.mode !== 'forward' ? 'compose-body' : 'compose-to';
		const r = requestAnimationFrame(() => {
			const el = document.getElementById(id);
			if (!el) return;
			el.focus();
			if (el.setSelectionRange) el.setSelectionRange(el.value.length, el.value.length);
		});
		return () => cancelAnimationFrame(r);
	}, []);

	// The draft on the server: saved SAVE_AFTER_MS after the last change, and
	// at once when the form goes away (Esc, Close, another screen) or the
	// page is hidden (a reload, a closed tab). An emptied draft is deleted.
	const draftState = useRef({ f, dirty: false, stored: !!draft, over: false });
	draftState.current.f = f;
	const flush = (keepalive = false) => {
		const d = draftState.current;
		if (!d.dirty || d.over) return;
		d.dirty = false;
		if (isEmpty(d.f, req)) {
			if (d.stored) deleteDraft(dkey).catch(() => {});
			d.stored = false;
			return;
		}
		d.stored = true;
		saveDraft(dkey, d.f, keepalive).catch(() => {
			d.dirty = true;
		});
	};
	const first = useRef(true);
	useEffect(() => {
		if (first.current) return void (first.current = false);
		draftState.current.dirty = true;
		const t = setTimeout(flush, SAVE_AFTER_MS);
		return () => clearTimeout(t);
	}, [f]);
	useEffect(() => {
		const hidden = () => flush(true);
		const vis = () => document.visibilityState === 'hidden' && flush(true);
		window.addEventListener('pagehide', hidden);
		document.addEventListener('visibilitychange', vis);
		return () => {
			window.removeEventListener('pagehide', hidden);
			document.removeEventListener('visibilitychange', vis);
			flush();
		};
	}, []);
	// Sent or discarded: nothing more to save, and the draft goes.
	const endDraft = () => {
		const d = draftState.current;
		d.over = true;
		if (d.stored) deleteDraft(dkey).catch(() => {});
	};

	const set = (name) => (v) => {
		setF((x) => ({ ...x, [name]: v }));
		if (errors[name]) setErrors((e) => ({ ...e, [name]: null }));
	};
	const onInput = (name) => (e) => set(name)(e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value);

	const addFiles = async (list) => {
		const read = (file) =>
			new Promise((resolve, reject) => {
				const r = new FileReader();
				r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
				r.onerror = () => reject(r.error);
				r.readAsDataURL(file);
			});
		const added = [];
		for (const file of list) {
			try {
				added.push({ filename: file.name, content_type: file.type || 'application/octet-stream', size: file.size, content: await read(file) });
			} catch (e) {
				setErrors((x) => ({ ...x, attachments: `Could not read ${file.name}: ${e && e.message}` }));
			}
		}
		const all = [...files, ...added];
		if (all.reduce((n, a) => n + a.size, 0) > MAX_ATTACH)
			return setErrors((x) => ({ ...x, attachments: 'Attachments may total at most 25 MB.' }));
		setErrors((x) => ({ ...x, attachments: null }));
		setFiles(all);
	};

	const submit = async (e) => {
		e.preventDefault();
		const to = splitAddresses(f.to);
		const cc = splitAddresses(f.cc);
		const bcc = splitAddresses(f.bcc);
		const errs = {};
		if (!to.length && !cc.length && !bcc.length) errs.to = 'Add at least one recipient.';
		if (!f.account) errs.account = accounts && !accounts.length ? 'No mailbox is connected yet.' : 'Choose the mailbox to send from.';
		if (f.later && !localToIso(f.sendAt)) errs.sendAt = 'Choose when to send it.';
		if (bodyEmpty && !files.length && !req.parent) errs.body = 'Write something, or attach a file.';
		setErrors(errs);
		setFormError(null);
		if (Object.values(errs).some(Boolean)) return;
		const body = {
			account: Number(f.account),
			to,
			cc,
			bcc,
			subject: f.subject,
			idempotency_key: idem.current,
		};
		if (rich && f.html) body.html = cleanHtml(f.html);
		else if (!rich && f.body.trim()) body.markdown = f.body;
		if (files.length) body.attachments = files.map(({ filename, content_type, content }) => ({ filename, content_type, content }));
		if (req.parent && req.mode === 'forward') body.forward_of = req.parent.id;
		else if (req.parent) body.in_reply_to = req.parent.id;
		if (req.parent) body.quote = f.quote;
		if (f.later) body.send_at = localToIso(f.sendAt);
		setBusy(true);
		try {
			const item = await post('/mail/messages', body);
			endDraft();
			onDone();
			toast({
				message: f.later ? 'Scheduled: it waits in the outbox.' : 'Queued for sending.',
				action: { label: 'Open the outbox', run: () => navigate('/mail/outbox') },
			});
			if (req.onSent) req.onSent(item);
		} catch (err) {
			const name = fieldOf(err.field);
			if (name) setErrors({ [name]: err.message });
			else setFormError(err);
		} finally {
			setBusy(false);
		}
	};

	// Markdown to rich text: rendered by the server's Markdown (the template
	// lint endpoint, so not when the text holds Mustache tags), else plain
	// paragraphs. Rich text to Markdown: the editor's text.
	const switchFormat = async (to) => {
		if (to === f.format) return;
		if (to === 'markdown') {
			const text = editor.current ? editor.current.innerText.replace(/\n{3,}/g, '\n\n').trim() : '';
			return setF((x) => ({ ...x, format: 'markdown', body: text }));
		}
		let html = textToHtml(f.body);
		if (f.body.trim() && !f.body.includes('{{')) {
			try {
				html = cleanHtml((await post('/templates/lint', { subject: '-', body: f.body, format: 'markdown' })).html);
			} catch {
				/* plain paragraphs, then */
			}
		}
		setF((x) => ({ ...x, format: 'rich', html }));
	};

	const discard = () => {
		endDraft();
		onDone();
	};

	const enabled = sendableAccounts(accounts);
	return (
		<form class="compose-form" onSubmit={submit} noValidate>
			{req.parent && (
				<p class="muted compose-about">
					{req.mode === 'forward' ? 'Forwarding' : 'Replying to'} “{req.parent.subject || '(no subject)'}” from{' '}
					{addr(req.parent.from)}
				</p>
			)}
			{accounts && !accounts.length ? (
				<NoMailbox />
			) : (
				<Field id="compose-account" label="From" error={errors.account}>
					<select value={f.account} onChange={onInput('account')}>
						{!enabled.length && <option value="">No mailbox you can send from</option>}
						{enabled.map((a) => (
							<option value={String(a.id)}>{a.name === a.email ? a.email : `${a.email} (${a.name})`}</option>
						))}
					</select>
				</Field>
			)}
			<AddressField id="compose-to" label="To" value={f.to} onChange={set('to')} error={errors.to} />
			{f.showCc ? (
				<>
					<AddressField id="compose-cc" label="Cc" value={f.cc} onChange={set('cc')} error={errors.cc} />
					<AddressField id="compose-bcc" label="Bcc" value={f.bcc} onChange={set('bcc')} error={errors.bcc} />
				</>
			) : (
				<button type="button" class="link-button compose-cc" onClick={() => set('showCc')(true)}>
					Add Cc or Bcc
				</button>
			)}
			<Field id="compose-subject" label="Subject" error={errors.subject}>
				<input type="text" value={f.subject} onInput={onInput('subject')} />
			</Field>
			<TemplatePicker
				req={req}
				to={f.to}
				onInsert={(p) => {
					setF((x) =>
						x.format === 'rich' || p.markdown == null
							? { ...x, format: 'rich', html: cleanHtml(p.html) + (x.format === 'rich' ? x.html : textToHtml(x.body)), subject: x.subject || p.subject }
							: { ...x, body: x.body.trim() ? `${p.markdown.trim()}\n\n${x.body}` : p.markdown.trim(), subject: x.subject || p.subject },
					);
				}}
			/>
			<div class="compose-format">
				<div class="format-switch" role="group" aria-label="Format">
					<button type="button" aria-pressed={rich ? 'false' : 'true'} onClick={() => switchFormat('markdown')}>
						Markdown
					</button>
					<button type="button" aria-pressed={rich ? 'true' : 'false'} onClick={() => switchFormat('rich')}>
						Rich text
					</button>
				</div>
				{rich && hasFormatting(f.html) && <p class="field-hint">Switching to Markdown keeps the text only: bold, links, lists and quotes are lost.</p>}
			</div>
			{rich ? (
				<div class={`field${errors.body ? ' field-invalid' : ''}`}>
					<label id="compose-body-label" onClick={() => editor.current && editor.current.focus()}>
						Message
					</label>
					<RichEditor
						id="compose-body"
						value={f.html}
						onChange={(v) => {
							setF((x) => ({ ...x, html: v }));
							if (errors.body) setErrors((e) => ({ ...e, body: null }));
						}}
						elRef={editor}
						invalid={!!errors.body}
						describedBy={errors.body ? 'compose-body-error' : undefined}
					/>
					{errors.body && (
						<p class="field-error" id="compose-body-error">
							{errors.body}
						</p>
					)}
				</div>
			) : (
				<Field id="compose-body" label="Message" error={errors.body} hint="Markdown: **bold**, *italic*, - lists, [links](https://…)">
					<textarea rows={7} value={f.body} onInput={onInput('body')} />
				</Field>
			)}
			{req.parent && (
				<label class="check">
					<input type="checkbox" checked={f.quote} onChange={onInput('quote')} />
					{req.mode === 'forward' ? 'Include the forwarded message below' : 'Quote the message below'}
				</label>
			)}
			<Field
				id="compose-files"
				label="Attach files"
				error={errors.attachments}
				hint={files.length ? null : 'Up to 25 MB in all. Files are not kept in the draft.'}
			>
				<input type="file" multiple onChange={(e) => (addFiles([...e.currentTarget.files]), (e.currentTarget.value = ''))} />
			</Field>
			{files.length > 0 && (
				<ul class="compose-files" aria-label="Attachments">
					{files.map((a, i) => (
						<li>
							{a.filename} <span class="muted">({Math.ceil(a.size / 1024)} KB)</span>{' '}
							<button type="button" class="link-button" onClick={() => setFiles(files.filter((_, j) => j !== i))} aria-label={`Remove ${a.filename}`}>
								Remove
							</button>
						</li>
					))}
				</ul>
			)}
			<div class="compose-later">
				<label class="check">
					<input type="checkbox" checked={f.later} onChange={onInput('later')} />
					Send later
				</label>
				{f.later && (
					<Field id="compose-send-at" label="Send at" error={errors.sendAt}>
						<input type="datetime-local" value={f.sendAt} onInput={onInput('sendAt')} />
					</Field>
				)}
			</div>
			<FormError error={formError} />
			<div class="form-actions">
				<Submit busy={busy} busyText="Sending…">
					{f.later ? 'Schedule' : 'Send'}
				</Submit>
				<button type="button" onClick={onDone}>
					Close (keep draft)
				</button>
				<button type="button" class="link-button" onClick={discard}>
					Discard
				</button>
			</div>
		</form>
	);
}

// Before any mailbox exists: say so, and where one is connected (admins
// connect shared ones; anyone may connect their own).
function NoMailbox() {
	const user = currentMailUser();
	const admin = user && user.role === 'admin';
	return (
		<div class="compose-no-mailbox" role="status">
			<p>
				<strong>No mailbox is connected yet.</strong>{' '}
				{admin
					? 'Connect the team’s mailbox (or your own) in Settings, under Mail accounts, to send from it.'
					: 'An admin connects the team’s mailboxes in Settings, under Mail accounts; you can connect your own there too.'}
			</p>
			<Link href="/settings/mail/connect" class="button" onClick={() => compose.set(null)}>
				Connect a mailbox
			</Link>
		</div>
	);
}

// An address line with suggestions from the contacts for the word being typed.
function AddressField({ id, label, value, onChange, error }) {
	const [options, setOptions] = useState([]);
	const [active, setActive] = useState(0);
	const [open, setOpen] = useState(false);
	const seq = useRef(0);
	const last = () => {
		const parts = value.split(/[,;]/);
		return parts[parts.length - 1].trim();
	};

	useEffect(() => {
		const word = last();
		if (!open || word.length < 2 || word.includes('<')) return setOptions([]);
		const n = ++seq.current;
		const t = setTimeout(async () => {
			try {
				const r = await get('/contacts', { q: word, limit: 6 });
				if (n !== seq.current) return;
				const opts = [];
				for (const c of r.items) for (const e of c.emails) opts.push({ label: contactName(c), value: `${contactName(c)} <${e}>`, email: e });
				setOptions(opts.slice(0, 8));
				setActive(0);
			} catch {
				setOptions([]);
			}
		}, 200);
		return () => clearTimeout(t);
	}, [value, open]);

	const pick = (o) => {
		const parts = value.split(/([,;])/);
		parts[parts.length - 1] = parts.length > 1 ? ` ${o.value}` : o.value;
		onChange(`${parts.join('')}, `);
		setOptions([]);
	};
	const keydown = (e) => {
		if (!options.length) return;
		if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
			e.preventDefault();
			setActive((a) => (a + (e.key === 'ArrowDown' ? 1 : -1) + options.length) % options.length);
		} else if (e.key === 'Enter' || e.key === 'Tab') {
			if (e.key === 'Enter' || last()) {
				e.preventDefault();
				pick(options[active]);
			}
		} else if (e.key === 'Escape') {
			e.preventDefault();
			setOptions([]);
		}
	};
	const shown = open && options.length > 0;
	return (
		<div class={`field address-field${error ? ' field-invalid' : ''}`}>
			<label for={id}>{label}</label>
			<div class="combo">
				<input
					id={id}
					type="text"
					role="combobox"
					autocomplete="off"
					aria-autocomplete="list"
					aria-expanded={shown ? 'true' : 'false'}
					aria-controls={`${id}-list`}
					aria-activedescendant={shown ? `${id}-opt-${active}` : undefined}
					aria-invalid={error ? 'true' : undefined}
					aria-describedby={error ? `${id}-error` : undefined}
					value={value}
					onInput={(e) => (setOpen(true), onChange(e.currentTarget.value))}
					onKeyDown={keydown}
					onBlur={() => setTimeout(() => setOpen(false), 150)}
					onFocus={() => setOpen(true)}
				/>
				{shown && (
					<ul class="combo-list" role="listbox" id={`${id}-list`} aria-label={`${label} suggestions`}>
						{options.map((o, i) => (
							<li
								id={`${id}-opt-${i}`}
								role="option"
								aria-selected={i === active ? 'true' : 'false'}
								onMouseDown={(e) => (e.preventDefault(), pick(o))}
							>
								{o.label} <span class="muted">{o.email}</span>
							</li>
						))}
					</ul>
				)}
			</div>
			{error && (
				<p class="field-error" id={`${id}-error`}>
					{error}
				</p>
			)}
		</div>
	);
}

// The contact a template is rendered for: the one with the first recipient's
// address, else the thread's first linked contact.
async function contactFor(to, thread) {
	const first = bareAddress(splitAddresses(to)[0] || '');
	if (first) {
		const r = await get('/contacts', { q: first, limit: 5 });
		const c = r.items.find((x) => x.emails.includes(first));
		if (c) return c;
	}
	const id = thread && thread.links && thread.links.contact_ids[0];
	return id ? get(`/contacts/${id}`).catch(() => null) : null;
}

function TemplatePicker({ req, to, onInsert }) {
	const [templates, setTemplates] = useState(null);
	const [chosen, setChosen] = useState('');
	const [preview, setPreview] = useState(null);
	const [error, setError] = useState(null);
	const [contact, setContact] = useState(null);

	useEffect(() => {
		get('/templates').then(
			(r) => setTemplates(r.items),
			() => setTemplates([]),
		);
	}, []);

	useEffect(() => {
		if (!chosen) return setPreview(null);
		let live = true;
		const t = setTimeout(async () => {
			try {
				const c = await contactFor(to, req.thread);
				const body = {};
				if (c) body.contact_id = c.id;
				const deal = req.thread && req.thread.links && req.thread.links.deal_ids[0];
				if (deal) body.deal_id = deal;
				const p = await post(`/templates/${chosen}/preview`, body);
				if (!live) return;
				setContact(c);
				setPreview(p);
				setError(null);
			} catch (e) {
				if (live) setError(e);
			}
		}, 250);
		return () => ((live = false), clearTimeout(t));
	}, [chosen, to]);

	// "Create template…" leaves for the template editor (the draft is kept).
	const choose = (v) => {
		if (v !== CREATE_TEMPLATE) return setChosen(v);
		compose.set(null);
		navigate('/templates/new');
	};
	if (!templates) return null;
	return (
		<div class="template-picker">
			<Field
				id="compose-template"
				label="Template"
				error={error ? errorText(error) : null}
				hint={templates.length ? null : 'No templates yet: create one to answer common questions in a click.'}
			>
				<select value={chosen} onChange={(e) => choose(e.currentTarget.value)}>
					<option value="">No template</option>
					{templates.map((t) => (
						<option value={String(t.id)}>{t.name}</option>
					))}
					<option value={CREATE_TEMPLATE}>Create template…</option>
				</select>
			</Field>
			{preview && (
				<section class="template-preview" aria-label="Template preview">
					<p class="muted">
						Preview for {contact ? contactName(contact) : 'no known contact (fallbacks shown)'}
						{preview.missing && preview.missing.length > 0 && ` · missing: ${preview.missing.map((m) => m.name).join(', ')}`}
					</p>
					<p class="template-subject">{preview.subject}</p>
					{/* as it is sent: the HTML part (the allowlist of rich.jsx) */}
					<div class="template-preview-body" dangerouslySetInnerHTML={{ __html: cleanHtml(preview.html) }} />
					<button type="button" onClick={() => onInsert(preview)}>
						Insert template
					</button>
				</section>
			)}
		</div>
	);
}
