// Settings → Mail accounts: the mailboxes with their health and sync
// progress, sync now, connect with Google or Microsoft (OAuth2), add one
// from a preset (Gmail, Outlook, any IMAP/SMTP server), edit and remove.
import { useEffect, useState } from 'preact/hooks';
import { del, get, patch, post } from '../api.js';
import { Badge, Empty, ErrorBox, Field, FormError, Loading, Submit, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, relativeTime, toast } from '../util.js';
import { ConnectionTest } from './mail_test.jsx';

// One state per mailbox: a disabled one says only that; the others their health.
const HEALTH = {
	disabled: { kind: 'lost', text: 'Disabled: not synced' },
	new: { kind: 'new', text: 'Connecting…' },
	ok: { kind: 'done', text: 'OK' },
	auth_failed: { kind: 'lost', text: 'Login failed' },
	unreachable: { kind: 'lost', text: 'Server unreachable' },
	needs_reauth: { kind: 'new', text: 'Needs authorisation' },
};
const PROVIDER = { gmail: 'Google', outlook: 'Microsoft' };
const DEFAULT_PORT = { imaps: 993, imap: 143, smtps: 465, smtp: 587 };

export function MailAccounts({ me, focus }) {
	const s = useLoad(() => get('/mail/accounts'), []);
	const [adding, setAdding] = useState(false);
	const items = (s.data && s.data.items) || [];
	// Poll while a mailbox waits for its first sync or syncs; slowly otherwise.
	const busy = items.some((a) => a.enabled && (a.health.status === 'new' || syncing(a)));
	useEffect(() => {
		const t = setInterval(s.reload, busy ? 2000 : 15000);
		return () => clearInterval(t);
	}, [busy, s.reload]);
	useEffect(() => {
		if (focus && s.data) document.getElementById(`mailbox-${focus}`)?.scrollIntoView({ block: 'center' });
	}, [focus, !!s.data]);
	const replace = (a) => s.setData((d) => ({ ...d, items: d.items.map((x) => (x.id === a.id ? a : x)) }));
	return (
		<section class="card" aria-labelledby="mail-title">
			<div class="card-head">
				<h2 id="mail-title">Mail accounts</h2>
				{!adding && (
					<button type="button" onClick={() => setAdding(true)}>
						Add mailbox
					</button>
				)}
			</div>
			{adding && (
				<AccountForm
					me={me}
					onCancel={() => setAdding(false)}
					onSaved={(a) => {
						setAdding(false);
						s.setData((d) => ({ ...d, items: [...d.items, a] }));
					}}
				/>
			)}
			{s.error && !s.data && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="mail accounts" />}
			{s.data && !items.length && !adding && (
				<Empty title="No mailbox connected.">
					<p>Add one with Add mailbox: Parley then syncs its mail into the inbox and the clients' timelines.</p>
				</Empty>
			)}
			{items.length > 0 && (
				<ul class="mailboxes">
					{items.map((a) => (
						<Account key={a.id} a={a} me={me} onChange={replace} onDeleted={() => s.setData((d) => ({ ...d, items: d.items.filter((x) => x.id !== a.id) }))} />
					))}
				</ul>
			)}
		</section>
	);
}

function syncing(a) {
	return Object.values(a.progress || {}).some((p) => p && p.total > 0 && p.done < p.total);
}

function Progress({ progress }) {
	const folders = Object.entries(progress || {}).filter(([, p]) => p && typeof p === 'object');
	if (!folders.length) return null;
	return (
		<ul class="sync-progress" aria-label="Sync progress">
			{folders.map(([name, p]) => (
				<li key={name}>
					<span>{name}</span>{' '}
					{p.total > 0 && p.done < p.total ? (
						<>
							<progress max={p.total} value={p.done} aria-label={`${name}: ${p.done} of ${p.total}`} /> {p.done} of {p.total}
						</>
					) : (
						<span class="muted">up to date</span>
					)}
				</li>
			))}
		</ul>
	);
}

