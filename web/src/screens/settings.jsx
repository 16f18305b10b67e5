// Settings, in tabs (the tab in the URL, ?tab=ID): your account (appearance,
// the email digest and the password), the users (admins add them), API tokens
// (listed and revoked), mail accounts, contact import and the deal pipeline.
import { useEffect, useState } from 'preact/hooks';
import { del, get, patch, post } from '../api.js';
import { navigate, useLocation } from '../router.js';
import { Badge, Empty, ErrorBox, Field, FormError, Loading, Submit, Tabs, useLoad } from '../ui.jsx';
import { formatDate, label, loadSettings, loadUsers, toast } from '../util.js';
import { Appearance } from './appearance.jsx';
import { ContactImport } from './contact_import.jsx';
import { MailAccounts } from './mail_accounts.jsx';

// The tabs; ?tab=ID links to one (/settings/mail/NAME opens Mail accounts).
const TABS = [
	{ id: 'account', label: 'Account' },
	{ id: 'users', label: 'Users' },
	{ id: 'tokens', label: 'API tokens' },
	{ id: 'mail', label: 'Mail accounts' },
	{ id: 'import', label: 'Import' },
	{ id: 'pipeline', label: 'Pipeline' },
];

export function Settings({ session, mailbox }) {
	const me = session.user;
	const { params } = useLocation();
	const asked = params.get('tab') || (mailbox ? 'mail' : 'account');
	const tab = TABS.some((t) => t.id === asked) ? asked : 'account';
	useEffect(() => {
		document.title = `${TABS.find((t) => t.id === tab).label} · Settings · Parley`;
	}, [tab]);
	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>Settings</h1>
			</header>
			<Tabs label="Settings" idBase="settings" class="settings-tabs" tabs={TABS} value={tab} onChange={(id) => navigate(`/settings?tab=${id}`)} />
			<div role="tabpanel" id="settings-panel" aria-labelledby={`settings-tab-${tab}`}>
				{tab === 'account' && <Account me={me} />}
				{tab === 'users' && <Users admin={me.role === 'admin'} />}
				{tab === 'tokens' && <Tokens />}
				{tab === 'mail' && <MailAccounts me={me} focus={mailbox} />}
				{tab === 'import' && <ContactImport />}
				{tab === 'pipeline' && <Pipeline />}
			</div>
		</div>
	);
}

function Account({ me }) {
	return (
		<section class="card" aria-labelledby="account-title">
			<h2 id="account-title">Your account</h2>
			<dl class="details">
				<div class="details-row">
					<dt>Name</dt>
					<dd>{me.name}</dd>
				</div>
				<div class="details-row">
					<dt>Email</dt>
					<dd>{me.email}</dd>
				</div>
				<div class="details-row">
					<dt>Role</dt>
					<dd>{label(me.role)}</dd>
				</div>
			</dl>
			<Appearance />
			<Digest me={me} />
			<Password me={me} />
		</section>
	);
}

const DIGESTS = [
	['off', 'Off'],
	['hourly', 'Hourly'],
	['daily', 'Daily (from 08:00 UTC)'],
];

// How often unread notifications come by mail; the session's user is updated
// so that the choice shows again when the screen comes back.
function Digest({ me }) {
	const [digest, setDigest] = useState(me.digest || 'off');
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const u = await patch(`/users/${me.id}`, { digest });
			me.digest = u.digest;
			toast(u.digest === 'off' ? 'Email digest off' : `Email digest: ${u.digest}`);
		} catch (err) {
			setError(err);
			document.getElementById('account-digest')?.focus();
		} finally {
			setBusy(false);
		}
	};
	return (
		<>
			<form class="inline-form digest-form" onSubmit={submit} noValidate>
				<Field
					id="account-digest"
					label="Email digest of unread notifications"
					error={error && error.field === 'digest' ? error.message : null}
					hint="A mail listing what you have not read yet, sent only when there is something new."
				>
					<select value={digest} onChange={(e) => setDigest(e.currentTarget.value)}>
						{DIGESTS.map(([v, l]) => (
							<option value={v}>{l}</option>
						))}
					</select>
				</Field>
				<Submit busy={busy} busyText="Saving…">
					Save
				</Submit>
			</form>
			<FormError error={error && error.field !== 'digest' ? error : null} />
		</>
	);
}

