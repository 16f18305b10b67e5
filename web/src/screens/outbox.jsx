// The outbox: what was sent, what waits (scheduled or retrying) and what
// failed, with the server's reply. Refreshes while anything is on its way.
import { useEffect } from 'preact/hooks';
import { get } from '../api.js';
import { outboxStatusKind, openCompose, useAccounts } from '../mail.js';
import { Link } from '../router.js';
import { Badge, Empty, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { formatDateTime, label, relativeTime, userName, useUsers } from '../util.js';
import { ComposeHost } from './compose.jsx';

const PENDING = ['queued', 'sending', 'deferred'];

export function Outbox() {
	const { data, error, reload } = useLoad(() => get('/mail/outbox'), []);
	const { accounts } = useAccounts();
	const users = useUsers();
	const items = data && data.items;
	const pending = items && items.some((x) => PENDING.includes(x.status));

	useEffect(() => {
		document.title = 'Outbox · Parley';
	}, []);
	useEffect(() => {
		if (!pending) return;
		const t = setInterval(reload, 3000);
		return () => clearInterval(t);
	}, [pending]);

	const mailbox = (id) => {
		const a = (accounts || []).find((x) => x.id === id);
		return a ? a.email : `#${id}`;
	};
	return (
		<div class="page mail-page">
			<header class="page-head">
				<div>
					<p class="crumbs">
						<Link href="/inbox">Inbox</Link>
					</p>
					<h1>Outbox</h1>
				</div>
				<div class="head-actions">
					<button type="button" onClick={reload}>
						Refresh
					</button>
					<button type="button" class="primary" onClick={() => openCompose({ mode: 'new' })}>
						Compose
					</button>
				</div>
			</header>
			{error && <ErrorBox error={error} retry={reload} />}
			{!items && !error && <Loading what="the outbox" />}
			{items && !items.length && (
				<Empty title="Nothing sent yet.">
					<p>Mail you send or schedule shows here with where it stands. Press c or use Compose to write one.</p>
				</Empty>
			)}
			{items && items.length > 0 && (
				<table class="list outbox-list">
					<thead>
						<tr>
							<th scope="col">Status</th>
							<th scope="col">Subject</th>
							<th scope="col" class="hide-sm">
								To
							</th>
							<th scope="col" class="hide-sm">
								From
							</th>
							<th scope="col">When</th>
						</tr>
					</thead>
					<tbody>
						{items.map((x) => (
							<tr key={x.id} class={`outbox-${x.status}`}>
								<td>
									<Badge kind={outboxStatusKind(x.status)}>{label(x.status)}</Badge>
									{x.attempts > 1 && <span class="muted"> {x.attempts} tries</span>}
								</td>
								<td>
									{x.subject || '(no subject)'}
									{x.last_error && x.status !== 'sent' && <p class="outbox-error">{x.last_error}</p>}
								</td>
								<td class="hide-sm">{x.recipients.join(', ')}</td>
								<td class="hide-sm">
									{x.envelope_from || mailbox(x.account_id)}
									{x.caused_by && <span class="muted outbox-cause"> by {userName(users, x.caused_by)}</span>}
								</td>
								<td>{when(x)}</td>
							</tr>
						))}
					</tbody>
				</table>
			)}
			<ComposeHost />
		</div>
	);
}

function when(x) {
	const t = (iso, what) => (
		<span title={formatDateTime(iso)}>
			{what} {formatDateTime(iso)}
			<span class="muted"> ({relativeTime(iso)})</span>
		</span>
	);
	if (x.status === 'sent' && x.sent_at) return t(x.sent_at, 'Sent');
	if (x.status === 'failed') return 'Not sent';
	if (x.status === 'deferred' && x.next_attempt_at) return t(x.next_attempt_at, 'Retry');
	if (x.send_at && new Date(x.send_at) > Date.now()) return t(x.send_at, 'Scheduled for');
	return x.send_at ? t(x.send_at, 'Due') : '';
}
