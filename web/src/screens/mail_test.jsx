// "Test connection" in the mailbox form: logs in to IMAP and SMTP with the
// form's values (POST /mail/accounts/test), saving nothing, and says how each
// went in plain words.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { errorText } from '../util.js';
import '../styles/rules.css';

const PROTOS = [
	['imap', 'IMAP (receiving)'],
	['smtp', 'SMTP (sending)'],
];

export function ConnectionTest({ body, disabled }) {
	const [busy, setBusy] = useState(false);
	const [result, setResult] = useState(null);
	const [error, setError] = useState(null);
	const run = async () => {
		setBusy(true);
		setResult(null);
		setError(null);
		try {
			setResult(await post('/mail/accounts/test', body()));
		} catch (e) {
			setError(e);
		} finally {
			setBusy(false);
		}
	};
	return (
		<div class="conn-test">
			<button type="button" onClick={run} disabled={busy || disabled}>
				{busy ? 'Testing…' : 'Test connection'}
			</button>
			<div role="status" aria-label="Connection test" class="conn-test-result">
				{busy && <span class="muted">Logging in to both servers…</span>}
				{error && <p class="field-error">{errorText(error)}</p>}
				{result && (
					<ul>
						{PROTOS.map(([k, l]) => {
							const r = result[k];
							return (
								<li key={k} data-proto={k} data-ok={String(r.ok)} class={r.ok ? 'conn-ok' : 'conn-bad'}>
									<strong>{l}:</strong> {r.ok ? 'OK, logged in' : r.error}
									{!r.ok && r.detail && <span class="muted"> ({r.detail})</span>}
								</li>
							);
						})}
					</ul>
				)}
			</div>
		</div>
	);
}
