// Templates: the list, the editor (name, subject, Markdown or HTML body),
// its versions, syntax errors and missing variables as you type (POST
// /templates/lint accepts unsaved text) and a live preview for a contact.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, patch, post } from '../api.js';
import { Link, navigate } from '../router.js';
import { Badge, Empty, ErrorBox, Field, FormError, Loading, Submit, useLoad } from '../ui.jsx';
import { contactName, errorText, formatDateTime, shared, toast, useUsers, userName } from '../util.js';

const BLANK = { name: '', subject: '', body: '', format: 'markdown' };
const FIELDS = ['name', 'subject', 'body', 'format'];
// The contact previews are rendered for: kept from one template to the next.
const previewContact = shared(null);

export function Templates({ id, session }) {
	const admin = session && session.user && session.user.role === 'admin';
	const s = useLoad(() => get('/templates'), []);
	useEffect(() => {
		document.title = 'Templates · Parley';
	}, []);
	const list = (s.data && s.data.items) || [];
	const current = id && id !== 'new' ? list.find((t) => String(t.id) === id) : null;
	return (
		<div class="page templates-page">
			<header class="page-head">
				<h1>Templates</h1>
				<Link href="/templates/new" class="button primary">
					New template
				</Link>
			</header>
			<div class="templates-grid">
				<nav class="card templates-list" aria-label="Templates">
					{s.error && <ErrorBox error={s.error} retry={s.reload} />}
					{!s.data && !s.error && <Loading what="templates" />}
					{s.data && !list.length && (
						<Empty title="No templates yet.">
							<p>Write one with New template; rules and people can then send it.</p>
						</Empty>
					)}
					{list.length > 0 && (
						<ul class="mini-list">
							{list.map((t) => (
								<li key={t.id}>
									<Link href={`/templates/${t.id}`} aria-current={String(t.id) === id ? 'page' : undefined}>
										{t.name}
									</Link>
									<span class="muted"> v{t.version}</span>
								</li>
							))}
						</ul>
					)}
				</nav>
				<div class="templates-main">
					{!id && list.length > 0 && <Empty title="Pick a template on the left, or write a new one." />}
					{id === 'new' && (
						<Editor
							key="new"
							template={null}
							onSaved={(t) => {
								s.setData((d) => ({ ...d, items: [...d.items, t] }));
								navigate(`/templates/${t.id}`, { replace: true });
							}}
						/>
					)}
					{id && id !== 'new' && s.data && !current && <Empty title={`There is no template ${id}.`} />}
					{current && (
						<Editor
							key={current.id}
							template={current}
							onSaved={(t) => s.setData((d) => ({ ...d, items: d.items.map((x) => (x.id === t.id ? t : x)) }))}
							onDeleted={
								admin
									? () => {
											s.setData((d) => ({ ...d, items: d.items.filter((x) => x.id !== current.id) }));
											navigate('/templates', { replace: true });
										}
									: null
							}
						/>
					)}
				</div>
			</div>
		</div>
	);
}

function pick(t) {
	const d = {};
	FIELDS.forEach((k) => (d[k] = t ? t[k] : BLANK[k]));
	return d;
}

