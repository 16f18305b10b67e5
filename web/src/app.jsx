// The app: the session (log in, log out, 401 means logged out), the shell
// (navigation, user menu, keyboard shortcuts) and the screen for the path.
import { useEffect, useRef, useState } from 'preact/hooks';
import { del, get, onAuthLost, setCsrfToken } from './api.js';
import { MAIL_KEYS, setMailUser } from './mail.js';
import { Link, match, navigate, useLocation } from './router.js';
import { Company, Companies, NewCompany } from './screens/companies.jsx';
import { Calendar } from './screens/calendar.jsx';
import { Contact } from './screens/contact.jsx';
import { Contacts, NewContact } from './screens/contacts.jsx';
import { Deal, NewDeal } from './screens/deal.jsx';
import { DealsBoard } from './screens/deals.jsx';
import { Inbox } from './screens/inbox.jsx';
import { Login } from './screens/login.jsx';
import { Outbox } from './screens/outbox.jsx';
import { Settings } from './screens/settings.jsx';
import { Tasks } from './screens/tasks.jsx';
import { Automation } from './screens/automation.jsx';
import { Bell } from './screens/notifications.jsx';
import { Templates } from './screens/templates.jsx';
import { Today } from './screens/today.jsx';
import { MailThread } from './screens/thread.jsx';
import { Empty, Loading, Modal, ProgressBar, Toasts } from './ui.jsx';
import { todayCounts, useCountsRefresh } from './today.js';
import { errorText, label, toast } from './util.js';
import { MenuButton, useNavMenu } from './nav_menu.jsx';

// count: the key of GET /api/v1/today/counts shown beside the label, and what it counts.
const NAV = [
	{ href: '/today', label: 'Today', key: 'h', count: ['total', 'item', 'items'] },
	{ href: '/inbox', label: 'Inbox', key: 'i', also: '/mail/', count: ['unread_mail', 'unread conversation', 'unread conversations'] },
	{ href: '/contacts', label: 'Contacts', key: 'c' },
	{ href: '/companies', label: 'Companies', key: 'o' },
	{ href: '/deals', label: 'Deals', key: 'd' },
	{ href: '/tasks', label: 'Tasks', key: 't' },
	{ href: '/calendar', label: 'Calendar', key: 'l' },
	{ href: '/templates', label: 'Templates', key: 'e' },
	{ href: '/automation', label: 'Automation', key: 'a' },
	{ href: '/settings', label: 'Settings', key: 's' },
];

const ROUTES = [
	['/today', Today],
	['/inbox', Inbox],
	['/mail/threads/:id', MailThread],
	['/mail/outbox', Outbox],
	['/contacts', Contacts],
	['/contacts/new', NewContact],
	['/contacts/:id', Contact],
	['/companies', Companies],
	['/companies/new', NewCompany],
	['/companies/:id', Company],
	['/deals', DealsBoard],
	['/deals/new', NewDeal],
	['/deals/:id', Deal],
	['/tasks', Tasks],
	['/calendar', Calendar],
	['/settings', Settings],
	['/templates', Templates],
	['/templates/:id', Templates],
	['/automation', Automation],
	['/rules', Automation],
	['/tasks/:id', Tasks], // notification links
	['/settings/mail/:mailbox', Settings], // notification links
];

export function App() {
	const [session, setSession] = useState(undefined); /* undefined: not known yet */
	const { path } = useLocation();

	const loggedIn = (s) => {
		setCsrfToken(s.csrf_token);
		setMailUser(s.user);
		setSession(s);
	};
	useEffect(() => {
		onAuthLost(() => {
			setCsrfToken(null);
			setSession(null);
			toast({ kind: 'error', message: 'Your session ended: log in again.' });
		});
		get('/session').then(loggedIn, () => setSession(null));
	}, []);

	if (session === undefined)
		return (
			<main class="boot" id="main">
				<Loading what="Parley" />
			</main>
		);
	if (!session)
		return (
			<>
				<ProgressBar />
				<Login
					onLogin={(s) => {
						loggedIn(s);
						if (path === '/' || path === '/login') navigate('/today', { replace: true });
					}}
				/>
				<Toasts />
			</>
		);
	if (path === '/' || path === '/login') return <Redirect to="/today" />;
	return (
		<Shell
			session={session}
			path={path}
			onLogout={() => {
				setCsrfToken(null);
				setSession(null);
				navigate('/login');
			}}
		/>
	);
}

