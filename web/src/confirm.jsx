// "Delete" with a confirm: a button that opens a dialog saying what goes and
// what stays; the deletion runs only on its Delete button, and an error from
// the server (a 409 "orders still refer to it", a 403) shows in the dialog.
import { useState } from 'preact/hooks';
import { Modal, FormError } from './ui.jsx';
import './styles/forms.css';

// label: the button's accessible name ("Delete this deal"); title: the
// dialog's ("Delete “Acme renewal”?"); body: what happens; onDelete: async.
export function DeleteButton({ label, title, body, onDelete, text }) {
	const [open, setOpen] = useState(false);
	const [busy, setBusy] = useState(false);
	const [error, setError] = useState(null);
	const run = async () => {
		setBusy(true);
		setError(null);
		try {
			await onDelete();
			setOpen(false);
		} catch (e) {
			setError(e);
		} finally {
			setBusy(false);
		}
	};
	return (
		<>
			<button type="button" aria-label={label} onClick={() => (setError(null), setOpen(true))}>
				{text || 'Delete'}
			</button>
			{open && (
				<Modal title={title} onClose={() => setOpen(false)}>
					<FormError error={error} />
					<p class="confirm-body">{body}</p>
					<div class="confirm-actions">
						<button type="button" onClick={() => setOpen(false)} disabled={busy}>
							Cancel
						</button>
						<button type="button" class="danger" onClick={run} disabled={busy} aria-busy={busy ? 'true' : undefined}>
							{busy ? 'Deleting…' : 'Delete'}
						</button>
					</div>
				</Modal>
			)}
		</>
	);
}
