// Automation: the ready scenarios as switches, the rules (enable, disable,
// create, edit as a simple form with JSON for conditions and actions) and
// each rule's run log.
import { useEffect, useState } from 'preact/hooks';
import { get, patch, post, put } from '../api.js';
import { Badge, Empty, ErrorBox, Field, FormError, Loading, Modal, Submit, useLoad } from '../ui.jsx';
import { errorText, formatDateTime, label, toast } from '../util.js';

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
									When {r.trigger}
									{Object.keys(r.params || {}).length > 0 && ` (${Object.entries(r.params).map(([k, v]) => `${k}: ${v}`).join(', ')})`}
									{' → '}
									{r.actions.map((a) => label(a.type)).join(', ')}
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

function RuleForm({ rule, onSaved, onCancel }) {
	const catalog = useLoad(() => get('/rules/catalog'), []);
	const [d, setD] = useState(() => ({
		name: rule ? rule.name : '',
		trigger: rule ? rule.trigger : '',
		param: rule ? Object.values(rule.params || {})[0] ?? '' : '',
		conditions: rule ? json(rule.conditions) : '[]',
		actions: rule ? json(rule.actions) : '[\n  {"type": "notify", "user": "owner", "title": "…"}\n]',
	}));
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const set = (k) => (e) => setD({ ...d, [k]: e.currentTarget.value });
	const triggers = (catalog.data && catalog.data.triggers) || [];
	const trig = triggers.find((t) => t.name === d.trigger);
	const fe = (k) => (error && error.field === k ? error.message : null);
	const submit = async (e) => {
		e.preventDefault();
		setError(null);
		const body = { name: d.name.trim(), trigger: d.trigger, params: {} };
		if (trig && trig.param) body.params[trig.param] = Number(d.param);
		for (const k of ['conditions', 'actions']) {
			try {
				body[k] = JSON.parse(d[k]);
			} catch (err) {
				setError({ field: k, message: `'${k}' is not valid JSON: ${err.message}` });
				return;
			}
		}
		setBusy(true);
		try {
			const r = rule ? await patch(`/rules/${rule.id}`, body) : await post('/rules', body);
			toast(rule ? `Saved “${r.name}”` : `Created “${r.name}”`);
			onSaved(r);
		} catch (err) {
			/* "action 0 (webhook): ..." and "condition 1 ..." belong to their box */
			const f = err.field && /^actions?/.test(err.field) ? 'actions' : err.field && /^conditions?/.test(err.field) ? 'conditions' : err.field;
			setError(f === err.field ? err : { field: f, message: err.message, status: err.status });
			setBusy(false);
		}
	};
	const known = ['name', 'trigger', 'params', 'conditions', 'actions'];
	return (
		<form class="record-form rule-form" onSubmit={submit} noValidate aria-label={rule ? `Edit ${rule.name}` : 'New rule'}>
			<FormError error={error && !known.includes(error.field) ? error : null} />
			<div class="form-grid">
				<Field id="rule-name" label="Name" error={fe('name')}>
					<input type="text" autoComplete="off" value={d.name} onInput={set('name')} />
				</Field>
				<Field id="rule-trigger" label="Trigger" error={fe('trigger')} hint={trig ? trig.summary : 'What starts the rule.'}>
					<select value={d.trigger} onChange={set('trigger')}>
						<option value="">Choose…</option>
						{triggers.map((t) => (
							<option value={t.name}>{t.name}</option>
						))}
					</select>
				</Field>
				{trig && trig.param && (
					<Field id="rule-params" label={label(trig.param)} error={fe('params')}>
						<input type="number" min="0" step="1" value={d.param} onInput={set('param')} />
					</Field>
				)}
			</div>
			<Field
				id="rule-conditions"
				label="Conditions (JSON)"
				error={fe('conditions')}
				hint='All must hold, e.g. [{"field": "order.total", "op": "gte", "value": 100000}].'
			>
				<textarea rows={4} class="code" spellcheck={false} value={d.conditions} onInput={set('conditions')} />
			</Field>
			<Field
				id="rule-actions"
				label="Actions (JSON)"
				error={fe('actions')}
				hint={`1 to 10 actions: ${((catalog.data && catalog.data.actions) || []).map((a) => a.name).join(', ')}.`}
			>
				<textarea rows={8} class="code" spellcheck={false} value={d.actions} onInput={set('actions')} />
			</Field>
			<div class="form-actions">
				<Submit busy={busy}>{rule ? 'Save rule' : 'Create rule'}</Submit>
				<button type="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
			</div>
		</form>
	);
}