// Changing your password needs the current one; your other sessions end.
function Password({ me }) {
	const [d, setD] = useState({ current: '', next: '' });
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value });
	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			await patch(`/users/${me.id}`, { password: d.next, current_password: d.current });
			setD({ current: '', next: '' });
			toast('Password changed: your other sessions have ended');
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	const fe = (f) => (error && error.field === f ? error.message : null);
	return (
		<>
			<form class="inline-form password-form" onSubmit={submit} noValidate aria-label="Change your password">
				<Field id="account-current-password" label="Current password" error={fe('current_password')}>
					<input type="password" autoComplete="current-password" value={d.current} onInput={set('current')} />
				</Field>
				<Field id="account-new-password" label="New password" error={fe('password')} hint="At least 8 characters.">
					<input type="password" autoComplete="new-password" value={d.next} onInput={set('next')} />
				</Field>
				<Submit busy={busy} busyText="Changing…">
					Change password
				</Submit>
			</form>
			<FormError error={error && !['current_password', 'password'].includes(error.field) ? error : null} />
		</>
	);
}

function Users({ admin }) {
	const s = useLoad(() => loadUsers(true), []);
	const [adding, setAdding] = useState(false);
	const [created, setCreated] = useState(null);
	return (
		<section class="card" aria-labelledby="users-title">
			<div class="card-head">
				<h2 id="users-title">Users</h2>
				{admin && !adding && (
					<button type="button" onClick={() => (setAdding(true), setCreated(null))}>
						Add user
					</button>
				)}
			</div>
			{!admin && <p class="muted">Only admins can add users or change roles.</p>}
			{adding && (
				<AddUser
					onCancel={() => setAdding(false)}
					onAdded={(u) => {
						setAdding(false);
						setCreated(u);
						s.reload();
					}}
				/>
			)}
			{created && (
				<div class="callout" role="status">
					<p>
						<strong>{created.name}</strong> can now log in as {created.email}.
					</p>
					{created.password && (
						<p>
							Their password, shown only this once: <code class="secret">{created.password}</code>
						</p>
					)}
				</div>
			)}
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="users" />}
			{s.data && (
				<table class="list users-list">
					<thead>
						<tr>
							<th scope="col">Name</th>
							<th scope="col" class="hide-sm">
								Email
							</th>
							<th scope="col">Role</th>
							<th scope="col" class="hide-sm">
								Since
							</th>
						</tr>
					</thead>
					<tbody>
						{s.data.map((u) => (
							<tr key={u.id}>
								<td>
									{u.name}
									{!u.active && <Badge kind="lost">inactive</Badge>}
								</td>
								<td class="hide-sm">{u.email}</td>
								<td>{label(u.role)}</td>
								<td class="hide-sm">{formatDate(u.created_at)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	);
}

function AddUser({ onAdded, onCancel }) {
	const [d, setD] = useState({ email: '', name: '', role: 'manager', password: '' });
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value });
	const fe = (k) => (error && error.field === k ? error.message : null);
	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const body = { email: d.email.trim(), name: d.name.trim(), role: d.role };
			if (d.password) body.password = d.password;
			const u = await post('/users', body);
			toast(`${u.name} added`);
			onAdded(u);
		} catch (err) {
			setError(err);
			setBusy(false);
			document.getElementById(`user-${err.field}`)?.focus();
		}
	};
	return (
		<form class="record-form" onSubmit={submit} noValidate>
			<FormError error={error && !['email', 'name', 'role', 'password'].includes(error.field) ? error : null} />
			<div class="form-grid">
				<Field id="user-email" label="Email" error={fe('email')}>
					<input type="email" autoComplete="off" value={d.email} onInput={set('email')} />
				</Field>
				<Field id="user-name" label="Name" error={fe('name')}>
					<input type="text" autoComplete="off" value={d.name} onInput={set('name')} />
				</Field>
				<Field id="user-role" label="Role" error={fe('role')}>
					<select value={d.role} onChange={set('role')}>
						<option value="manager">Manager</option>
						<option value="admin">Admin</option>
					</select>
				</Field>
				<Field id="user-password" label="Password" error={fe('password')} hint="Leave empty to generate one.">
					<input type="password" autoComplete="new-password" value={d.password} onInput={set('password')} />
				</Field>
			</div>
			<div class="form-actions">
				<Submit busy={busy} busyText="Adding…">
					Add user
				</Submit>
				<button type="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
			</div>
		</form>
	);
}

function Tokens() {
	const list = useLoad(() => get('/tokens'), []);
	const [name, setName] = useState('');
	const [token, setToken] = useState(null);
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const submit = async (e) => {
		e.preventDefault();
		setBusy(true);
		setError(null);
		try {
			const t = await post('/tokens', name.trim() ? { name: name.trim() } : {});
			setToken(t);
			setName('');
			list.reload();
		} catch (err) {
			setError(err);
		} finally {
			setBusy(false);
		}
	};
	const revoke = async (t) => {
		try {
			await del(`/tokens/${t.id}`);
			toast(`Token “${t.name}” revoked`);
			list.reload();
		} catch (err) {
			setError(err);
		}
	};
	const copy = () =>
		navigator.clipboard?.writeText(token.token).then(
			() => toast('Token copied'),
			() => toast({ kind: 'error', message: 'Copying was not allowed: select the token and copy it.' }),
		);
	return (
		<section class="card" aria-labelledby="tokens-title">
			<h2 id="tokens-title">API tokens</h2>
			<p class="muted">
				A token lets a script use the API as you: send it as <code>Authorization: Bearer TOKEN</code>. Parley shows it
				once and keeps only its hash.
			</p>
			<form class="inline-form" onSubmit={submit} noValidate>
				<Field id="token-name" label="Token name" error={error && error.field === 'name' ? error.message : null} hint="What it is for, such as “billing sync”.">
					<input type="text" autoComplete="off" value={name} onInput={(e) => setName(e.currentTarget.value)} />
				</Field>
				<Submit busy={busy} busyText="Creating…">
					Create token
				</Submit>
			</form>
			<FormError error={error && error.field !== 'name' ? error : null} />
			{token && (
				<div class="callout" role="status">
					<p>
						Token “{token.name}”, shown only this once:
					</p>
					<p>
						<code class="secret" data-token>
							{token.token}
						</code>{' '}
						<button type="button" onClick={copy}>
							Copy
						</button>
					</p>
				</div>
			)}
			{list.error && <ErrorBox error={list.error} retry={list.reload} />}
			{list.data && list.data.items.length > 0 && (
				<table class="list tokens">
					<thead>
						<tr>
							<th scope="col">Name</th>
							<th scope="col">Created</th>
							<th scope="col">Expires</th>
							<th scope="col">
								<span class="sr-only">Actions</span>
							</th>
						</tr>
					</thead>
					<tbody>
						{list.data.items.map((t) => (
							<tr data-token-id={t.id}>
								<td>{t.name}</td>
								<td>{formatDate(t.created_at)}</td>
								<td>{t.expires_at ? (t.expired ? <Badge>expired</Badge> : formatDate(t.expires_at)) : 'never'}</td>
								<td>
									<button type="button" aria-label={`Revoke the token ${t.name}`} onClick={() => revoke(t)}>
										Revoke
									</button>
								</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
		</section>
	);
}

function Pipeline() {
	const s = useLoad(() => loadSettings(), []);
	return (
		<section class="card" aria-labelledby="pipeline-title">
			<h2 id="pipeline-title">Deal pipeline</h2>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="the pipeline" />}
			{s.data &&
				(s.data.pipeline.length ? (
					<ol class="pipeline">
						{s.data.pipeline.map((st) => (
							<li>{label(st)}</li>
						))}
					</ol>
				) : (
					<Empty title="No stages." />
				))}
			<p class="muted">Admins change the stages with PATCH /api/v1/settings.</p>
		</section>
	);
}
