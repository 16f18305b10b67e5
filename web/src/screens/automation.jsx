// Automation: the ready scenarios as switches, the rules (enable, disable,
// create and edit in plain words with the rule builder, or as JSON under
// "Advanced: JSON") and each rule's run log.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post, put } from '../api.js';
import { Badge, Empty, ErrorBox, Field, FormError, Loading, Modal, Submit, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, label, toast } from '../util.js';
import { describeRule, RuleBuilder } from './rule_builder.jsx';

export function Automation({ session }) {
	const admin = session.user.role === 'admin';
	const rules = useLoad(() => get('/rules'), []);
	useEffect(() => {
		document.title = 'Automation · Parley';
	}, []);
	return (
		<div class="page narrow">
			<header class="page-head">
				<h1>Automation</h1>
			</header>
			{!admin && <p class="muted">Only admins switch scenarios and change rules; you can read them and their run logs.</p>}
			<Scenarios admin={admin} onChange={rules.reload} />
			<Rules admin={admin} s={rules} />
		</div>
	);
}

// A checkbox that screen readers announce as an on/off switch.
function Switch({ id, checked, disabled, onChange, children }) {
	return (
		<label class="switch" for={id}>
			<input type="checkbox" role="switch" id={id} checked={checked} disabled={disabled} onChange={onChange} />
			<span class="switch-track" aria-hidden="true" />
			<span class="switch-label">{children}</span>
		</label>
	);
}

function Scenarios({ admin, onChange }) {
	const s = useLoad(() => get('/rules/scenarios'), []);
	const [errors, setErrors] = useState({});
	const [pending, setPending] = useState({});
	const toggle = async (sc) => {
		const enabled = !sc.enabled;
		setPending((p) => ({ ...p, [sc.key]: true }));
		setErrors((e) => ({ ...e, [sc.key]: null }));
		s.setData((d) => ({ ...d, items: d.items.map((x) => (x.key === sc.key ? { ...x, enabled } : x)) }));
		try {
			const rule = await put(`/rules/scenarios/${sc.key}`, { enabled });
			s.setData((d) => ({ ...d, items: d.items.map((x) => (x.key === sc.key ? { ...x, enabled: rule.enabled, rule_id: rule.id } : x)) }));
			toast(`${sc.title}: ${rule.enabled ? 'on' : 'off'}`);
			onChange();
		} catch (e) {
			s.setData((d) => ({ ...d, items: d.items.map((x) => (x.key === sc.key ? sc : x)) }));
			setErrors((x) => ({ ...x, [sc.key]: errorText(e) }));
		} finally {
			setPending((p) => ({ ...p, [sc.key]: false }));
		}
	};
	return (
		<section class="card" aria-labelledby="scenarios-title">
			<h2 id="scenarios-title">Ready scenarios</h2>
			<p class="muted">Switch one on and Parley writes its rule (and the templates it sends) for you.</p>
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="scenarios" />}
			{s.data && (
				<ul class="scenarios">
					{s.data.items.map((sc) => (
						<li key={sc.key} data-scenario={sc.key}>
							<Switch id={`sc-${sc.key}`} checked={sc.enabled} disabled={!admin || pending[sc.key]} onChange={() => toggle(sc)}>
								<strong>{sc.title}</strong>
								<span class="muted block">{sc.summary}</span>
							</Switch>
							{errors[sc.key] && (
								<p class="field-error" role="alert">
									{errors[sc.key]}
								</p>
							)}
						</li>
					))}
				</ul>
			)}
		</section>
	);
}