function Shell({ session, path, onLogout }) {
	const [help, setHelp] = useState(false);
	const mainRef = useRef(null);
	const found = match(ROUTES, path);
	const counts = todayCounts.use();
	const menu = useNavMenu(path);
	useShortcuts(setHelp);
	useCountsRefresh();

	// A new screen: put the focus at its start (as a page load would).
	useEffect(() => {
		const a = document.activeElement;
		if (!a || a === document.body || a.closest('nav')) mainRef.current?.focus({ preventScroll: true });
	}, [path]);

	const Screen = found ? found.value : NotFound;
	return (
		<div class="shell">
			<a class="skip-link" href="#main">
				Skip to content
			</a>
			<ProgressBar />
			<header class="topbar">
				<Link href="/today" class="brand" aria-label="Parley, go to Today">
					<span class="brand-mark" aria-hidden="true">
						P
					</span>
					<span class="brand-name">Parley</span>
				</Link>
				<MenuButton menu={menu} />
				<nav aria-label="Main" id="main-nav" class={menu.open ? 'nav nav-open' : 'nav'} ref={menu.navRef}>
					{NAV.map((n) => {
						const here = path === n.href || path.startsWith(`${n.href}/`) || (n.also && path.startsWith(n.also));
						return (
							<Link href={n.href} aria-current={here ? 'page' : undefined} class={here ? 'active' : ''} title={navCount(n, counts)?.title}>
								{n.label}
								{navCount(n, counts) && (
									<span class="nav-count" data-count={n.count[0]} aria-hidden="true">
										{navCount(n, counts).text}
									</span>
								)}
							</Link>
						);
					})}
				</nav>
				<Bell />
				<UserMenu user={session.user} onLogout={onLogout} onHelp={() => setHelp(true)} />
			</header>
			<main id="main" ref={mainRef} tabIndex={-1}>
				<Screen key={path} {...(found ? found.params : {})} session={session} />
			</main>
			{help && <Shortcuts onClose={() => setHelp(false)} />}
			<Toasts />
		</div>
	);
}

// The count beside a menu entry: { text, title } or null (none, or zero).
function navCount(n, counts) {
	const v = n.count && counts ? counts[n.count[0]] : 0;
	if (!v) return null;
	return { text: v > 99 ? '99+' : String(v), title: `${v} ${v === 1 ? n.count[1] : n.count[2]}` };
}

function Redirect({ to }) {
	useEffect(() => navigate(to, { replace: true }), []);
	return null;
}

function NotFound() {
	return (
		<div class="page">
			<Empty title="There is no such page.">
				<p>
					Go to the <Link href="/inbox">inbox</Link> or pick a section above.
				</p>
			</Empty>
		</div>
	);
}