function Account({ a, me, onChange, onDeleted }) {
	const [editing, setEditing] = useState(false);
	const [confirm, setConfirm] = useState(false);
	const [busy, setBusy] = useState(null);
	const [error, setError] = useState(null);
	const state = a.enabled ? a.health.status : 'disabled';
	const h = HEALTH[state] || { kind: 'plain', text: state };
	// The error explains a failing state only: not beside "OK", nor after a fix.
	const failing = a.enabled && !['ok', 'new'].includes(a.health.status);
	const mayChange = me.role === 'admin' || a.owner_id === me.id;
	const run = async (what, fn) => {
		setBusy(what);
		setError(null);
		try {
			await fn();
		} catch (e) {
			setError(e);
		} finally {
			setBusy(null);
		}
	};
	const sync = () =>
		run('sync', async () => {
			await post(`/mail/accounts/${a.id}/sync`);
			toast(`Syncing ${a.name}…`);
		});
	const oauth = () =>
		run('oauth', async () => {
			const r = await post(`/mail/accounts/${a.id}/oauth`);
			window.location.assign(r.authorize_url);
		});
	const remove = () =>
		run('delete', async () => {
			await del(`/mail/accounts/${a.id}`);
			toast(`Disconnected ${a.name}`);
			onDeleted();
		});
	if (editing)
		return (
			<li class="mailbox" id={`mailbox-${a.id}`}>
				<AccountForm
					me={me}
					account={a}
					onCancel={() => setEditing(false)}
					onSaved={(x) => {
						setEditing(false);
						onChange(x);
					}}
				/>
			</li>
		);
	return (
		<li class="mailbox" id={`mailbox-${a.id}`} data-mailbox={a.name}>
			<div class="mailbox-head">
				<div>
					<strong>{a.name}</strong> <span class="muted">{a.email}</span>
					{a.shared && <Badge>shared</Badge>}
				</div>
				<span class="health" data-health={state}>
					<Badge kind={h.kind}>{h.text}</Badge>
				</span>
			</div>
			{failing && a.health.last_error && (
				<p class="field-error">
					{a.health.last_error}
					{a.health.last_error_at && <span class="muted"> ({relativeTime(a.health.last_error_at)})</span>}
				</p>
			)}
			<p class="muted mailbox-servers">
				{a.imap} · {a.smtp} · {a.auth === 'xoauth2' ? `signed in with ${PROVIDER[a.preset] || 'OAuth'}` : `login ${a.username}`} · added{' '}
				{formatDateTime(a.created_at)}
			</p>
			<Progress progress={a.progress} />
			{error && (
				<p class="form-error" role="alert">
					{errorText(error)}
				</p>
			)}
			<div class="form-actions">
				<button type="button" onClick={sync} disabled={!!busy || !a.enabled}>
					{busy === 'sync' ? 'Asking…' : 'Sync now'}
					<span class="sr-only"> {a.name}</span>
				</button>
				{a.preset && PROVIDER[a.preset] && mayChange && (
					<button type="button" onClick={oauth} disabled={!!busy}>
						{busy === 'oauth' ? 'Opening…' : `${a.auth === 'xoauth2' && a.health.status !== 'needs_reauth' ? 'Reconnect' : 'Connect'} with ${PROVIDER[a.preset]}`}
					</button>
				)}
				{mayChange && (
					<button type="button" onClick={() => setEditing(true)} disabled={!!busy}>
						Edit<span class="sr-only"> {a.name}</span>
					</button>
				)}
				{mayChange && !confirm && (
					<button type="button" onClick={() => setConfirm(true)} disabled={!!busy}>
						Remove<span class="sr-only"> {a.name}</span>
					</button>
				)}
				{confirm && (
					<span class="confirm" role="group" aria-label="Confirm removal">
						<span>Disconnect {a.name}? Its messages stay in Parley.</span>
						<button type="button" class="danger" onClick={remove} disabled={!!busy}>
							{busy === 'delete' ? 'Removing…' : 'Yes, remove'}
						</button>
						<button type="button" onClick={() => setConfirm(false)} disabled={!!busy}>
							Keep
						</button>
					</span>
				)}
			</div>
		</li>
	);
}