function Editor({ template, onSaved, onDeleted }) {
	const [confirm, setConfirm] = useState(false);
	const [d, setD] = useState(() => pick(template));
	const [saved, setSaved] = useState(template);
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const contact = previewContact.use();
	const setContact = previewContact.set;
	const [versionsKey, setVersionsKey] = useState(0);
	const dirty = !saved || FIELDS.some((k) => d[k] !== saved[k]);
	const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value });
	const fe = (k) => (error && error.field === k ? error.message : null);

	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const t = saved ? await patch(`/templates/${saved.id}`, d) : await post('/templates', d);
			setSaved(t);
			setD(pick(t));
			setVersionsKey((n) => n + 1);
			toast(saved ? `Saved “${t.name}”, version ${t.version}` : `Created “${t.name}”`);
			onSaved(t);
		} catch (err) {
			setError(err);
			document.getElementById(`tpl-${err.field}`)?.focus();
		} finally {
			setBusy(false);
		}
	};

	const remove = async () => {
		setBusy(true);
		setError(null);
		try {
			await del(`/templates/${saved.id}`);
			toast(`Deleted “${saved.name}”`);
			onDeleted();
		} catch (err) {
			setError(err);
			setConfirm(false);
			setBusy(false);
		}
	};

	return (
		<div class="templates-editor">
			<form class="card record-form" onSubmit={submit} noValidate aria-label="Template">
				<div class="card-head">
					<h2>{saved ? saved.name : 'New template'}</h2>
					{saved && <Badge kind={dirty ? 'new' : 'done'}>{dirty ? 'unsaved changes' : `version ${saved.version}`}</Badge>}
				</div>
				<FormError error={error && !FIELDS.includes(error.field) ? error : null} />
				<div class="form-grid">
					<Field id="tpl-name" label="Name" error={fe('name')}>
						<input type="text" autoComplete="off" value={d.name} onInput={set('name')} />
					</Field>
					<Field id="tpl-format" label="Format" error={fe('format')}>
						<select value={d.format} onChange={set('format')}>
							<option value="markdown">Markdown</option>
							<option value="html">HTML</option>
						</select>
					</Field>
				</div>
				<Field id="tpl-subject" label="Subject" error={fe('subject')}>
					<input type="text" autoComplete="off" value={d.subject} onInput={set('subject')} />
				</Field>
				<Field
					id="tpl-body"
					label="Body"
					error={fe('body')}
					hint="Mustache: {{contact.first_name|there}} inserts a value with a fallback, {{#order.items}}…{{/order.items}} repeats."
				>
					<textarea rows={14} class="code" spellcheck={false} value={d.body} onInput={set('body')} />
				</Field>
				<div class="form-actions">
					<Submit busy={busy} disabled={busy || (saved && !dirty)}>
						{saved ? 'Save' : 'Create template'}
					</Submit>
					{saved && dirty && (
						<button type="button" onClick={() => (setD(pick(saved)), setError(null))} disabled={busy}>
							Discard changes
						</button>
					)}
					{saved && onDeleted && !confirm && (
						<button type="button" class="push-right" onClick={() => setConfirm(true)} disabled={busy}>
							Delete
						</button>
					)}
					{saved && onDeleted && confirm && (
						<span class="confirm push-right" role="group" aria-label="Confirm deletion">
							<span>Delete “{saved.name}” and its versions? Rules that send it will fail.</span>
							<button type="button" class="danger" onClick={remove} disabled={busy}>
								{busy ? 'Deleting…' : 'Yes, delete'}
							</button>
							<button type="button" onClick={() => setConfirm(false)} disabled={busy}>
								Keep
							</button>
						</span>
					)}
				</div>
			</form>
			<Preview draft={d} saved={saved} dirty={dirty} contact={contact} setContact={setContact} />
			{saved && <Versions key={versionsKey} id={saved.id} onRestore={(v) => setD({ ...d, subject: v.subject, body: v.body, format: v.format })} />}
		</div>
	);
}

// "body: line 3, column 5: unclosed section 'a'" -> the parts.
function parseProblem(e) {
	const m = /^(subject|body)?:?\s*line (\d+), column (\d+): (.*)$/.exec(e.message || '');
	if (!m) return { field: e.field, message: e.message };
	return { field: m[1] || e.field, line: m[2], column: m[3], message: m[4] };
}

