// The rule builder: a rule's trigger, conditions and actions in plain words,
// driven by GET /rules/catalog (triggers, actions with their fields, the
// comparisons and the usual condition fields). It edits the same JSON the API
// takes ({trigger, params, conditions, actions}); the automation screen keeps
// that JSON a toggle away for integrators.
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api.js';
import { Field } from '../ui.jsx';
import { loadSettings, useUsers } from '../util.js';
import '../styles/rules.css';

const OTHER = '';

// A value as the condition's field and comparison want it: numbers for number
// fields, a list for "is one of", true/false for "is set".
function condValue(type, op, text) {
	if (op === 'exists') return text !== 'false';
	const one = (s) => (type === 'number' && s.trim() !== '' && !Number.isNaN(Number(s)) ? Number(s) : s.trim());
	if (op === 'in')
		return text
			.split(',')
			.map((s) => s.trim())
			.filter(Boolean)
			.map(one);
	return one(text);
}

function condText(op, v) {
	if (op === 'exists') return v === false ? 'false' : 'true';
	if (Array.isArray(v)) return v.join(', ');
	return v === undefined || v === null ? '' : String(v);
}

function usePipeline() {
	const [stages, setStages] = useState([]);
	useEffect(() => {
		loadSettings()
			.then((s) => setStages(s.pipeline || []))
			.catch(() => {});
	}, []);
	return stages;
}

let templatesLoading = null;
function useTemplates(wanted) {
	const [list, setList] = useState(null);
	useEffect(() => {
		if (!wanted || list) return;
		templatesLoading = templatesLoading || get('/templates?limit=200').then((r) => r.items || []);
		templatesLoading.then(setList).catch(() => {
			templatesLoading = null;
		});
	}, [wanted]);
	return list || [];
}

