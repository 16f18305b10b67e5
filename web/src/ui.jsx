// Shared pieces of every screen: form fields with their errors, loading,
// empty and error states, dialogs, tabs, toasts and the progress bar.
import { cloneElement } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { onBusy } from './api.js';
import { dismissToast, errorText, toasts } from './util.js';

// Runs load() now and whenever deps change; keeps the last data while reloading.
export function useLoad(load, deps) {
	const [state, setState] = useState({ data: null, error: null, loading: true });
	const seq = useRef(0);
	const run = useCallback(() => {
		const n = ++seq.current;
		setState((s) => ({ ...s, loading: true, error: null }));
		load().then(
			(data) => n === seq.current && setState({ data, error: null, loading: false }),
			(error) => n === seq.current && setState((s) => ({ ...s, error, loading: false })),
		);
	}, deps);
	useEffect(run, [run]);
	const setData = (fn) => setState((s) => ({ ...s, data: typeof fn === 'function' ? fn(s.data) : fn }));
	return { ...state, reload: run, setData };
}

// A label, one control (the child) and the error or hint under it; the
// control gets id, aria-invalid and aria-describedby.
export function Field({ id, label, error, hint, children, className }) {
	const described = error ? `${id}-error` : hint ? `${id}-hint` : undefined;
	return (
		<div class={`field${error ? ' field-invalid' : ''}${className ? ` ${className}` : ''}`}>
			<label for={id}>{label}</label>
			{cloneElement(children, { id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described })}
			{error ? (
				<p class="field-error" id={`${id}-error`}>
					{error}
				</p>
			) : hint ? (
				<p class="field-hint" id={`${id}-hint`}>
					{hint}
				</p>
			) : null}
		</div>
	);
}

export function FormError({ error }) {
	if (!error) return null;
	return (
		<p class="form-error" role="alert">
			{errorText(error)}
		</p>
	);
}

export function Loading({ what }) {
	return (
		<p class="loading" role="status" aria-live="polite">
			<span class="spinner" aria-hidden="true" />
			Loading {what}…
		</p>
	);
}

export function ErrorBox({ error, retry }) {
	return (
		<div class="error-box" role="alert">
			<p>{errorText(error)}</p>
			{retry && (
				<button type="button" onClick={retry}>
					Try again
				</button>
			)}
		</div>
	);
}

export function Empty({ title, children }) {
	return (
		<div class="empty">
			<p class="empty-title">{title}</p>
			{children && <div class="empty-body">{children}</div>}
		</div>
	);
}

export function Badge({ children, kind }) {
	return <span class={`badge badge-${kind || 'plain'}`}>{children}</span>;
}

// A modal dialog (the native <dialog>): Escape and the close button close it.
export function Modal({ title, onClose, children }) {
	const ref = useRef(null);
	useEffect(() => {
		const d = ref.current;
		if (d && !d.open) d.showModal();
		return () => d && d.open && d.close();
	}, []);
	return (
		<dialog ref={ref} class="modal" aria-labelledby="modal-title" onClose={onClose}>
			<div class="modal-head">
				<h2 id="modal-title">{title}</h2>
				<button type="button" class="icon-button" aria-label="Close" onClick={() => ref.current.close()}>
					×
				</button>
			</div>
			{children}
		</dialog>
	);
}

// tabs: [{ id, label }]; value: the selected id.
// idBase (optional) names the tabs (idBase-tab-ID) and the one panel they
// control (idBase-panel), for a role="tabpanel" labelled by the selected tab.
export function Tabs({ tabs, value, onChange, label, idBase, class: cls }) {
	const keydown = (e, i) => {
		const d = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
		if (!d) return;
		const next = tabs[(i + d + tabs.length) % tabs.length];
		onChange(next.id);
		e.currentTarget.parentNode.querySelector(`[data-tab="${next.id}"]`)?.focus();
	};
	return (
		<div class={cls ? `tabs ${cls}` : 'tabs'} role="tablist" aria-label={label}>
			{tabs.map((t, i) => (
				<button
					type="button"
					role="tab"
					data-tab={t.id}
					id={idBase ? `${idBase}-tab-${t.id}` : undefined}
					aria-controls={idBase ? `${idBase}-panel` : undefined}
					aria-selected={value === t.id ? 'true' : 'false'}
					tabIndex={value === t.id ? 0 : -1}
					onClick={() => onChange(t.id)}
					onKeyDown={(e) => keydown(e, i)}
				>
					{t.label}
				</button>
			))}
		</div>
	);
}

export function Toasts() {
	const list = toasts.use();
	return (
		<div class="toasts">
			<div role="status" aria-live="polite">
				{list
					.filter((t) => t.kind !== 'error')
					.map((t) => (
						<Toast key={t.id} t={t} />
					))}
			</div>
			<div role="alert" aria-live="assertive">
				{list
					.filter((t) => t.kind === 'error')
					.map((t) => (
						<Toast key={t.id} t={t} />
					))}
			</div>
		</div>
	);
}

function Toast({ t }) {
	return (
		<div class={`toast toast-${t.kind}`}>
			<span>{t.message}</span>
			{t.action && (
				<button
					type="button"
					class="link-button"
					onClick={() => {
						dismissToast(t.id);
						t.action.run();
					}}
				>
					{t.action.label}
				</button>
			)}
			<button type="button" class="icon-button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
				×
			</button>
		</div>
	);
}

// A thin bar at the top while any request has taken more than 150 ms.
export function ProgressBar() {
	const [shown, setShown] = useState(false);
	useEffect(() => {
		let timer = null;
		return onBusy((n) => {
			clearTimeout(timer);
			if (n > 0) timer = setTimeout(() => setShown(true), 150);
			else setShown(false);
		});
	}, []);
	return <div class={`progress${shown ? ' progress-on' : ''}`} aria-hidden="true" />;
}

// A button that shows its pending label while busy and ignores clicks then.
export function Submit({ busy, children, busyText, ...props }) {
	return (
		<button type="submit" class="primary" disabled={busy} aria-busy={busy ? 'true' : undefined} {...props}>
			{busy ? busyText || 'Saving…' : children}
		</button>
	);
}