// "imaps://host:993" -> { host, port, tls }; the port left empty when it is the default.
function parseUrl(u) {
	const m = /^(imaps?|smtps?):\/\/([^/:]+|\[[^\]]+\])(?::(\d+))?\/?$/.exec(u || '');
	if (!m) return { host: '', port: '', tls: true };
	return { host: m[2], port: m[3] || '', tls: m[1].endsWith('s') };
}

function makeUrl(proto, host, port, tls) {
	if (!host.trim()) return undefined;
	return `${proto}${tls ? 's' : ''}://${host.trim()}${port ? `:${String(port).trim()}` : ''}`;
}

function AccountForm({ me, account, onSaved, onCancel }) {
	const edit = !!account;
	const [d, setD] = useState(() => {
		const i = parseUrl(account && account.imap);
		const o = parseUrl(account && account.smtp);
		return {
			preset: account ? account.preset || 'other' : 'other',
			name: account ? account.name : '',
			email: account ? account.email : '',
			username: account && account.username !== account.email ? account.username : '',
			password: '',
			imap_host: i.host,
			imap_port: i.port,
			imap_tls: i.tls,
			smtp_host: o.host,
			smtp_port: o.port,
			smtp_tls: o.tls,
			shared: account ? account.shared : false,
			enabled: account ? account.enabled : true,
		};
	});
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value });
	const setTls = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value === 'tls' });
	const fe = (k) => (error && error.field === k ? error.message : null);
	const other = d.preset === 'other';
	const p = edit ? `edit-${account.id}` : 'mb';
	const known = ['name', 'email', 'username', 'password', 'imap', 'smtp', 'preset', 'shared', 'enabled'];

	const body = () => {
		const imap = other ? makeUrl('imap', d.imap_host, d.imap_port, d.imap_tls) : undefined;
		const smtp = other ? makeUrl('smtp', d.smtp_host, d.smtp_port, d.smtp_tls) : undefined;
		if (!edit) {
			const b = { name: d.name.trim(), email: d.email.trim() };
			if (other) Object.assign(b, { imap: imap || '', smtp: smtp || '' });
			else b.preset = d.preset;
			if (d.username.trim()) b.username = d.username.trim();
			if (d.password) b.password = d.password;
			if (d.shared) b.shared = true;
			return b;
		}
		const b = {};
		if (d.name.trim() !== account.name) b.name = d.name.trim();
		const user = d.username.trim() || account.email;
		if (user !== account.username) b.username = user;
		if (d.password) b.password = d.password;
		if (other && imap !== account.imap) b.imap = imap || '';
		if (other && smtp !== account.smtp) b.smtp = smtp || '';
		if (d.enabled !== account.enabled) b.enabled = d.enabled;
		if (me.role === 'admin' && d.shared !== account.shared) b.shared = d.shared;
		return b;
	};

	// What "Test connection" tries: the form's values, over the saved mailbox when editing.
	const probe = () => {
		const b = body();
		if (!edit) {
			delete b.name;
			delete b.shared;
			return b;
		}
		const t = { id: account.id };
		for (const k of ['username', 'password', 'imap', 'smtp']) if (k in b) t[k] = b[k];
		return t;
	};

	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const b = body();
			const a = edit ? (Object.keys(b).length ? await patch(`/mail/accounts/${account.id}`, b) : account) : await post('/mail/accounts', b);
			toast(edit ? `Saved ${a.name}` : `Added ${a.name}: Parley is connecting to it`);
			onSaved(a);
		} catch (err) {
			setError(err);
			setBusy(false);
			const f = { imap: 'imap-host', smtp: 'smtp-host' }[err.field] || err.field;
			document.getElementById(`${p}-${f}`)?.focus();
		}
	};

	return (
		<form class="record-form mailbox-form" onSubmit={submit} noValidate aria-label={edit ? `Edit ${account.name}` : 'Add mailbox'}>
			<FormError error={error && !known.includes(error.field) ? error : null} />
			{!edit && (
				<fieldset class="presets">
					<legend>Provider</legend>
					{[
						['gmail', 'Gmail'],
						['outlook', 'Outlook'],
						['other', 'Other IMAP/SMTP server'],
					].map(([v, l]) => (
						<label>
							<input type="radio" name="preset" value={v} checked={d.preset === v} onChange={set('preset')} /> {l}
						</label>
					))}
				</fieldset>
			)}
			<div class="form-grid">
				<Field id={`${p}-name`} label="Name in Parley" error={fe('name')} hint="Letters, digits, . _ - @; such as “sales”.">
					<input type="text" autoComplete="off" value={d.name} onInput={set('name')} />
				</Field>
				<Field id={`${p}-email`} label="Email address" error={fe('email')} hint={edit ? 'The address cannot be changed.' : undefined}>
					<input type="email" autoComplete="off" value={d.email} onInput={set('email')} disabled={edit} />
				</Field>
				<Field id={`${p}-username`} label="Login name" error={fe('username')} hint="Leave empty to log in with the email address.">
					<input type="text" autoComplete="off" value={d.username} onInput={set('username')} />
				</Field>
				<Field
					id={`${p}-password`}
					label="Password"
					error={fe('password')}
					hint={
						edit
							? 'Leave empty to keep the current one.'
							: other
								? 'Often an app password.'
								: `Leave empty to sign in with ${PROVIDER[d.preset]} (OAuth) after adding; or give an app password.`
					}
				>
					<input type="password" autoComplete="new-password" value={d.password} onInput={set('password')} />
				</Field>
			</div>
			{other && (
				<div class="server-grid">
					<ServerFields p={p} kind="imap" label="IMAP" d={d} set={set} setTls={setTls} error={fe('imap')} />
					<ServerFields p={p} kind="smtp" label="SMTP" d={d} set={set} setTls={setTls} error={fe('smtp')} />
				</div>
			)}
			{me.role === 'admin' && (
				<label class="check">
					<input type="checkbox" checked={d.shared} onChange={set('shared')} /> Shared with the team (such as sales@)
				</label>
			)}
			{edit && (
				<label class="check">
					<input type="checkbox" checked={d.enabled} onChange={set('enabled')} /> Sync this mailbox
				</label>
			)}
			<ConnectionTest body={probe} disabled={busy} />
			<div class="form-actions">
				<Submit busy={busy} busyText={edit ? 'Saving…' : 'Adding…'}>
					{edit ? 'Save mailbox' : 'Add mailbox'}
				</Submit>
				<button type="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
			</div>
		</form>
	);
}

function ServerFields({ p, kind, label, d, set, setTls, error }) {
	const tls = d[`${kind}_tls`];
	const def = DEFAULT_PORT[`${kind}${tls ? 's' : ''}`];
	return (
		<fieldset class="server">
			<legend>{label} server</legend>
			<Field id={`${p}-${kind}-host`} label={`${label} host`} error={error}>
				<input type="text" autoComplete="off" value={d[`${kind}_host`]} onInput={set(`${kind}_host`)} />
			</Field>
			<Field id={`${p}-${kind}-port`} label={`${label} port`} hint={`Empty: ${def}.`}>
				<input type="number" min="1" max="65535" value={d[`${kind}_port`]} onInput={set(`${kind}_port`)} />
			</Field>
			<Field id={`${p}-${kind}-security`} label={`${label} security`}>
				<select value={tls ? 'tls' : 'starttls'} onChange={setTls(`${kind}_tls`)}>
					<option value="tls">SSL/TLS</option>
					<option value="starttls">STARTTLS</option>
				</select>
			</Field>
		</fieldset>
	);
}