export function RuleBuilder({ catalog, value, onChange, errors }) {
	const stages = usePipeline();
	const users = useUsers();
	const templates = useTemplates(value.actions.some((a) => a.type === 'send_template'));
	const fields = catalog.condition_fields || [];
	const ops = catalog.operators || [];
	const set = (k, v) => onChange({ ...value, [k]: v });
	const setAt = (k, i, v) => set(k, value[k].map((x, j) => (j === i ? v : x)));
	const removeAt = (k, i) => set(k, value[k].filter((_, j) => j !== i));
	const trig = catalog.triggers.find((t) => t.name === value.trigger);
	const env = { stages, users, templates };

	return (
		<div class="rule-builder">
			<fieldset class="rb-part">
				<legend id="rule-trigger-legend">When</legend>
				<div class="rb-row">
					<div class={`field rb-grow${errors.trigger ? ' field-invalid' : ''}`}>
						<select
							id="rule-trigger"
							aria-labelledby="rule-trigger-legend"
							aria-invalid={errors.trigger ? 'true' : undefined}
							aria-describedby={errors.trigger ? 'rule-trigger-error' : undefined}
							value={value.trigger}
							onChange={(e) => set('trigger', e.currentTarget.value)}
						>
							<option value="">Choose what starts the rule…</option>
							{catalog.triggers.map((t) => (
								<option value={t.name}>{t.label || t.summary}</option>
							))}
						</select>
						{errors.trigger && (
							<p class="field-error" id="rule-trigger-error">
								{errors.trigger}
							</p>
						)}
					</div>
					{trig && trig.param && (
						<Field id="rule-params" label={trig.param_label ? `${cap(trig.param)} (${trig.param_label})` : cap(trig.param)} error={errors.params}>
							<input type="number" min="0" step="1" value={value.param} onInput={(e) => set('param', e.currentTarget.value)} />
						</Field>
					)}
				</div>
			</fieldset>

			<fieldset class="rb-part">
				<legend>Only if</legend>
				{!value.conditions.length && <p class="muted">Always: no conditions.</p>}
				<ol class="rb-list">
					{value.conditions.map((c, i) => (
						<Condition key={i} n={i + 1} c={c} fields={fields} ops={ops} env={env} onChange={(x) => setAt('conditions', i, x)} onRemove={() => removeAt('conditions', i)} />
					))}
				</ol>
				{errors.conditions && (
					<p class="field-error" id="rule-conditions-error">
						{errors.conditions}
					</p>
				)}
				<button type="button" onClick={() => set('conditions', [...value.conditions, { field: fields[0] ? fields[0].path : '', op: 'eq', value: '' }])} disabled={value.conditions.length >= 20}>
					Add a condition
				</button>
			</fieldset>

			<fieldset class="rb-part">
				<legend>Then</legend>
				<ol class="rb-list">
					{value.actions.map((a, i) => (
						<Action key={i} n={i + 1} a={a} catalog={catalog} env={env} onChange={(x) => setAt('actions', i, x)} onRemove={() => removeAt('actions', i)} />
					))}
				</ol>
				{errors.actions && (
					<p class="field-error" id="rule-actions-error">
						{errors.actions}
					</p>
				)}
				<button type="button" onClick={() => set('actions', [...value.actions, { type: '' }])} disabled={value.actions.length >= 10}>
					Add an action
				</button>
			</fieldset>
		</div>
	);
}

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function Condition({ n, c, fields, ops, env, onChange, onRemove }) {
	const known = fields.find((f) => f.path === c.field);
	const [other, setOther] = useState(!known && !!c.field);
	const type = known ? known.type : 'text';
	const text = condText(c.op, c.value);
	const setValue = (t) => onChange({ ...c, value: condValue(type, c.op, t) });
	const p = `rb-c${n}`;
	let control;
	if (c.op === 'exists')
		control = (
			<select id={`${p}-value`} aria-label={`Condition ${n}: value`} value={text} onChange={(e) => setValue(e.currentTarget.value)}>
				<option value="true">yes</option>
				<option value="false">no</option>
			</select>
		);
	else if (type === 'stage' && c.op !== 'in')
		control = (
			<select id={`${p}-value`} aria-label={`Condition ${n}: value`} value={text} onChange={(e) => setValue(e.currentTarget.value)}>
				<option value="">Choose a stage…</option>
				{env.stages.map((s) => (
					<option value={s}>{s}</option>
				))}
			</select>
		);
	else
		control = (
			<input
				id={`${p}-value`}
				aria-label={`Condition ${n}: value`}
				type={type === 'number' && c.op !== 'in' ? 'number' : 'text'}
				placeholder={c.op === 'in' ? 'a, b, c' : ''}
				value={text}
				onInput={(e) => setValue(e.currentTarget.value)}
			/>
		);
	return (
		<li class="rb-item" data-condition={n}>
			<select
				aria-label={`Condition ${n}: field`}
				value={other ? OTHER : c.field}
				onChange={(e) => {
					const v = e.currentTarget.value;
					setOther(v === OTHER);
					const f = fields.find((x) => x.path === v);
					onChange({ ...c, field: v, value: condValue(f ? f.type : 'text', c.op, text) });
				}}
			>
				{fields.map((f) => (
					<option value={f.path}>{f.label}</option>
				))}
				<option value={OTHER}>another field…</option>
			</select>
			{other && (
				<input
					type="text"
					aria-label={`Condition ${n}: field path`}
					placeholder="such as contact.custom.region"
					value={c.field}
					onInput={(e) => onChange({ ...c, field: e.currentTarget.value })}
				/>
			)}
			<select
				aria-label={`Condition ${n}: comparison`}
				value={c.op}
				onChange={(e) => {
					const op = e.currentTarget.value;
					onChange({ ...c, op, value: condValue(type, op, op === 'exists' ? 'true' : c.op === 'exists' ? '' : text) });
				}}
			>
				{ops.map((o) => (
					<option value={o.name}>{o.label}</option>
				))}
			</select>
			{control}
			<button type="button" class="link-button" onClick={onRemove}>
				Remove<span class="sr-only"> condition {n}</span>
			</button>
		</li>
	);
}