function UserMenu({ user, onLogout, onHelp }) {
	const [open, setOpen] = useState(false);
	const [busy, setBusy] = useState(false);
	const ref = useRef(null);
	useEffect(() => {
		if (!open) return;
		const away = (e) => ref.current && !ref.current.contains(e.target) && setOpen(false);
		const esc = (e) => e.key === 'Escape' && (setOpen(false), ref.current?.querySelector('button')?.focus());
		document.addEventListener('mousedown', away);
		document.addEventListener('keydown', esc);
		ref.current?.querySelector('[role="menuitem"]')?.focus();
		return () => {
			document.removeEventListener('mousedown', away);
			document.removeEventListener('keydown', esc);
		};
	}, [open]);

	const logout = async () => {
		setBusy(true);
		try {
			await del('/session');
		} catch (e) {
			if (e.status !== 401) {
				setBusy(false);
				return toast({ kind: 'error', message: `Could not log out: ${errorText(e)}` });
			}
		}
		onLogout();
	};

	const initials = user.name
		.split(/\s+/)
		.map((w) => w[0])
		.join('')
		.slice(0, 2)
		.toUpperCase();
	return (
		<div class="user-menu" ref={ref}>
			<button
				type="button"
				class="avatar-button"
				aria-haspopup="menu"
				aria-expanded={open ? 'true' : 'false'}
				aria-label={`Account menu for ${user.name}`}
				onClick={() => setOpen(!open)}
			>
				<span class="avatar" aria-hidden="true">
					{initials}
				</span>
				<span class="user-name">{user.name}</span>
			</button>
			{open && (
				<div class="menu" role="menu" aria-label="Account">
					<p class="menu-who">
						{user.email}
						<br />
						<span class="muted">{label(user.role)}</span>
					</p>
					<button type="button" role="menuitem" onClick={() => (setOpen(false), navigate('/settings'))}>
						Settings
					</button>
					<button type="button" role="menuitem" onClick={() => (setOpen(false), onHelp())}>
						Keyboard shortcuts
					</button>
					<button type="button" role="menuitem" onClick={logout} disabled={busy}>
						{busy ? 'Logging out…' : 'Log out'}
					</button>
				</div>
			)}
		</div>
	);
}

function typing(el) {
	return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
}

// "/" focuses the search box, "?" shows the shortcuts, "g" then a letter goes to a section.
function useShortcuts(setHelp) {
	useEffect(() => {
		let g = 0;
		const key = (e) => {
			if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target) || document.querySelector('dialog[open]')) return;
			if (e.key === '/') {
				const s = document.querySelector('[data-search]');
				if (s) {
					e.preventDefault();
					s.focus();
					s.select();
				}
			} else if (e.key === '?') {
				e.preventDefault();
				setHelp(true);
			} else if (e.key === 'g') {
				g = Date.now();
			} else if (Date.now() - g < 1500) {
				const n = NAV.find((x) => x.key === e.key);
				g = 0;
				if (n) {
					e.preventDefault();
					navigate(n.href);
				}
			}
		};
		document.addEventListener('keydown', key);
		return () => document.removeEventListener('keydown', key);
	}, []);
}

function Shortcuts({ onClose }) {
	return (
		<Modal title="Keyboard shortcuts" onClose={onClose}>
			<dl class="shortcuts">
				<div>
					<dt>
						<kbd>/</kbd>
					</dt>
					<dd>Search (mail, contacts, companies)</dd>
				</div>
				<div>
					<dt>
						<kbd>?</kbd>
					</dt>
					<dd>This list</dd>
				</div>
				{NAV.map((n) => (
					<div>
						<dt>
							<kbd>g</kbd> <kbd>{n.key}</kbd>
						</dt>
						<dd>Go to {n.label}</dd>
					</div>
				))}
				{MAIL_KEYS.map(([k, what]) => (
					<div>
						<dt>
							<kbd>{k}</kbd>
						</dt>
						<dd>{what} (inbox and conversations)</dd>
					</div>
				))}
				<div>
					<dt>
						<kbd>Alt</kbd> <kbd>↑</kbd> <kbd>↓</kbd>
					</dt>
					<dd>Move the focused meeting 15 minutes earlier or later (calendar week)</dd>
				</div>
				<div>
					<dt>
						<kbd>Alt</kbd> <kbd>←</kbd> <kbd>→</kbd>
					</dt>
					<dd>Move the focused meeting a day earlier or later (calendar week)</dd>
				</div>
				<div>
					<dt>
						<kbd>Esc</kbd>
					</dt>
					<dd>Close a dialog or menu, cancel an edit or a drag</dd>
				</div>
			</dl>
		</Modal>
	);
}