function Rules({ admin, s }) {
	const catalog = useLoad(() => get('/rules/catalog'), []);
	const [log, setLog] = useState(null);
	const [editing, setEditing] = useState(null); /* null, 'new' or a rule */
	const [pending, setPending] = useState({});
	const items = (s.data && s.data.items) || [];
	const replace = (r) => s.setData((d) => ({ ...d, items: d.items.map((x) => (x.id === r.id ? r : x)) }));
	const toggle = async (r) => {
		setPending((p) => ({ ...p, [r.id]: true }));
		replace({ ...r, enabled: !r.enabled });
		try {
			replace(await patch(`/rules/${r.id}`, { enabled: !r.enabled }));
		} catch (e) {
			replace(r);
			toast({ kind: 'error', message: `Could not switch “${r.name}”: ${errorText(e)}` });
		} finally {
			setPending((p) => ({ ...p, [r.id]: false }));
		}
	};
	return (
		<section class="card" aria-labelledby="rules-title">
			<div class="card-head">
				<h2 id="rules-title">Rules</h2>
				{admin && !editing && (
					<button type="button" onClick={() => setEditing('new')}>
						New rule
					</button>
				)}
			</div>
			{editing && (
				<RuleForm
					rule={editing === 'new' ? null : editing}
					onCancel={() => setEditing(null)}
					onSaved={(r) => {
						setEditing(null);
						if (items.some((x) => x.id === r.id)) replace(r);
						else s.setData((d) => ({ ...d, items: [...d.items, r] }));
					}}
				/>
			)}
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="rules" />}
			{s.data && !items.length && (
				<Empty title="No rules yet.">
					<p>Switch a ready scenario on above{admin ? ', or write a rule with New rule' : ''}.</p>
				</Empty>
			)}
			{items.length > 0 && (
				<ul class="rules">
					{items.map((r) => (
						<li key={r.id} data-rule={r.id}>
							<Switch id={`rule-${r.id}`} checked={r.enabled} disabled={!admin || pending[r.id]} onChange={() => toggle(r)}>
								<strong>{r.name}</strong>
								<span class="muted block">
									{describeRule(catalog.data, r)}
									{r.scenario && ' · scenario'}
								</span>
							</Switch>
							<div class="rule-actions">
								<button type="button" onClick={() => setLog(r)}>
									Run log<span class="sr-only"> of {r.name}</span>
								</button>
								{admin && (
									<button type="button" onClick={() => setEditing(r)}>
										Edit<span class="sr-only"> {r.name}</span>
									</button>
								)}
							</div>
						</li>
					))}
				</ul>
			)}
			{log && <RunLog rule={log} onClose={() => setLog(null)} />}
		</section>
	);
}

const RUN_KIND = { ok: 'done', fired: 'open', skipped: 'new', failed: 'lost' };

