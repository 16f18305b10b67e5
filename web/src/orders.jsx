// A contact's orders (the card's Orders section) and the order form: item
// rows (name, quantity, price; an item's SKU is kept as it was), currency,
// status, when it was placed and the deal it belongs to, with the total as
// you type. New, edit and delete
// (with a confirm), as docs/api/orders.md allows.
import { useState } from 'preact/hooks';
import { del, get, patch, post } from './api.js';
import { DeleteButton } from './confirm.jsx';
import { RecordPicker } from './picker.jsx';
import { Badge, ErrorBox, Field, FormError, Loading, Submit, useLoad } from './ui.jsx';
import { formatDate, isoToLocal, label, localToIso, money, toast } from './util.js';
import './styles/forms.css';

export const ORDER_STATUSES = ['placed', 'paid', 'shipped', 'delivered', 'cancelled', 'refunded'];

export function Orders({ contactId }) {
	const s = useLoad(() => get('/orders', { contact: contactId, limit: 50 }), [contactId]);
	const [editing, setEditing] = useState(null); /* null, 'new' or an order id */
	const saved = (o, verb) => {
		setEditing(null);
		toast(`Order #${o.id} ${verb}`);
		s.reload();
	};
	const items = (s.data && s.data.items) || [];
	return (
		<section class="card" aria-labelledby="orders-title">
			<div class="card-head">
				<h2 id="orders-title">Orders</h2>
				{editing !== 'new' && (
					<button type="button" onClick={() => setEditing('new')}>
						New order
					</button>
				)}
			</div>
			{editing === 'new' && <OrderForm contactId={contactId} onSaved={(o) => saved(o, 'created')} onCancel={() => setEditing(null)} />}
			{s.error && <ErrorBox error={s.error} retry={s.reload} />}
			{!s.data && !s.error && <Loading what="orders" />}
			{s.data && !items.length && editing !== 'new' && <p class="muted">No orders yet. Add one with New order, or through the API or an import.</p>}
			{items.length > 0 && (
				<ul class="mini-list">
					{items.map((o) =>
						editing === o.id ? (
							<li key={o.id}>
								<OrderForm order={o} contactId={contactId} onSaved={(x) => saved(x, 'saved')} onCancel={() => setEditing(null)} />
							</li>
						) : (
							<li key={o.id} class="order-row" data-order={o.id}>
								<span>
									Order #{o.id} · {formatDate(o.placed_at)}
								</span>
								<span>
									<Badge kind={o.status}>{label(o.status)}</Badge> {money(o.total, o.currency)}
								</span>
								<span class="order-actions">
									<button type="button" class="link-button" aria-label={`Edit order #${o.id}`} onClick={() => setEditing(o.id)}>
										Edit
									</button>
									<DeleteButton
										label={`Delete order #${o.id}`}
										title={`Delete order #${o.id}?`}
										body={`The order (${money(o.total, o.currency)}) and its entry on the timelines go; this cannot be undone.`}
										onDelete={async () => {
											await del(`/orders/${o.id}`);
											toast(`Order #${o.id} deleted`);
											s.reload();
										}}
									/>
								</span>
							</li>
						),
					)}
				</ul>
			)}
		</section>
	);
}

const blankItem = () => ({ name: '', sku: '', qty: '1', price: '' });

// "12.50" -> 1250; null when it is not an amount.
function cents(s) {
	const t = String(s).trim().replace(/[\s,]/g, '');
	if (!/^\d+(\.\d{0,2})?$/.test(t)) return null;
	return Math.round(Number(t) * 100);
}

function quantity(s) {
	const t = String(s).trim();
	return /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 1000000 ? Number(t) : null;
}

// Checks the rows; { items } for the API or { errors: { 'i.field': message } }.
function readItems(rows) {
	const errors = {};
	const items = rows.map((r, i) => {
		const it = { name: r.name.trim(), qty: quantity(r.qty), price: cents(r.price) };
		if (r.sku.trim()) it.sku = r.sku.trim();
		if (!it.name) errors[`${i}.name`] = 'Name the item.';
		if (it.qty === null) errors[`${i}.qty`] = 'The quantity is a whole number from 1.';
		if (it.price === null) errors[`${i}.price`] = 'Enter an amount such as 12.50 (no currency sign).';
		return it;
	});
	return Object.keys(errors).length ? { errors } : { items };
}

