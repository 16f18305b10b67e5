// One form for creating and editing contacts, companies and deals, driven by
// a list of field specs. The server validates; its error lands next to the
// field it names (error.field) and the draft stays as typed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { patch, post } from './api.js';
import { RecordPicker } from './picker.jsx';
import { Field, FormError, Submit } from './ui.jsx';
import { label, rememberRecord, splitList, useUsers } from './util.js';

export const contactStages = ['lead', 'prospect', 'customer', 'churned'];

export const contactFields = [
	{ name: 'first_name', label: 'First name' },
	{ name: 'last_name', label: 'Last name' },
	{ name: 'emails', label: 'Email addresses', type: 'list', hint: 'Separate several with commas.' },
	{ name: 'phones', label: 'Phone numbers', type: 'list', hint: 'Separate several with commas.' },
	{ name: 'company_id', label: 'Company', type: 'ref', table: 'companies', creatable: true },
	{ name: 'stage', label: 'Stage', type: 'select', options: contactStages },
	{ name: 'owner_id', label: 'Owner', type: 'user' },
	{ name: 'tags', label: 'Tags', type: 'list', hint: 'Separate several with commas.' },
];

export const companyFields = [
	{ name: 'name', label: 'Name' },
	{ name: 'domains', label: 'Mail domains', type: 'list', hint: 'Mail from these domains is linked to the company.' },
	{ name: 'owner_id', label: 'Owner', type: 'user' },
	{ name: 'notes', label: 'Notes', type: 'textarea' },
];

export function dealFields(pipeline) {
	return [
		{ name: 'title', label: 'Title' },
		{ name: 'amount', label: 'Amount', type: 'money' },
		{ name: 'currency', label: 'Currency', hint: 'Three letters, such as USD or EUR.' },
		{ name: 'stage', label: 'Stage', type: 'select', options: pipeline },
		{ name: 'contact_id', label: 'Contact', type: 'ref', table: 'contacts', creatable: true },
		{ name: 'company_id', label: 'Company', type: 'ref', table: 'companies', creatable: true },
		{ name: 'owner_id', label: 'Owner', type: 'user' },
		{ name: 'expected_close', label: 'Expected close', type: 'date' },
	];
}

function toDraft(f, v) {
	if (v === null || v === undefined) return '';
	switch (f.type) {
		case 'list':
			return v.join(', ');
		case 'money':
			return (v / 100).toFixed(2);
		case 'ref':
		case 'user':
			return String(v);
		default:
			return String(v);
	}
}

// The draft string of field f as the API value; throws { field, message }.
function fromDraft(f, s) {
	const t = s.trim();
	switch (f.type) {
		case 'list':
			return splitList(t);
		case 'money': {
			if (!t) return 0;
			const n = Number(t.replace(/[\s,]/g, ''));
			if (!Number.isFinite(n) || n < 0)
				throw { field: f.name, message: 'Enter an amount such as 1200.50 (no currency sign).' };
			return Math.round(n * 100);
		}
		case 'ref':
		case 'user':
			return t ? Number(t) : null;
		default:
			return t === '' ? null : t;
	}
}

export function RecordForm({ table, fields, record, defaults, onSaved, onCancel, submitLabel }) {
	const initial = {};
	for (const f of fields) initial[f.name] = toDraft(f, record ? record[f.name] : defaults && defaults[f.name]);
	// A new record's select starts at its first choice (the API's default), never blank.
	if (!record) for (const f of fields) if (f.type === 'select' && !initial[f.name] && f.options && f.options.length) initial[f.name] = f.options[0];
	const [draft, setDraft] = useState(initial);
	const [errors, setErrors] = useState({});
	const [formError, setFormError] = useState(null);
	const [busy, setBusy] = useState(false);
	const formRef = useRef(null);
	const baseline = useRef(initial);

	useEffect(() => {
		formRef.current?.querySelector('input, select, textarea')?.focus();
	}, []);

	const focusField = (name) => formRef.current?.querySelector(`#f-${table}-${name}`)?.focus();

	const submit = async (e) => {
		e.preventDefault();
		const body = {};
		setErrors({});
		setFormError(null);
		try {
			for (const f of fields) {
				const changed = draft[f.name] !== baseline.current[f.name];
				if (record && !changed) continue;
				const v = fromDraft(f, draft[f.name]);
				if (!record && (v === null || (Array.isArray(v) && !v.length))) continue;
				body[f.name] = v;
			}
		} catch (err) {
			setErrors({ [err.field]: err.message });
			focusField(err.field);
			return;
		}
		if (record && !Object.keys(body).length) return onSaved(record);
		setBusy(true);
		try {
			const saved = record ? await patch(`/${table}/${record.id}`, body) : await post(`/${table}`, body);
			rememberRecord(table, saved);
			setBusy(false);
			onSaved(saved);
		} catch (err) {
			setBusy(false);
			if (err.field && fields.some((f) => f.name === err.field)) {
				setErrors({ [err.field]: err.message });
				focusField(err.field);
			} else {
				setFormError(err);
			}
		}
	};

	return (
		<form class="record-form" ref={formRef} onSubmit={submit} noValidate
			onKeyDown={(e) => e.key === 'Escape' && onCancel && (e.preventDefault(), onCancel())}>
			<FormError error={formError} />
			<div class="form-grid">
				{fields.map((f) => (
					<FieldInput
						key={f.name}
						table={table}
						f={f}
						value={draft[f.name]}
						error={errors[f.name]}
						onInput={(v) => setDraft((d) => ({ ...d, [f.name]: v }))}
					/>
				))}
			</div>
			<div class="form-actions">
				<Submit busy={busy}>{submitLabel || 'Save'}</Submit>
				{onCancel && (
					<button type="button" onClick={onCancel} disabled={busy}>
						Cancel
					</button>
				)}
			</div>
		</form>
	);
}

function FieldInput({ table, f, value, error, onInput }) {
	const id = `f-${table}-${f.name}`;
	const users = useUsers();
	const input = (e) => onInput(e.currentTarget.value);
	let control;
	switch (f.type) {
		case 'textarea':
			control = <textarea name={f.name} rows={4} value={value} onInput={input} />;
			break;
		case 'select':
			control = (
				<select name={f.name} value={value} onChange={input}>
					{(f.options || []).map((o) => (
						<option value={o}>{label(o)}</option>
					))}
				</select>
			);
			break;
		case 'user':
			control = (
				<select name={f.name} value={value} onChange={input}>
					<option value="">Nobody</option>
					{users.map((u) => (
						<option value={String(u.id)}>{u.name}</option>
					))}
				</select>
			);
			break;
		case 'ref':
			control = <RecordPicker table={f.table} name={f.name} value={value} creatable={f.creatable} onChange={onInput} />;
			break;
		case 'money':
			control = <input name={f.name} inputMode="decimal" autoComplete="off" value={value} onInput={input} />;
			break;
		case 'date':
			control = <input name={f.name} type="date" value={value} onInput={input} />;
			break;
		default:
			control = <input name={f.name} type="text" autoComplete="off" value={value} onInput={input} />;
	}
	return (
		<Field id={id} label={f.label} error={error} hint={f.hint} className={f.type === 'textarea' ? 'field-wide' : ''}>
			{control}
		</Field>
	);
}