function runText(run) {
	const d = run.detail || {};
	if (run.status === 'fired') return `Event ${run.event_id} matched: ${d.actions} action${d.actions === 1 ? '' : 's'} to run`;
	const parts = [];
	if (d.action) parts.push(label(d.action));
	if (d.skipped) parts.push(`skipped: ${d.skipped}`);
	if (d.error) parts.push(d.error);
	if (d.final) parts.push('(last attempt)');
	const rest = Object.entries(d)
		.filter(([k]) => !['action', 'skipped', 'error', 'final'].includes(k))
		.map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : v}`);
	return [...parts, ...rest].join(' · ');
}

function RunLog({ rule, onClose }) {
	const s = useLoad(() => get(`/rules/${rule.id}/runs`), [rule.id]);
	return (
		<Modal title={`Run log: ${rule.name}`} onClose={onClose}>
			<div class="run-log">
				<div class="form-actions">
					<button type="button" onClick={s.reload} disabled={s.loading}>
						Refresh
					</button>
				</div>
				{s.error && <ErrorBox error={s.error} retry={s.reload} />}
				{!s.data && !s.error && <Loading what="the run log" />}
				{s.data && !s.data.items.length && (
					<Empty title="This rule has not run yet.">
						<p>It runs when “{rule.trigger}” happens{rule.enabled ? '' : ' and it is switched on'}.</p>
					</Empty>
				)}
				{s.data && s.data.items.length > 0 && (
					<table class="list">
						<thead>
							<tr>
								<th scope="col">When</th>
								<th scope="col">Status</th>
								<th scope="col">What happened</th>
							</tr>
						</thead>
						<tbody>
							{s.data.items.map((run) => (
								<tr key={run.id}>
									<td>{formatDateTime(run.at)}</td>
									<td>
										<Badge kind={RUN_KIND[run.status]}>{run.status}</Badge>
									</td>
									<td>{runText(run)}</td>
								</tr>
							))}
						</tbody>
					</table>
				)}
			</div>
		</Modal>
	);
}

const json = (v) => JSON.stringify(v, null, 2);

// The rule as the builder edits it, from a stored rule (or a new one).
function fromRule(rule) {
	return {
		name: rule ? rule.name : '',
		trigger: rule ? rule.trigger : '',
		param: rule ? (Object.values(rule.params || {})[0] ?? '') : '',
		conditions: rule ? rule.conditions || [] : [],
		actions: rule ? rule.actions || [] : [{ type: 'create_task' }],
	};
}

// Where a server error belongs: "action 0 (webhook): ..." and "condition 1 ..." to their part.
function errorField(err) {
	if (!err.field) return err.field;
	if (/^actions?/.test(err.field)) return 'actions';
	if (/^conditions?/.test(err.field)) return 'conditions';
	return err.field;
}

function RuleForm({ rule, onSaved, onCancel }) {
	const catalog = useLoad(() => get('/rules/catalog'), []);
	const [d, setD] = useState(() => fromRule(rule));
	const [advanced, setAdvanced] = useState(false);
	const [text, setText] = useState({ conditions: '', actions: '' });
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const triggers = (catalog.data && catalog.data.triggers) || [];
	const trig = triggers.find((t) => t.name === d.trigger);
	const fe = (k) => (error && error.field === k ? error.message : null);

	// The JSON boxes, parsed: the parts, or null with the error set.
	const parsed = () => {
		const out = {};
		for (const k of ['conditions', 'actions']) {
			try {
				out[k] = JSON.parse(text[k]);
			} catch (err) {
				setError({ field: k, message: `'${k}' is not valid JSON: ${err.message}` });
				return null;
			}
		}
		return out;
	};
	const toggleAdvanced = () => {
		setError(null);
		if (!advanced) {
			setText({ conditions: json(d.conditions), actions: json(d.actions) });
			setAdvanced(true);
			return;
		}
		const p = parsed();
		if (!p) return;
		if (!Array.isArray(p.conditions) || !Array.isArray(p.actions) || ![...p.conditions, ...p.actions].every((x) => x && typeof x === 'object' && !Array.isArray(x))) {
			setError({ field: 'actions', message: 'The builder takes a list of conditions and a list of actions (objects); fix the JSON or keep editing it here.' });
			return;
		}
		setD({ ...d, ...p });
		setAdvanced(false);
	};
	const body = (parts) => {
		const b = { name: d.name.trim(), trigger: d.trigger, params: {}, conditions: parts.conditions, actions: parts.actions };
		if (trig && trig.param) b.params[trig.param] = Number(d.param);
		return b;
	};

	const submit = async (e) => {
		e.preventDefault();
		setError(null);
		const parts = advanced ? parsed() : d;
		if (!parts) return;
		setBusy(true);
		try {
			const b = body(parts);
			const r = rule ? await patch(`/rules/${rule.id}`, b) : await post('/rules', b);
			toast(rule ? `Saved “${r.name}”` : `Created “${r.name}”`);
			onSaved(r);
		} catch (err) {
			const f = errorField(err);
			setError(f === err.field ? err : { field: f, message: err.message, status: err.status });
			setBusy(false);
		}
	};
	const known = ['name', 'trigger', 'params', 'conditions', 'actions'];
	return (
		<form class="record-form rule-form" onSubmit={submit} noValidate aria-label={rule ? `Edit ${rule.name}` : 'New rule'}>
			<FormError error={error && !known.includes(error.field) ? error : null} />
			<Field id="rule-name" label="Name" error={fe('name')}>
				<input type="text" autoComplete="off" value={d.name} onInput={(e) => setD({ ...d, name: e.currentTarget.value })} />
			</Field>
			{catalog.error && <ErrorBox error={catalog.error} retry={catalog.reload} />}
			{!catalog.data && !catalog.error && <Loading what="the triggers and actions" />}
			{catalog.data && !advanced && (
				<RuleBuilder
					catalog={catalog.data}
					value={d}
					onChange={setD}
					errors={{ trigger: fe('trigger'), params: fe('params'), conditions: fe('conditions'), actions: fe('actions') }}
				/>
			)}
			{catalog.data && advanced && (
				<div class="rule-json">
					<div class="form-grid">
						<Field id="rule-trigger" label="When" error={fe('trigger')} hint={trig ? trig.summary : 'What starts the rule.'}>
							<select value={d.trigger} onChange={(e) => setD({ ...d, trigger: e.currentTarget.value })}>
								<option value="">Choose…</option>
								{triggers.map((t) => (
									<option value={t.name}>{t.name}</option>
								))}
							</select>
						</Field>
						{trig && trig.param && (
							<Field id="rule-params" label={label(trig.param)} error={fe('params')}>
								<input type="number" min="0" step="1" value={d.param} onInput={(e) => setD({ ...d, param: e.currentTarget.value })} />
							</Field>
						)}
					</div>
					<Field id="rule-conditions" label="Conditions (JSON)" error={fe('conditions')} hint='All must hold, e.g. [{"field": "order.total", "op": "gte", "value": 100000}].'>
						<textarea rows={4} class="code" spellcheck={false} value={text.conditions} onInput={(e) => setText({ ...text, conditions: e.currentTarget.value })} />
					</Field>
					<Field id="rule-actions" label="Actions (JSON)" error={fe('actions')} hint={`1 to 10 actions: ${catalog.data.actions.map((a) => a.name).join(', ')}.`}>
						<textarea rows={8} class="code" spellcheck={false} value={text.actions} onInput={(e) => setText({ ...text, actions: e.currentTarget.value })} />
					</Field>
				</div>
			)}
			<div class="form-actions">
				<Submit busy={busy}>{rule ? 'Save rule' : 'Create rule'}</Submit>
				<button type="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
				<button type="button" class="rb-advanced" aria-pressed={advanced ? 'true' : 'false'} onClick={toggleAdvanced} disabled={busy || !catalog.data}>
					Advanced: JSON
				</button>
			</div>
		</form>
	);
}