function Action({ n, a, catalog, env, onChange, onRemove }) {
	const def = catalog.actions.find((x) => x.name === a.type);
	const p = `rb-a${n}`;
	const setField = (k, v) => {
		const x = { ...a };
		if (v === '' || v === undefined) delete x[k];
		else x[k] = v;
		onChange(x);
	};
	return (
		<li class="rb-item rb-action" data-action={n}>
			<div class="rb-row">
				<Field id={`${p}-type`} label={`Action ${n}`} className="rb-grow">
					<select value={a.type} onChange={(e) => onChange({ type: e.currentTarget.value })}>
						<option value="">Choose what to do…</option>
						{catalog.actions.map((x) => (
							<option value={x.name}>{x.label || x.summary}</option>
						))}
					</select>
				</Field>
				<button type="button" class="link-button" onClick={onRemove}>
					Remove<span class="sr-only"> action {n}</span>
				</button>
			</div>
			{def && (
				<div class="rb-fields">
					{(def.fields || []).map((f) => (
						<Field
							id={`${p}-${f.name}`}
							className={f.type === 'mustache' || f.type === 'url' ? 'rb-wide' : undefined}
							label={`${f.label}${f.required ? '' : ' (optional)'}`}
							hint={f.type === 'secret' && a.secret_set ? 'A secret is set: leave empty to keep it.' : f.hint}>
							<ActionInput f={f} v={a[f.name]} env={env} onChange={(v) => setField(f.name, v)} />
						</Field>
					))}
					<Field id={`${p}-delay`} label="Wait first (minutes, optional)" hint="0 or empty: at once.">
						<input
							type="number"
							min="0"
							step="1"
							value={a.delay_minutes ?? ''}
							onInput={(e) => setField('delay_minutes', e.currentTarget.value === '' ? '' : Number(e.currentTarget.value))}
						/>
					</Field>
				</div>
			)}
		</li>
	);
}

// One field's control. Field gives it id and the ARIA attributes (spread in).
function ActionInput({ f, v, env, onChange, ...aria }) {
	const text = (e) => onChange(e.currentTarget.value);
	if (f.type === 'number')
		return <input {...aria} type="number" min="0" step="1" value={v ?? ''} onInput={(e) => onChange(e.currentTarget.value === '' ? '' : Number(e.currentTarget.value))} />;
	if (f.type === 'user')
		return (
			<select {...aria} value={v === undefined ? '' : String(v)} onChange={(e) => onChange(e.currentTarget.value === 'owner' || e.currentTarget.value === '' ? e.currentTarget.value : Number(e.currentTarget.value))}>
				<option value="">the owner (default)</option>
				<option value="owner">the owner: the contact's, else the deal's</option>
				{env.users.map((u) => (
					<option value={String(u.id)}>{u.name}</option>
				))}
			</select>
		);
	if (f.type === 'stage')
		return (
			<select {...aria} value={v ?? ''} onChange={text}>
				<option value="">Choose a stage…</option>
				{env.stages.map((s) => (
					<option value={s}>{s}</option>
				))}
			</select>
		);
	if (f.type === 'template')
		return (
			<select {...aria} value={v === undefined ? '' : String(v)} onChange={(e) => onChange(e.currentTarget.value === '' ? '' : Number(e.currentTarget.value) || e.currentTarget.value)}>
				<option value="">Choose a template…</option>
				{typeof v === 'string' && v && <option value={v}>{v}</option>}
				{env.templates.map((t) => (
					<option value={String(t.id)}>{t.name}</option>
				))}
			</select>
		);
	if (f.type === 'mustache' && f.name === 'body') return <textarea {...aria} rows={3} value={v ?? ''} onInput={text} />;
	return <input {...aria} type={f.type === 'url' ? 'url' : f.type === 'secret' ? 'password' : 'text'} autoComplete="off" value={v ?? ''} onInput={text} />;
}

// A rule in one line of plain words, for the list of rules.
export function describeRule(catalog, r) {
	const t = catalog && catalog.triggers.find((x) => x.name === r.trigger);
	const param = t && t.param && r.params && r.params[t.param] !== undefined ? `, ${r.params[t.param]} ${t.param_label || t.param}` : '';
	const field = (path) => {
		const f = catalog && catalog.condition_fields.find((x) => x.path === path);
		return f ? f.label : path;
	};
	const op = (name) => {
		const o = catalog && catalog.operators.find((x) => x.name === name);
		return o ? o.label : name;
	};
	const cond = (r.conditions || []).map((c) => (c.op === 'exists' ? `${field(c.field)} ${c.value === false ? 'is not set' : 'is set'}` : `${field(c.field)} ${op(c.op)} ${condText(c.op, c.value)}`));
	const act = (r.actions || []).map((a) => {
		const x = catalog && catalog.actions.find((y) => y.name === a.type);
		return x ? x.label : a.type;
	});
	return `When ${t ? t.label : r.trigger}${param}${cond.length ? `, only if ${cond.join(' and ')}` : ''} → ${act.join(', then ')}`;
}
