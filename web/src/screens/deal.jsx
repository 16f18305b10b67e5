// A deal's card: details with inline edit, its stage history and timeline.
import { useEffect, useState } from 'preact/hooks';
import { del, patch } from '../api.js';
import { EditableDetails, RecordGate, useRecord } from '../card.jsx';
import { DeleteButton } from '../confirm.jsx';
import { RecordForm, dealFields } from '../record_form.jsx';
import { Link, navigate, useLocation } from '../router.js';
import { Composer, Timeline } from '../timeline.jsx';
import { Badge, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { ScheduleMeeting } from './meeting.jsx';
import { errorText, formatDate, formatDateTime, label, loadSettings, money, toast, useRecordTitle, userName, useUsers } from '../util.js';

function usePipeline() {
	return useLoad(() => loadSettings().then((s) => s.pipeline), []);
}

export function Deal({ id, session }) {
	const state = useRecord('deals', id);
	const pipeline = usePipeline();
	return (
		<RecordGate state={state} table="deals" noun="deal">
			{(d) => <DealCard d={d} pipeline={pipeline.data || [d.stage]} session={session} onSaved={(r) => state.setData(r)} />}
		</RecordGate>
	);
}

function DealCard({ d, pipeline, session, onSaved }) {
	const users = useUsers();
	const contact = useRecordTitle('contacts', d.contact_id);
	const company = useRecordTitle('companies', d.company_id);
	const [version, setVersion] = useState(0);
	const [moving, setMoving] = useState(false);
	useEffect(() => {
		document.title = `${d.title} · Parley`;
	}, [d.title]);

	const moveTo = async (stage, undo) => {
		const from = d.stage;
		setMoving(true);
		try {
			onSaved(await patch(`/deals/${d.id}`, { stage }));
			setVersion((v) => v + 1);
			toast(
				undo
					? `Back in ${label(stage)}`
					: { message: `Moved to ${label(stage)}`, action: { label: 'Undo', run: () => moveTo(from, true) } },
			);
		} catch (e) {
			toast({ kind: 'error', message: `Could not move the deal: ${errorText(e)}` });
		} finally {
			setMoving(false);
		}
	};

	const rows = [
		['Amount', money(d.amount, d.currency)],
		['Stage', label(d.stage)],
		['Contact', d.contact_id ? <Link href={`/contacts/${d.contact_id}`}>{contact || '…'}</Link> : null],
		['Company', d.company_id ? <Link href={`/companies/${d.company_id}`}>{company || '…'}</Link> : null],
		['Owner', userName(users, d.owner_id)],
		['Expected close', formatDate(d.expected_close)],
		['Closed', formatDateTime(d.closed_at)],
	];
	return (
		<div class="page record-page">
			<header class="page-head">
				<div>
					<p class="crumbs">
						<Link href="/deals">Deals</Link>
					</p>
					<h1>
						{d.title} <Badge kind={d.stage}>{label(d.stage)}</Badge>
					</h1>
					<p class="subtitle">{money(d.amount, d.currency)}</p>
				</div>
				<div class="head-actions">
					<ScheduleMeeting deal={d} title={d.title} onSaved={() => setVersion((v) => v + 1)} />
					<label for="deal-stage-select">Stage</label>
					<select id="deal-stage-select" value={d.stage} disabled={moving} onChange={(e) => moveTo(e.currentTarget.value)}>
						{pipeline.map((s) => (
							<option value={s}>{label(s)}</option>
						))}
					</select>
					<DeleteButton
						label="Delete this deal"
						title={`Delete “${d.title}”?`}
						body="Its stage history goes with it; its orders, notes and tasks stay, without the link to it."
						onDelete={async () => {
							await del(`/deals/${d.id}`);
							toast(`Deal “${d.title}” deleted`);
							navigate('/deals', { replace: true });
						}}
					/>
				</div>
			</header>
			<div class="record-grid">
				<div class="record-side">
					<EditableDetails table="deals" noun="deal" record={d} fields={dealFields(pipeline)} rows={rows} onSaved={(r) => (onSaved(r), setVersion((v) => v + 1))} />
				</div>
				<div class="record-main">
					<Composer table="deals" id={d.id} me={session.user.id} onAdded={() => setVersion((v) => v + 1)} />
					<Timeline table="deals" id={d.id} version={version} />
				</div>
				<div class="record-extra">
					<History d={d} users={users} />
				</div>
			</div>
		</div>
	);
}

function History({ d, users }) {
	const h = d.stage_history || [];
	return (
		<section class="card" aria-labelledby="history-title">
			<h2 id="history-title">Stage history</h2>
			{!h.length ? (
				<p class="muted">No moves yet.</p>
			) : (
				<ol class="history">
					{[...h].reverse().map((x) => (
						<li>
							{x.from ? (
								<span>
									{label(x.from)} → <strong>{label(x.to)}</strong>
								</span>
							) : (
								<span>
									Created in <strong>{label(x.to)}</strong>
								</span>
							)}
							<span class="muted">
								{formatDateTime(x.at)}
								{x.by ? ` · ${userName(users, x.by)}` : ''}
							</span>
						</li>
					))}
				</ol>
			)}
		</section>
	);
}

// /deals/new?contact=ID&company=ID starts the deal for that contact (the
// contact card's "New deal") and company.
export function NewDeal({ session }) {
	const pipeline = usePipeline();
	const { params } = useLocation();
	const ref = (k) => (/^\d+$/.test(params.get(k) || '') ? Number(params.get(k)) : null);
	useEffect(() => {
		document.title = 'New deal · Parley';
	}, []);
	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>New deal</h1>
			</header>
			<div class="card">
				{pipeline.error && <ErrorBox error={pipeline.error} retry={pipeline.reload} />}
				{!pipeline.data && !pipeline.error && <Loading what="the pipeline" />}
				{pipeline.data && (
					<RecordForm
						table="deals"
						fields={dealFields(pipeline.data)}
						defaults={{ currency: 'USD', stage: pipeline.data[0], owner_id: session.user.id, contact_id: ref('contact'), company_id: ref('company') }}
						submitLabel="Create deal"
						onSaved={(d) => navigate(`/deals/${d.id}`, { replace: true })}
						onCancel={() => history.back()}
					/>
				)}
			</div>
		</div>
	);
}
