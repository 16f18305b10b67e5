// The record forms as a person uses them (issue 12: defect 12 and the forms
// of "Deliver 6"). Run by tests/integration/test_ui_forms.sh, which starts
// parley and the mail servers and makes the records in $SEED.
import { done, expect, heading, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const api = async (path) => {
	const r = await page.request.get(URL_ + '/api/v1' + path);
	return { status: r.status(), body: r.status() === 200 ? await r.json() : null };
};
const toast = (text) => page.locator('.toast').filter({ hasText: text });
const combo = (name) => page.getByRole('combobox', { name, exact: true });
// Types into a picker and chooses the option named `option` with the keyboard.
async function pick(name, typed, option) {
	const box = combo(name);
	await box.fill(typed);
	const opt = page.getByRole('option', { name: option });
	await opt.waitFor();
	for (let i = 0; i < 10 && (await opt.getAttribute('aria-selected')) !== 'true'; i++) await box.press('ArrowDown');
	expect((await opt.getAttribute('aria-selected')) === 'true', `could not reach “${option}” with the arrow keys`);
	await box.press('Enter');
	await page.getByRole('listbox').waitFor({ state: 'detached' });
}

await step('login', () => login(page));

// ---- defect 12: the New contact form's defaults ----
await step('new_contact_stage_and_owner_default', async () => {
	await page.goto(URL_ + '/contacts/new');
	await heading(page, 'New contact').waitFor();
	const stage = page.getByLabel('Stage');
	const shown = await stage.evaluate((s) => ({ value: s.value, index: s.selectedIndex }));
	expect(shown.value === 'lead' && shown.index === 0, `stage starts as ${JSON.stringify(shown)}, not Lead`);
	const owner = await page.getByLabel('Owner').inputValue();
	expect(owner === String(SEED.me), `owner starts as “${owner}”, not me (${SEED.me})`);
	await shot(page, 'new-contact-defaults');
});

// ---- defect 12: the New task form has assignee, contact and deal ----
await step('new_task_assignee_contact_deal', async () => {
	await page.goto(URL_ + '/tasks');
	await heading(page, 'Tasks').waitFor();
	await page.getByRole('button', { name: 'New task' }).click();
	const assignee = page.getByLabel('Assignee');
	await assignee.locator(`option[value="${SEED.me}"]`).waitFor({ state: 'attached' });
	expect((await assignee.inputValue()) === String(SEED.me), 'the assignee is not me by default');
	await page.getByLabel('Task', { exact: true }).fill('Prepare the Starter pack demo');
	await pick('Contact', 'grace', 'Grace Hopper');
	await pick('Deal', 'starter', 'Starter pack');
	await shot(page, 'new-task-form');
	await page.getByRole('button', { name: 'Add task' }).click();
	const row = page.locator('.task').filter({ hasText: 'Prepare the Starter pack demo' });
	await row.waitFor();
	const id = await row.getAttribute('data-task');
	const t = (await api(`/tasks/${id}`)).body;
	expect(t.assignee_id === SEED.me && t.contact_id === SEED.grace && t.deal_id === SEED.small, `stored ${JSON.stringify(t)}`);
});

// ---- defect 12: the attachment icon is an SVG, not an emoji ----
await step('attachment_icon_is_svg', async () => {
	await page.goto(URL_ + '/inbox');
	const row = page.locator('.thread-item').filter({ hasText: 'Contract draft' });
	await row.waitFor();
	const clip = row.locator('.clip');
	expect((await clip.locator('svg').count()) === 1, 'no SVG icon in the inbox row');
	expect(!/\u{1F4CE}/u.test(await clip.textContent()), 'the inbox row still shows the paperclip emoji');
	await page.goto(URL_ + `/mail/threads/${SEED.contract_thread}`);
	const att = page.getByRole('list', { name: 'Attachments' }).getByRole('link', { name: /contract\.txt/ });
	await att.waitFor();
	expect((await att.locator('svg').count()) === 1, 'no SVG icon on the attachment link');
	const text = await page.locator('main').textContent();
	expect(!/\u{1F4CE}/u.test(text), 'the conversation still shows the paperclip emoji');
	await shot(page, 'attachment-icon');
});

// ---- pickers: type to filter, keyboard, create new ----
await step('company_picker_filters_and_keyboard', async () => {
	await page.goto(URL_ + '/contacts/new');
	await heading(page, 'New contact').waitFor();
	await page.getByLabel('First name').fill('Margaret');
	await page.getByLabel('Last name').fill('Hamilton');
	const box = combo('Company');
	await box.fill('glo');
	await page.getByRole('option', { name: 'Globex' }).waitFor();
	expect((await page.getByRole('option', { name: 'Acme Robotics' }).count()) === 0, 'Acme is offered for “glo”');
	await shot(page, 'company-picker');
	await box.press('Escape');
	await page.getByRole('listbox').waitFor({ state: 'detached' });
	expect(new URL(page.url()).pathname === '/contacts/new', 'Escape in the picker left the form');
	await box.fill('robotics acme');
	await page.getByRole('option', { name: 'Acme Robotics' }).waitFor();
	await box.fill('Acme Robotics');
	await page.getByRole('option', { name: 'Acme Robotics' }).waitFor();
	await page.waitForTimeout(400);
	expect((await page.getByRole('option', { name: /^Create company/ }).count()) === 0, 'offers to create a company that exists');
	await pick('Company', 'glo', 'Globex');
	expect((await box.inputValue()) === 'Globex', `the box shows “${await box.inputValue()}”`);
	await page.getByRole('button', { name: 'Create contact' }).click();
	await heading(page, /Margaret Hamilton/).waitFor();
	await page.locator('.details').getByRole('link', { name: 'Globex' }).waitFor();
});

await step('picker_create_new_inline', async () => {
	await page.goto(URL_ + '/deals/new');
	await heading(page, 'New deal').waitFor();
	await page.getByLabel('Title').fill('Initech rollout');
	await pick('Company', 'Initech', 'Create company “Initech”');
	expect((await combo('Company').inputValue()) === 'Initech', 'the new company is not chosen');
	const found = (await api('/companies?q=Initech')).body.items;
	expect(found.length === 1 && found[0].name === 'Initech', `companies named Initech: ${JSON.stringify(found)}`);
	await pick('Contact', 'Peter Gibbons', 'Create contact “Peter Gibbons”');
	const people = (await api('/contacts?q=Gibbons')).body.items;
	expect(people.length === 1 && people[0].first_name === 'Peter' && people[0].last_name === 'Gibbons', `contacts: ${JSON.stringify(people)}`);
	await page.getByRole('button', { name: 'Create deal' }).click();
	await heading(page, /Initech rollout/).waitFor();
	await page.locator('.details').getByRole('link', { name: 'Initech' }).waitFor();
	await page.locator('.details').getByRole('link', { name: 'Peter Gibbons' }).waitFor();
	await shot(page, 'deal-created-with-new-records');
});

await step('picker_clear_on_edit', async () => {
	await page.getByRole('button', { name: 'Edit this deal' }).click();
	await combo('Contact').fill('');
	await page.getByRole('button', { name: 'Save' }).click();
	await page.locator('.toast').filter({ hasText: 'Deal saved' }).waitFor();
	const id = new URL(page.url()).pathname.split('/').pop();
	const d = (await api(`/deals/${id}`)).body;
	expect(d.contact_id === null && d.company_id !== null, `after clearing: ${JSON.stringify(d)}`);
});

// ---- the contact card: New deal, Send email ----
await step('contact_card_new_deal', async () => {
	await page.goto(URL_ + `/contacts/${SEED.ada}`);
	await heading(page, /Ada Lovelace/).waitFor();
	await page.getByRole('link', { name: 'New deal' }).click();
	await heading(page, 'New deal').waitFor();
	const filled = (name, value) =>
		page.waitForFunction(([n, v]) => document.querySelector(`input[name="${n}"]`)?.value === v, [name, value], { timeout: 5000 });
	await filled('contact_id', 'Ada Lovelace');
	await filled('company_id', 'Acme Robotics');
	await page.getByLabel('Title').fill('Ada analytical engine');
	await page.getByRole('button', { name: 'Create deal' }).click();
	await heading(page, /Ada analytical engine/).waitFor();
	await page.goto(URL_ + `/contacts/${SEED.ada}`);
	await page.getByRole('region', { name: 'Deals' }).getByRole('link', { name: 'Ada analytical engine' }).waitFor();
});

await step('contact_card_send_email_opens_compose', async () => {
	expect((await page.locator('a[href^="mailto:"]').count()) === 0, 'the card still has mailto: links');
	await page.getByRole('link', { name: 'ada@acme.test' }).click();
	const dialog = page.getByRole('dialog', { name: 'New message' });
	await dialog.waitFor();
	expect((await dialog.getByLabel('To', { exact: true }).inputValue()).includes('ada@acme.test'), 'To is not the address');
	await shot(page, 'contact-compose');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached' });
	await page.getByRole('button', { name: 'Send email' }).click();
	await dialog.waitFor();
	expect((await dialog.getByLabel('To', { exact: true }).inputValue()).includes('ada@acme.test'), 'Send email: To is not the address');
	await dialog.getByLabel('Subject').fill('Hello from the card');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached' });
});

// ---- orders ----
await step('order_form_create', async () => {
	const orders = page.getByRole('region', { name: 'Orders' });
	await orders.getByRole('button', { name: 'New order' }).click();
	const form = orders.locator('form');
	await form.getByLabel('Item 1 name').fill('Widget');
	await form.getByLabel('Item 1 quantity').fill('3');
	await form.getByLabel('Item 1 price').fill('12.50');
	await form.getByRole('button', { name: 'Add item' }).click();
	await form.getByLabel('Item 2 name').fill('Gadget');
	await form.getByLabel('Item 2 price').fill('abc');
	await form.getByRole('button', { name: 'Create order' }).click();
	await form.locator('.field-error').filter({ hasText: 'amount' }).waitFor();
	await form.getByLabel('Item 2 price').fill('5');
	await form.getByLabel('Currency').fill('EUR');
	await shot(page, 'order-form');
	await form.getByRole('button', { name: 'Create order' }).click();
	await orders.locator('li').filter({ hasText: '42.50' }).waitFor();
	const list = (await api(`/orders?contact=${SEED.ada}`)).body.items;
	expect(list.length === 1 && list[0].total === 4250 && list[0].currency === 'EUR' && list[0].items.length === 2, JSON.stringify(list));
});

await step('order_form_edit', async () => {
	const orders = page.getByRole('region', { name: 'Orders' });
	const id = (await api(`/orders?contact=${SEED.ada}`)).body.items[0].id;
	await orders.getByRole('button', { name: `Edit order #${id}` }).click();
	await orders.getByLabel('Status').selectOption('shipped');
	await orders.getByLabel('Item 1 quantity').fill('4');
	await orders.getByRole('button', { name: 'Save order' }).click();
	await orders.locator(`li.order-row[data-order="${id}"]`).filter({ hasText: 'Shipped' }).waitFor();
	const o = (await api(`/orders/${id}`)).body;
	expect(o.status === 'shipped' && o.total === 5500, JSON.stringify(o));
});

await step('order_delete_with_confirm', async () => {
	const orders = page.getByRole('region', { name: 'Orders' });
	const id = (await api(`/orders?contact=${SEED.ada}`)).body.items[0].id;
	await orders.getByRole('button', { name: `Delete order #${id}` }).click();
	const dialog = page.getByRole('dialog', { name: `Delete order #${id}?` });
	await dialog.waitFor();
	await shot(page, 'confirm-delete');
	await dialog.getByRole('button', { name: 'Cancel' }).click();
	await dialog.waitFor({ state: 'detached' });
	expect((await api(`/orders/${id}`)).status === 200, 'Cancel deleted the order');
	await orders.getByRole('button', { name: `Delete order #${id}` }).click();
	await dialog.getByRole('button', { name: 'Delete' }).click();
	await orders.getByText('No orders yet').waitFor();
	expect((await api(`/orders/${id}`)).status === 404, 'the order still exists');
});

// ---- delete records ----
await step('delete_deal_company_contact', async () => {
	for (const [path, name, list] of [
		[`/deals/${SEED.doomed}`, 'deal', '/deals'],
		[`/companies/${SEED.dissolved}`, 'company', '/companies'],
		[`/contacts/${SEED.linus}`, 'contact', '/contacts'],
	]) {
		await page.goto(URL_ + path);
		await page.getByRole('button', { name: `Delete this ${name}` }).click();
		const dialog = page.getByRole('dialog', { name: new RegExp(`^Delete`) });
		await dialog.waitFor();
		await dialog.getByRole('button', { name: 'Delete' }).click();
		await page.waitForURL((u) => u.pathname === list);
		expect((await api(path)).status === 404, `${path} still exists`);
	}
});

// ---- undo: a stage move, an archive ----
await step('deal_stage_move_undo', async () => {
	await page.goto(URL_ + '/deals');
	await heading(page, 'Deals').waitFor();
	await page.getByLabel('Stage of Starter pack').selectOption('qualified');
	const t = toast('moved to Qualified');
	await t.waitFor();
	expect((await api(`/deals/${SEED.small}`)).body.stage === 'qualified', 'the move did not reach the server');
	await t.getByRole('button', { name: 'Undo' }).click();
	await page.waitForFunction((id) => document.querySelector(`[data-deal="${id}"]`)?.closest('[data-stage]')?.dataset.stage === 'new', SEED.small);
	expect((await api(`/deals/${SEED.small}`)).body.stage === 'new', 'undo did not reach the server');
});

await step('deal_card_stage_undo', async () => {
	await page.goto(URL_ + `/deals/${SEED.small}`);
	await page.locator('#deal-stage-select').selectOption('proposal');
	const t = toast('Moved to Proposal');
	await t.waitFor();
	await t.getByRole('button', { name: 'Undo' }).click();
	await page.waitForFunction(() => document.querySelector('#deal-stage-select')?.value === 'new');
	expect((await api(`/deals/${SEED.small}`)).body.stage === 'new', 'undo did not reach the server');
});

await step('archive_undo', async () => {
	await page.goto(URL_ + `/mail/threads/${SEED.archive_thread}`);
	await heading(page, 'Lunch on Friday').waitFor();
	const before = (await api(`/mail/threads/${SEED.archive_thread}`)).body.messages[0].folder;
	expect(before === 'INBOX', `the message is in ${before}`);
	await page.getByRole('button', { name: 'Archive' }).click();
	const t = toast('Archive');
	await t.waitFor();
	await t.getByRole('button', { name: 'Undo' }).click();
	await toast('back').waitFor();
	// Back in INBOX, and staying there for 12 s (longer than a sync's wait):
	// at once when the move was still queued; after the mail server's round
	// trip when the sync had already moved it.
	let after = null;
	let since = Date.now();
	for (let i = 0; i < 120 && Date.now() - since < 12000; i++) {
		await page.waitForTimeout(500);
		const now = (await api(`/mail/threads/${SEED.archive_thread}`)).body.messages[0].folder;
		if (now !== 'INBOX' || after !== 'INBOX') since = Date.now();
		after = now;
	}
	expect(after === 'INBOX' && Date.now() - since >= 12000, `after the undo the message is in ${after}`);
	await page.goto(URL_ + '/inbox');
	await page.locator('.thread-item').filter({ hasText: 'Lunch on Friday' }).waitFor();
}, 70000);

await done();
