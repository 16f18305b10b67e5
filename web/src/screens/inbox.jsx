// The inbox: a placeholder until the mail client lands.
import { useEffect } from 'preact/hooks';
import { Link } from '../router.js';
import { Empty } from '../ui.jsx';

export function Inbox() {
	useEffect(() => {
		document.title = 'Inbox · Parley';
	}, []);
	return (
		<div class="page">
			<header class="page-head">
				<h1>Inbox</h1>
			</header>
			<Empty title="Mail arrives here with the mail client.">
				<p>
					Until then, every conversation already linked to a client is on their card: open{' '}
					<Link href="/contacts">Contacts</Link>, or see what is due in <Link href="/tasks">Tasks</Link>.
				</p>
				<p>
					An admin connects a mailbox with <code>parley account add</code>.
				</p>
			</Empty>
		</div>
	);
}
