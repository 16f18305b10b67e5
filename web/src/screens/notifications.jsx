// The notifications bell in the header: the unread count, a dropdown with
// the latest notifications, mark read, and live arrivals from the
// Server-Sent Events stream (GET /api/v1/events/stream).
import { useEffect, useRef, useState } from 'preact/hooks';
import { get, post } from '../api.js';
import { Link, navigate } from '../router.js';
import { emitMail } from '../live.js';
import { refreshCounts, todayChanged, todayCounts } from '../today.js';
import { errorText, relativeTime, toast } from '../util.js';

const STREAM = '/api/v1/events/stream';

// Keeps the list fresh: loads it, then adds what the stream sends. The
// browser's EventSource reconnects by itself (the server asks for 3 s) and
// sends Last-Event-ID, so nothing is missed; when it gives up (the stream
// answered an error) a new one is opened later and the list reloaded.
function useNotifications() {
	const [items, setItems] = useState(null);
	const [error, setError] = useState(null);
	useEffect(() => {
		let es = null;
		let timer = null;
		let live = true;
		const load = () =>
			get('/notifications').then(
				(r) => live && (setItems(r.items), setError(null)),
				(e) => live && setError(e),
			);
		const add = (n) =>
			setItems((list) => {
				if (list && list.some((x) => x.id === n.id)) return list;
				return [n, ...(list || [])].slice(0, 200);
			});
		const open = (reload) => {
			es = new EventSource(STREAM);
			es.addEventListener('notification', (e) => {
				try {
					const n = JSON.parse(e.data);
					add(n);
					refreshCounts();
					todayChanged.set((k) => k + 1);
					toast({
						message: `New notification: ${n.title}`,
						action: n.link ? { label: 'Open', run: () => navigate(n.link) } : undefined,
					});
				} catch {
					/* a malformed event: ignore it */
				}
			});
			es.addEventListener('mail', (e) => {
				try {
					emitMail(JSON.parse(e.data));
				} catch {
					/* a malformed event: ignore it */
				}
			});
			// Back after a break: what came meanwhile is only in the lists.
			let opened = false;
			es.addEventListener('open', () => {
				if (opened || reload) emitMail({ reconnected: true });
				opened = true;
			});
			if (reload) es.addEventListener('open', load, { once: true });
			es.addEventListener('error', () => {
				if (es.readyState === EventSource.CLOSED && live) {
					es.close();
					timer = setTimeout(() => open(true), 15000);
				}
			});
		};
		load();
		open(false);
		return () => {
			live = false;
			clearTimeout(timer);
			if (es) es.close();
		};
	}, []);
	return { items, setItems, error };
}

export function Bell() {
	const { items, setItems, error } = useNotifications();
	const [open, setOpen] = useState(false);
	const ref = useRef(null);
	const unread = (items || []).filter((n) => !n.read).length;
	// Overdue tasks ring the bell too (the Today page lists them).
	const counts = todayCounts.use();
	const overdue = (counts && counts.overdue_tasks) || 0;
	const total = unread + overdue;
	const tasksText = `${overdue} overdue task${overdue === 1 ? '' : 's'}`;

	useEffect(() => {
		if (!open) return;
		const away = (e) => ref.current && !ref.current.contains(e.target) && setOpen(false);
		const esc = (e) => e.key === 'Escape' && (setOpen(false), ref.current?.querySelector('button')?.focus());
		document.addEventListener('mousedown', away);
		document.addEventListener('keydown', esc);
		return () => {
			document.removeEventListener('mousedown', away);
			document.removeEventListener('keydown', esc);
		};
	}, [open]);

	const markRead = async (ids) => {
		const before = items;
		const now = new Date().toISOString();
		setItems((list) => list.map((n) => (!ids || ids.includes(n.id) ? { ...n, read: true, read_at: n.read_at || now } : n)));
		try {
			await post('/notifications/read', ids ? { ids } : {});
			refreshCounts();
		} catch (e) {
			setItems(before);
			toast({ kind: 'error', message: `Could not mark read: ${errorText(e)}` });
		}
	};

	const choose = (n) => {
		setOpen(false);
		if (!n.read) markRead([n.id]);
		if (n.link) navigate(n.link);
	};

	return (
		<div class="bell" ref={ref}>
			<button
				type="button"
				class="bell-button"
				aria-haspopup="true"
				aria-expanded={open ? 'true' : 'false'}
				aria-label={total ? `Notifications, ${unread} unread${overdue ? `, ${tasksText}` : ''}` : 'Notifications'}
				onClick={() => setOpen(!open)}
			>
				<svg aria-hidden="true" viewBox="0 0 24 24" width="20" height="20">
					<path
						fill="currentColor"
						d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2z"
					/>
				</svg>
				{total > 0 && (
					<span class="bell-count" data-unread={unread} data-overdue={overdue} aria-hidden="true">
						{total > 99 ? '99+' : total}
					</span>
				)}
			</button>
			{open && (
				<div class="bell-panel" role="region" aria-label="Notifications">
					<div class="bell-head">
						<h2>Notifications</h2>
						{unread > 0 && (
							<button type="button" class="link-button" onClick={() => markRead(null)}>
								Mark all read
							</button>
						)}
					</div>
					{overdue > 0 && (
						<Link href="/today" class="bell-overdue" onClick={() => setOpen(false)}>
							{tasksText}: see Today
						</Link>
					)}
					{error && !items && <p class="form-error">{errorText(error)}</p>}
					{items && !items.length && (
						<p class="muted bell-empty">
							Nothing yet. Tasks assigned to you, mail from clients and alerts from automation rules show up here.
						</p>
					)}
					{items && items.length > 0 && (
						<ul class="bell-list">
							{items.slice(0, 50).map((n) => (
								<li key={n.id} class={n.read ? 'read' : 'unread'}>
									<button type="button" class="bell-item" onClick={() => choose(n)}>
										<span class="bell-title">
											{!n.read && <span class="sr-only">Unread: </span>}
											{n.title}
										</span>
										{n.body && <span class="bell-body">{n.body}</span>}
										<span class="bell-time">{relativeTime(n.created_at)}</span>
									</button>
									{!n.read && (
										<button
											type="button"
											class="icon-button bell-mark"
											aria-label={`Mark “${n.title}” read`}
											title="Mark read"
											onClick={() => markRead([n.id])}
										>
											✓
										</button>
									)}
								</li>
							))}
						</ul>
					)}
				</div>
			)}
		</div>
	);
}
