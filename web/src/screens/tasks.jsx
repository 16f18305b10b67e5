// Tasks: mine (open), overdue and done, with mark done / undo and a quick
// way to add one.
import { useEffect, useState } from 'preact/hooks';
import { getAll, patch } from '../api.js';
import { Link } from '../router.js';
import { TaskForm } from '../timeline.jsx';
import { Empty, ErrorBox, Loading, Tabs, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, relativeTime, toast, useRecordTitle } from '../util.js';

const TABS = [
	{ id: 'mine', label: 'Mine' },
	{ id: 'overdue', label: 'Overdue' },
	{ id: 'done', label: 'Done' },
];

function overdue(t, now) {
	return t.status === 'open' && t.due_at && new Date(t.due_at).getTime() < now;
}

export function Tasks({ session }) {
	const [tab, setTab] = useState('mine');
	const [adding, setAdding] = useState(false);
	const me = session.user.id;
	const s = useLoad(
		() => getAll('/tasks', { assignee: me, status: tab === 'done' ? 'done' : 'open' }, 1000),
		[tab, me],
	);
	useEffect(() => {
		document.title = 'Tasks · Parley';
	}, []);
	const now = Date.now();

	const setStatus = async (t, status) => {
		s.setData((list) => list.map((x) => (x.id === t.id ? { ...x, status, pending: true } : x)));
		try {
			const saved = await patch(`/tasks/${t.id}`, { status });
			s.setData((list) => list.map((x) => (x.id === t.id ? saved : x)));
			toast({
				message: status === 'done' ? `Done: ${t.title}` : `Reopened: ${t.title}`,
				action: { label: 'Undo', run: () => setStatus(saved, status === 'done' ? 'open' : 'done') },
			});
		} catch (e) {
			s.setData((list) => list.map((x) => (x.id === t.id ? t : x)));
			toast({ kind: 'error', message: `Could not change “${t.title}”: ${errorText(e)}` });
		}
	};

	let list = s.data || [];
	if (tab === 'overdue') list = list.filter((t) => t.due_at && new Date(t.due_at).getTime() < now);
	if (tab !== 'done') list = [...list].sort((a, b) => (a.due_at || '9999').localeCompare(b.due_at || '9999'));

	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>Tasks</h1>
				<button type="button" class="primary" onClick={() => setAdding((a) => !a)} aria-expanded={adding ? 'true' : 'false'}>
					New task
				</button>
			</header>
			{adding && (
				<div class="card">
					<TaskForm
						id={null}
						me={me}
						onAdded={() => {
							setAdding(false);
							if (tab !== 'done') s.reload();
						}}
					/>
				</div>
			)}
			<Tabs label="Which tasks" tabs={TABS} value={tab} onChange={setTab} />
			<div role="tabpanel" aria-label={TABS.find((t) => t.id === tab).label}>
				{s.error && <ErrorBox error={s.error} retry={s.reload} />}
				{!s.data && !s.error && <Loading what="tasks" />}
				{s.data && !list.length && <TasksEmpty tab={tab} />}
				{s.data && list.length > 0 && (
					<ul class="task-list">
						{list.map((t) => (
							<TaskRow key={t.id} t={t} late={overdue(t, now)} onToggle={() => setStatus(t, t.status === 'done' ? 'open' : 'done')} />
						))}
					</ul>
				)}
			</div>
		</div>
	);
}

function TasksEmpty({ tab }) {
	if (tab === 'overdue') return <Empty title="Nothing overdue.">You are on top of things.</Empty>;
	if (tab === 'done') return <Empty title="No finished tasks yet.">Tick a task in Mine and it shows up here.</Empty>;
	return (
		<Empty title="Nothing to do.">
			<p>Add a task with New task, or from a contact's or deal's card, and it lands here.</p>
		</Empty>
	);
}

function TaskRow({ t, late, onToggle }) {
	const table = t.contact_id ? 'contacts' : t.deal_id ? 'deals' : t.company_id ? 'companies' : null;
	const ref = t.contact_id || t.deal_id || t.company_id;
	const about = useRecordTitle(table, ref);
	const done = t.status === 'done';
	return (
		<li class={`task${done ? ' task-done' : ''}${late ? ' task-late' : ''}`} data-task={t.id}>
			<input
				type="checkbox"
				id={`task-${t.id}`}
				checked={done}
				disabled={t.pending}
				onChange={onToggle}
				aria-label={done ? `Mark “${t.title}” not done` : `Mark “${t.title}” done`}
			/>
			<div class="task-body">
				<label for={`task-${t.id}`} class="task-title">
					{t.title}
				</label>
				<p class="task-meta">
					{t.due_at && (
						<span class={late ? 'late' : ''} title={formatDateTime(t.due_at)}>
							{late ? 'Overdue, was due ' : 'Due '}
							{relativeTime(t.due_at)}
						</span>
					)}
					{done && t.completed_at && <span>Done {relativeTime(t.completed_at)}</span>}
					{/* before the record's name, which loads later and would shift it */}
					{t.thread_id && <Link href={`/mail/threads/${t.thread_id}`}>Open the conversation</Link>}
					{table && about && <Link href={`/${table}/${ref}`}>{about}</Link>}
				</p>
			</div>
			{done && (
				<button type="button" class="link-button" onClick={onToggle} disabled={t.pending}>
					Undo
				</button>
			)}
		</li>
	);
}
