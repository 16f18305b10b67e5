// The deals board: one column per pipeline stage with its totals by
// currency. Cards move by drag and drop or with their "Stage" menu (the
// keyboard way); the move shows at once and is rolled back, with an error
// toast, if the server refuses it.
import { useEffect, useState } from 'preact/hooks';
import { getAll, patch } from '../api.js';
import { Link } from '../router.js';
import { Empty, ErrorBox, Loading, useLoad } from '../ui.jsx';
import { errorText, label, loadSettings, money, toast, useRecordTitle } from '../util.js';

export function totalsByCurrency(deals) {
	const t = {};
	for (const d of deals) t[d.currency] = (t[d.currency] || 0) + (d.amount || 0);
	return Object.keys(t)
		.sort()
		.map((c) => money(t[c], c));
}

export function DealsBoard() {
	const s = useLoad(async () => {
		const [settings, deals] = await Promise.all([loadSettings(), getAll('/deals')]);
		return { pipeline: settings.pipeline, deals };
	}, []);
	const [dragging, setDragging] = useState(null);
	const [over, setOver] = useState(null);

	useEffect(() => {
		document.title = 'Deals · Parley';
	}, []);

	if (s.error && !s.data)
		return (
			<div class="page">
				<h1>Deals</h1>
				<ErrorBox error={s.error} retry={s.reload} />
			</div>
		);
	if (!s.data)
		return (
			<div class="page">
				<h1>Deals</h1>
				<Loading what="the deals board" />
			</div>
		);

	const { pipeline, deals } = s.data;
	const setStage = (id, stage) => s.setData((d) => ({ ...d, deals: d.deals.map((x) => (x.id === id ? { ...x, stage } : x)) }));

	// undo: this move takes back an earlier one (its toast offers no undo).
	const move = async (deal, stage, undo) => {
		if (deal.stage === stage) return;
		const from = deal.stage;
		setStage(deal.id, stage); /* optimistic */
		try {
			const saved = await patch(`/deals/${deal.id}`, { stage });
			s.setData((d) => ({ ...d, deals: d.deals.map((x) => (x.id === saved.id ? saved : x)) }));
			toast(
				undo
					? `“${deal.title}” is back in ${label(stage)}`
					: {
							message: `“${deal.title}” moved to ${label(stage)}`,
							action: { label: 'Undo', run: () => move(saved, from, true) },
						},
			);
		} catch (e) {
			setStage(deal.id, from);
			toast({ kind: 'error', message: `Could not move “${deal.title}” to ${label(stage)}: ${errorText(e)}` });
		}
	};

	const drop = (e, stage) => {
		e.preventDefault();
		setOver(null);
		const id = Number(e.dataTransfer.getData('text/plain'));
		const deal = deals.find((d) => d.id === id);
		setDragging(null);
		if (deal) move(deal, stage);
	};

	return (
		<div class="page board-page">
			<header class="page-head">
				<h1>Deals</h1>
				<Link class="button primary" href="/deals/new">
					New deal
				</Link>
			</header>
			{!deals.length && (
				<Empty title="No deals yet.">
					<p>
						Start one with <Link href="/deals/new">New deal</Link>; it appears in the first stage and moves across as it
						progresses.
					</p>
				</Empty>
			)}
			<p class="sr-only">Drag a card to another column, or choose its stage from the card's Stage menu.</p>
			<div class="board" role="list" aria-label="Pipeline">
				{pipeline.map((stage) => {
					const col = deals.filter((d) => d.stage === stage);
					return (
						<section
							role="listitem"
							class={`column${over === stage ? ' column-over' : ''}`}
							data-stage={stage}
							aria-labelledby={`col-${stage}`}
							onDragOver={(e) => {
								e.preventDefault();
								e.dataTransfer.dropEffect = 'move';
								if (over !== stage) setOver(stage);
							}}
							onDragLeave={(e) => {
								if (!e.currentTarget.contains(e.relatedTarget)) setOver(null);
							}}
							onDrop={(e) => drop(e, stage)}
						>
							<header class="column-head">
								<h2 id={`col-${stage}`}>
									{label(stage)} <span class="count">{col.length}</span>
								</h2>
								<p class="column-total" data-total>
									{col.length ? totalsByCurrency(col).join(' · ') : money(0, 'USD')}
								</p>
							</header>
							<ul class="column-cards">
								{col.map((d) => (
									<DealCard
										key={d.id}
										d={d}
										pipeline={pipeline}
										dragging={dragging === d.id}
										onDrag={setDragging}
										onMove={(st) => move(d, st)}
									/>
								))}
							</ul>
							{!col.length && deals.length > 0 && <p class="column-empty">Drop a deal here</p>}
						</section>
					);
				})}
			</div>
		</div>
	);
}

function DealCard({ d, pipeline, dragging, onDrag, onMove }) {
	const who = useRecordTitle(d.contact_id ? 'contacts' : 'companies', d.contact_id || d.company_id);
	return (
		<li
			class={`deal-card${dragging ? ' dragging' : ''}`}
			draggable
			data-deal={d.id}
			onDragStart={(e) => {
				e.dataTransfer.setData('text/plain', String(d.id));
				e.dataTransfer.effectAllowed = 'move';
				onDrag(d.id);
			}}
			onDragEnd={() => onDrag(null)}
		>
			<Link href={`/deals/${d.id}`} class="deal-title" draggable={false}>
				{d.title}
			</Link>
			<p class="deal-amount">{money(d.amount, d.currency)}</p>
			{who && <p class="deal-who muted">{who}</p>}
			<label class="sr-only" for={`stage-${d.id}`}>
				Stage of {d.title}
			</label>
			<select id={`stage-${d.id}`} class="deal-stage" value={d.stage} onChange={(e) => onMove(e.currentTarget.value)}>
				{pipeline.map((st) => (
					<option value={st}>{label(st)}</option>
				))}
			</select>
		</li>
	);
}