export function OrderForm({ order, contactId, onSaved, onCancel }) {
	const [rows, setRows] = useState(
		order ? order.items.map((it) => ({ name: it.name, sku: it.sku || '', qty: String(it.qty), price: (it.price / 100).toFixed(2) })) : [blankItem()],
	);
	const [currency, setCurrency] = useState(order ? order.currency : 'USD');
	const [status, setStatus] = useState(order ? order.status : 'paid');
	const [placed, setPlaced] = useState(order ? isoToLocal(order.placed_at) : '');
	const [deal, setDeal] = useState(order && order.deal_id ? String(order.deal_id) : '');
	const [errors, setErrors] = useState({});
	const [formError, setFormError] = useState(null);
	const [busy, setBusy] = useState(false);
	const key = order ? order.id : 'new';

	const setRow = (i, k) => (e) => {
		const v = e.currentTarget.value;
		setRows((rs) => rs.map((r, j) => (j === i ? { ...r, [k]: v } : r)));
	};
	const total = rows.reduce((t, r) => t + (quantity(r.qty) || 0) * (cents(r.price) || 0), 0);

	const submit = async (e) => {
		e.preventDefault();
		setFormError(null);
		const read = readItems(rows);
		if (read.errors) return setErrors(read.errors);
		setErrors({});
		const body = { items: read.items, currency: currency.trim().toUpperCase() || 'USD', status, deal_id: deal ? Number(deal) : null };
		if (placed) body.placed_at = localToIso(placed);
		if (!order) {
			body.contact_id = Number(contactId);
			if (!body.deal_id) delete body.deal_id;
		}
		setBusy(true);
		try {
			const saved = order ? await patch(`/orders/${order.id}`, body) : await post('/orders', body);
			setBusy(false);
			onSaved(saved);
		} catch (err) {
			setBusy(false);
			if (['currency', 'status', 'placed_at', 'deal_id', 'items', 'total'].includes(err.field)) setErrors({ [err.field]: err.message });
			else setFormError(err);
		}
	};

	const fe = (k) => errors[k] || null;
	return (
		<form class="order-form" onSubmit={submit} noValidate onKeyDown={(e) => e.key === 'Escape' && (e.preventDefault(), onCancel())}>
			<FormError error={formError} />
			<fieldset class="order-items" aria-describedby={fe('items') || fe('total') ? `order-${key}-items-error` : undefined}>
				<legend>Items</legend>
				<div class="order-item order-item-head" aria-hidden="true">
					<span>Item</span>
					<span>Qty</span>
					<span>Price</span>
				</div>
				{rows.map((r, i) => {
					const n = i + 1;
					const rowErrors = ['name', 'qty', 'price'].map((k) => fe(`${i}.${k}`)).filter(Boolean);
					return (
						<div class="order-item">
							<input aria-label={`Item ${n} name`} placeholder="Item" value={r.name} onInput={setRow(i, 'name')} aria-invalid={fe(`${i}.name`) ? 'true' : undefined} />
							<input aria-label={`Item ${n} quantity`} placeholder="Qty" inputMode="numeric" value={r.qty} onInput={setRow(i, 'qty')} aria-invalid={fe(`${i}.qty`) ? 'true' : undefined} />
							<input aria-label={`Item ${n} price`} placeholder="Price" inputMode="decimal" value={r.price} onInput={setRow(i, 'price')} aria-invalid={fe(`${i}.price`) ? 'true' : undefined} />
							<button type="button" class="icon-button" aria-label={`Remove item ${n}`} disabled={rows.length === 1} onClick={() => setRows((rs) => rs.filter((_, j) => j !== i))}>
								×
							</button>
							{rowErrors.length > 0 && <p class="field-error">{rowErrors.join(' ')}</p>}
						</div>
					);
				})}
				{(fe('items') || fe('total')) && (
					<p class="field-error" id={`order-${key}-items-error`}>
						{fe('items') || fe('total')}
					</p>
				)}
				<div>
					<button type="button" onClick={() => setRows((rs) => [...rs, blankItem()])}>
						Add item
					</button>
				</div>
			</fieldset>
			<p class="order-total" aria-live="polite">
				Total {money(total, /^[A-Za-z]{3}$/.test(currency.trim()) ? currency.trim().toUpperCase() : 'USD')}
			</p>
			<div class="order-meta">
				<Field id={`order-${key}-currency`} label="Currency" error={fe('currency')}>
					<input value={currency} maxLength={3} autoComplete="off" onInput={(e) => setCurrency(e.currentTarget.value)} />
				</Field>
				<Field id={`order-${key}-status`} label="Status" error={fe('status')}>
					<select value={status} onChange={(e) => setStatus(e.currentTarget.value)}>
						{ORDER_STATUSES.map((s) => (
							<option value={s}>{label(s)}</option>
						))}
					</select>
				</Field>
				<Field id={`order-${key}-placed`} label="Placed" error={fe('placed_at')} hint={order ? null : 'Empty: now.'}>
					<input type="datetime-local" value={placed} onInput={(e) => setPlaced(e.currentTarget.value)} />
				</Field>
				<Field id={`order-${key}-deal`} label="Deal" error={fe('deal_id')}>
					<RecordPicker table="deals" name="deal_id" value={deal} onChange={setDeal} />
				</Field>
			</div>
			<div class="form-actions">
				<Submit busy={busy}>{order ? 'Save order' : 'Create order'}</Submit>
				<button type="button" onClick={onCancel} disabled={busy}>
					Cancel
				</button>
			</div>
		</form>
	);
}