// Lint while editing (debounced), preview of the saved text otherwise.
function Preview({ draft, saved, dirty, contact, setContact }) {
	const [res, setRes] = useState(null);
	const [problem, setProblem] = useState(null);
	const [busy, setBusy] = useState(false);
	const seq = useRef(0);
	const empty = !draft.subject.trim() && !draft.body.trim();
	useEffect(() => {
		if (empty) return setRes(null), setProblem(null);
		const n = ++seq.current;
		const t = setTimeout(async () => {
			setBusy(true);
			const ids = contact ? { contact_id: contact.id } : {};
			try {
				const r =
					saved && !dirty
						? await post(`/templates/${saved.id}/preview`, ids)
						: await post('/templates/lint', { subject: draft.subject, body: draft.body, format: draft.format, ...ids });
				if (n !== seq.current) return;
				setRes(r);
				setProblem(null);
			} catch (e) {
				if (n !== seq.current) return;
				setProblem(e.status === 400 ? parseProblem(e) : { message: errorText(e) });
			} finally {
				if (n === seq.current) setBusy(false);
			}
		}, 350);
		return () => clearTimeout(t);
	}, [draft.subject, draft.body, draft.format, contact && contact.id, saved && saved.version, dirty]);

	return (
		<section class="card template-preview" aria-labelledby="preview-title" aria-busy={busy ? 'true' : undefined}>
			<div class="card-head">
				<h2 id="preview-title">Check and preview</h2>
			</div>
			<ContactPicker value={contact} onChange={setContact} />
			<div class="lint" aria-live="polite">
				{empty && <p class="muted">Write a subject or a body to see it checked and rendered here.</p>}
				{!empty && problem && (
					<div class="lint-error" role="alert">
						<strong>Template error</strong>
						{problem.field && <> in the {problem.field}</>}
						{problem.line && (
							<>
								{' '}
								at line {problem.line}, column {problem.column}
							</>
						)}
						: {problem.message}
					</div>
				)}
				{!empty && !problem && res && res.missing.length > 0 && (
					<div class="lint-missing">
						<strong>Missing variables{contact ? ` for ${contactName(contact)}` : ''}:</strong>
						<ul>
							{res.missing.map((m) => (
								<li>
									<code>{m.name}</code> ({m.field}, line {m.line}, column {m.column})
								</li>
							))}
						</ul>
						{!contact && <p class="muted">Pick a contact to fill the contact's values.</p>}
					</div>
				)}
				{!empty && !problem && res && !res.missing.length && <p class="lint-ok">No problems found.</p>}
			</div>
			{!empty && !problem && res && (
				<div class="preview-mail" aria-label="Preview">
					<p class="preview-subject">
						<span class="muted">Subject: </span>
						<strong>{res.subject}</strong>
					</p>
					{/* the server sanitises the rendered HTML */}
					<div class="preview-body" dangerouslySetInnerHTML={{ __html: res.html }} />
				</div>
			)}
		</section>
	);
}

function ContactPicker({ value, onChange }) {
	const [q, setQ] = useState('');
	const [items, setItems] = useState([]);
	const [open, setOpen] = useState(false);
	useEffect(() => {
		if (!open) return;
		let live = true;
		const t = setTimeout(
			() =>
				get('/contacts', { q: q.trim(), limit: 8 }).then(
					(r) => live && setItems(r.items),
					() => live && setItems([]),
				),
			200,
		);
		return () => ((live = false), clearTimeout(t));
	}, [q, open]);
	if (value)
		return (
			<p class="picked">
				Preview for <strong>{contactName(value)}</strong>{' '}
				<button type="button" class="link-button" onClick={() => (onChange(null), setQ(''))}>
					Change contact
				</button>
			</p>
		);
	return (
		<div class="picker">
			<Field id="preview-contact" label="Preview for contact" hint="Search by name, email or phone.">
				<input
					type="search"
					autoComplete="off"
					value={q}
					onFocus={() => setOpen(true)}
					onInput={(e) => (setQ(e.currentTarget.value), setOpen(true))}
				/>
			</Field>
			{open && items.length > 0 && (
				<ul class="picker-list" aria-label="Matching contacts">
					{items.map((c) => (
						<li key={c.id}>
							<button type="button" onClick={() => (onChange(c), setOpen(false))}>
								{contactName(c)}
								{c.emails && c.emails[0] && <span class="muted"> {c.emails[0]}</span>}
							</button>
						</li>
					))}
				</ul>
			)}
			{open && q.trim() && !items.length && <p class="muted">No contact matches “{q.trim()}”.</p>}
		</div>
	);
}

function Versions({ id, onRestore }) {
	const s = useLoad(() => get(`/templates/${id}/versions`), [id]);
	const users = useUsers();
	return (
		<section class="card" aria-labelledby="versions-title">
			<h2 id="versions-title">Versions</h2>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="versions" />}
			{s.data && (
				<ol class="versions">
					{s.data.items.map((v, i) => (
						<li key={v.version}>
							<details>
								<summary>
									Version {v.version}
									{i === 0 && ' (current)'} · {formatDateTime(v.created_at)}
									{v.created_by && ` · ${userName(users, v.created_by)}`}
								</summary>
								<p>
									<span class="muted">Subject: </span>
									{v.subject}
								</p>
								<pre class="pre">{v.body}</pre>
								{i > 0 && (
									<button type="button" onClick={() => onRestore(v)}>
										Put version {v.version} in the editor
									</button>
								)}
							</details>
						</li>
					))}
				</ol>
			)}
		</section>
	);
}
