// What the contact, company and deal cards share: loading the record, the
// details list with an Edit button that turns it into the form in place, and
// the not-found state.
import { useEffect, useState } from 'preact/hooks';
import { get } from './api.js';
import { RecordForm } from './record_form.jsx';
import { Link } from './router.js';
import { Empty, ErrorBox, Loading, useLoad } from './ui.jsx';
import { rememberRecord, toast } from './util.js';

export function useRecord(table, id) {
	return useLoad(async () => {
		const r = await get(`/${table}/${id}`);
		rememberRecord(table, r);
		return r;
	}, [table, id]);
}

// Loading, error and not-found states; children(record) otherwise.
export function RecordGate({ state, table, noun, children }) {
	if (state.error && state.error.status === 404)
		return (
			<div class="page">
				<Empty title={`This ${noun} does not exist.`}>
					<p>
						It may have been deleted. Back to <Link href={`/${table}`}>{table}</Link>.
					</p>
				</Empty>
			</div>
		);
	if (state.error && !state.data)
		return (
			<div class="page">
				<ErrorBox error={state.error} retry={state.reload} />
			</div>
		);
	if (!state.data)
		return (
			<div class="page">
				<Loading what={`the ${noun}`} />
			</div>
		);
	return children(state.data);
}

// rows: [[label, value]]; empty values show a dash.
export function Details({ rows }) {
	return (
		<dl class="details">
			{rows.map(([k, v]) => (
				<div class="details-row">
					<dt>{k}</dt>
					<dd>{v === null || v === undefined || v === '' || (Array.isArray(v) && !v.length) ? <span class="muted">—</span> : v}</dd>
				</div>
			))}
		</dl>
	);
}

// The details card with inline editing.
export function EditableDetails({ table, noun, record, fields, rows, onSaved }) {
	const [editing, setEditing] = useState(false);
	useEffect(() => setEditing(false), [record.id]);
	return (
		<section class="card" aria-labelledby={`details-${table}`}>
			<div class="card-head">
				<h2 id={`details-${table}`}>Details</h2>
				{!editing && (
					<button type="button" onClick={() => setEditing(true)} aria-label={`Edit this ${noun}`}>
						Edit
					</button>
				)}
			</div>
			{editing ? (
				<RecordForm
					table={table}
					fields={fields}
					record={record}
					onSaved={(r) => {
						setEditing(false);
						toast(`${noun.charAt(0).toUpperCase()}${noun.slice(1)} saved`);
						onSaved(r);
					}}
					onCancel={() => setEditing(false)}
				/>
			) : (
				<Details rows={rows} />
			)}
		</section>
	);
}
