// The admin screens as a person uses them: the notifications bell (live,
// over the event stream), templates, automation, Settings → Mail accounts
// against a real dovecot and the CSV import. Run by
// tests/integration/test_ui_admin.sh, which starts parley and the mail
// servers and passes $SEED, $ADMIN_TOKEN, $B_TOKEN, $IMAP_PORT, $SUBMISSION_PORT.
import { done, expect, heading, login, openBrowser, OUT, SEED, shot, step, URL_ } from './harness.mjs';
import { join } from 'node:path';

const page = await openBrowser();
const nav = (name) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true }).click();

async function api(token, method, path, body) {
	const res = await fetch(`${URL_}/api/v1${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}

await step('login', () => login(page));

// ---- the bell ----
await step('bell_empty', async () => {
	await page.getByRole('button', { name: 'Notifications', exact: true }).click();
	await page.getByRole('region', { name: 'Notifications' }).getByText('Nothing yet').waitFor();
	await page.keyboard.press('Escape');
});

let taskId = null;
await step(
	'bell_live_notification',
	async () => {
		// Another user assigns a task while the page is open: the scheduler
		// writes the notification, the stream brings it within seconds.
		const r = await api(process.env.B_TOKEN, 'POST', '/tasks', { title: 'Prepare the demo', assignee_id: SEED.me });
		expect(r.status === 201, `task: ${r.status} ${JSON.stringify(r.body)}`);
		taskId = r.body.id;
		await page.getByRole('button', { name: 'Notifications, 1 unread' }).waitFor({ timeout: 20000 });
		await page.getByRole('button', { name: 'Notifications, 1 unread' }).click();
		await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: /^Unread: Task for you: Prepare the demo/ }).waitFor();
		await shot(page, 'bell');
	},
	30000,
);

await step('bell_click_marks_read_and_navigates', async () => {
	await page.getByRole('region', { name: 'Notifications' }).getByRole('button', { name: /^Unread: Task for you: Prepare the demo/ }).click();
	await heading(page, 'Tasks').waitFor();
	expect(new URL(page.url()).pathname === `/tasks/${taskId}`, `at ${page.url()}`);
	await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
	const r = await api(process.env.ADMIN_TOKEN, 'GET', '/notifications?unread=1');
	expect(r.body.items.length === 0, `still unread: ${JSON.stringify(r.body.items)}`);
});

await step(
	'bell_mark_read_button',
	async () => {
		const r = await api(process.env.B_TOKEN, 'POST', '/tasks', { title: 'Second task', assignee_id: SEED.me });
		expect(r.status === 201, `task: ${r.status}`);
		await page.getByRole('button', { name: 'Notifications, 1 unread' }).click({ timeout: 20000 });
		await page.getByRole('button', { name: 'Mark “Task for you: Second task” read' }).click();
		await page.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
		await page.keyboard.press('Escape');
	},
	30000,
);

// ---- templates ----
await step('templates_empty', async () => {
	await nav('Templates');
	await heading(page, 'Templates').waitFor();
	await page.getByText('No templates yet.').waitFor();
});

await step('template_lint_error_next_to_editor', async () => {
	await page.getByRole('link', { name: 'New template' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Welcome note');
	await page.getByLabel('Subject').fill('Hello {{contact.first_name}}');
	await page.getByLabel('Body').fill('Dear {{contact.first_name|there}},\n\n{{#contact.tags}}unclosed');
	const err = page.locator('.lint-error');
	await err.waitFor();
	const t = await err.innerText();
	expect(/unclosed section/.test(t) && /line 3, column \d+/.test(t), `lint says: ${t}`);
	await shot(page, 'templates-lint');
});

await step('template_preview_for_contact', async () => {
	await page.getByLabel('Body').fill('Dear {{contact.first_name|there}},\n\nwelcome to **Parley**. {{contact.nickname}}');
	await page.getByLabel('Preview for contact').fill('Ada');
	await page.getByRole('list', { name: 'Matching contacts' }).getByRole('button', { name: /Ada Lovelace/ }).click();
	await page.locator('.preview-body').getByText('Dear Ada,').waitFor();
	await page.locator('.preview-subject').getByText('Hello Ada').waitFor();
	await page.locator('.lint-missing').getByText('contact.nickname').waitFor();
});

await step('template_create_and_version', async () => {
	await page.getByLabel('Body').fill('Dear {{contact.first_name|there}},\n\nwelcome to **Parley**.');
	await page.getByRole('button', { name: 'Create template' }).click();
	await page.getByRole('heading', { name: 'Welcome note' }).waitFor();
	expect(/\/templates\/\d+$/.test(page.url()), `at ${page.url()}`);
	await page.getByLabel('Subject').fill('Hello {{contact.first_name}}, welcome');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.getByText('Version 2 (current)').waitFor();
	await page.locator('.preview-subject').getByText('Hello Ada, welcome').waitFor();
	await page.locator('.preview-body').getByText('Dear Ada,').waitFor();
	await shot(page, 'templates');
});

await step('template_save_error_keeps_text', async () => {
	await page.getByLabel('Body').fill('Broken {{/nothing}}');
	await page.getByRole('button', { name: 'Save', exact: true }).click();
	await page.locator('#tpl-body-error').waitFor();
	expect((await page.getByLabel('Body').inputValue()) === 'Broken {{/nothing}}', 'the text was lost');
	await page.getByRole('button', { name: 'Discard changes' }).click();
});

await step('template_delete', async () => {
	const r = await api(process.env.ADMIN_TOKEN, 'POST', '/templates', { name: 'Scratch', subject: 'x', body: 'y', format: 'markdown' });
	expect(r.status === 201, `template: ${r.status}`);
	await page.goto(`${URL_}/templates/${r.body.id}`);
	await page.getByRole('heading', { name: 'Scratch' }).waitFor();
	await page.getByRole('button', { name: 'Delete', exact: true }).click();
	await page.getByRole('group', { name: 'Confirm deletion' }).getByRole('button', { name: 'Yes, delete' }).click();
	await page.getByText('Deleted “Scratch”').waitFor();
	expect(/\/templates$/.test(page.url()), `at ${page.url()}`);
	expect((await page.getByRole('navigation', { name: 'Templates' }).getByRole('link', { name: 'Scratch' }).count()) === 0, 'still listed');
	const g = await api(process.env.ADMIN_TOKEN, 'GET', `/templates/${r.body.id}`);
	expect(g.status === 404, `API after delete: ${g.status}`);
});

// ---- automation ----
await step('automation_scenario_switch', async () => {
	await nav('Automation');
	await heading(page, 'Automation').waitFor();
	const sw = page.locator('[data-scenario="thank_you"]').getByRole('switch');
	expect(!(await sw.isChecked()), 'already on');
	await sw.check({ force: true });
	await page.getByText('Thank-you mail after a purchase: on').waitFor();
	expect(await sw.isChecked(), 'not on');
	const r = await api(process.env.ADMIN_TOKEN, 'GET', '/rules/scenarios');
	const sc = r.body.items.find((x) => x.key === 'thank_you');
	expect(sc.enabled && sc.rule_id, `API: ${JSON.stringify(sc)}`);
	await page.locator(`[data-rule="${sc.rule_id}"]`).getByRole('switch', { checked: true }).waitFor();
});

await step('automation_rule_disable_enable', async () => {
	const sw = page.getByRole('switch', { name: /^Tag new contacts/ });
	await sw.uncheck({ force: true });
	await page.waitForFunction(async (id) => {
		const r = await fetch(`/api/v1/rules/${id}`);
		return r.ok && (await r.json()).enabled === false;
	}, SEED.rule);
	await sw.check({ force: true });
	await page.waitForFunction(async (id) => {
		const r = await fetch(`/api/v1/rules/${id}`);
		return r.ok && (await r.json()).enabled === true;
	}, SEED.rule);
});

await step('automation_run_log', async () => {
	await page.getByRole('button', { name: 'Run log of Tag new contacts' }).click();
	const d = page.getByRole('dialog', { name: 'Run log: Tag new contacts' });
	await d.getByRole('cell', { name: 'fired' }).first().waitFor();
	await d.getByRole('cell', { name: /Add tag/ }).first().waitFor();
	await shot(page, 'automation');
	await d.getByRole('button', { name: 'Close' }).click();
});

await step('automation_rule_form_server_error', async () => {
	await page.getByRole('button', { name: 'New rule' }).click();
	await page.getByLabel('Name', { exact: true }).fill('Webhook on orders');
	await page.getByLabel('When', { exact: true }).selectOption('order.created');
	await page.getByRole('button', { name: 'Advanced: JSON' }).click();
	await page.getByLabel('Actions (JSON)').fill('[{"type": "webhook", "url": "ftp://nope"}]');
	await page.getByRole('button', { name: 'Create rule' }).click();
	await page.locator('#rule-actions-error').getByText(/http/).waitFor();
	await page.getByLabel('Actions (JSON)').fill('[{"type": "add_tag", "tag": "buyer"}]');
	await page.getByRole('button', { name: 'Create rule' }).click();
	await page.getByRole('switch', { name: /^Webhook on orders/ }).waitFor();
});

// ---- settings: mail accounts ----
const mail = () => page.locator('section[aria-labelledby="mail-title"]');
await step(
	'mailbox_add_health_ok',
	async () => {
		await nav('Settings');
		await heading(page, 'Settings').waitFor();
		await page.getByRole('tab', { name: 'Mail accounts' }).click();
		await mail().getByText('No mailbox connected.').waitFor();
		await mail().getByRole('button', { name: 'Add mailbox' }).click();
		const f = page.getByRole('form', { name: 'Add mailbox' });
		await f.getByLabel('Other IMAP/SMTP server').check();
		await f.getByLabel('Name in Parley').fill('alice');
		await f.getByLabel('Email address').fill('alice@localhost');
		await f.getByLabel('Login name').fill('alice');
		await f.getByLabel('Password').fill('secret');
		await f.getByLabel('IMAP host').fill('127.0.0.1');
		await f.getByLabel('IMAP port').fill(process.env.IMAP_PORT);
		await f.getByLabel('IMAP security').selectOption('starttls');
		await f.getByLabel('SMTP host').fill('127.0.0.1');
		await f.getByLabel('SMTP port').fill(process.env.SUBMISSION_PORT);
		await f.getByLabel('SMTP security').selectOption('starttls');
		await f.getByRole('button', { name: 'Add mailbox' }).click();
		await page.locator('[data-mailbox="alice"] [data-health="ok"]').waitFor({ timeout: 45000 });
		await shot(page, 'settings');
		await mail().screenshot({ path: join(OUT, 'settings-mail.png') });
	},
	60000,
);

await step('mailbox_sync_now', async () => {
	await page.getByRole('button', { name: 'Sync now alice' }).click();
	await page.getByText('Syncing alice…').waitFor();
});

await step('mailbox_bad_url_error_next_to_field', async () => {
	await mail().getByRole('button', { name: 'Add mailbox' }).click();
	const f = page.getByRole('form', { name: 'Add mailbox' });
	await f.getByLabel('Name in Parley').fill('broken');
	await f.getByLabel('Email address').fill('broken@localhost');
	await f.getByLabel('IMAP host').fill('bad host');
	await f.getByLabel('SMTP host').fill('127.0.0.1');
	await f.getByRole('button', { name: 'Add mailbox' }).click();
	await page.locator('#mb-imap-host-error').waitFor();
	expect((await f.getByLabel('Name in Parley').inputValue()) === 'broken', 'the form was emptied');
	await f.getByRole('button', { name: 'Cancel' }).click();
});

await step('mailbox_gmail_preset_oauth_edit_remove', async () => {
	await mail().getByRole('button', { name: 'Add mailbox' }).click();
	const f = page.getByRole('form', { name: 'Add mailbox' });
	await f.getByLabel('Gmail').check();
	expect((await f.getByLabel('IMAP host').count()) === 0, 'server fields shown for Gmail');
	await f.getByLabel('Name in Parley').fill('ada-gmail');
	await f.getByLabel('Email address').fill('ada@gmail.example');
	await f.getByRole('button', { name: 'Add mailbox' }).click();
	const box = page.locator('[data-mailbox="ada-gmail"]');
	await box.locator('[data-health="needs_reauth"]').waitFor();
	// No OAuth client is configured: the server's 409 is shown by the mailbox.
	await box.getByRole('button', { name: 'Connect with Google' }).click();
	await box.locator('.form-error').getByText(/oauth\.gmail/).waitFor();
	await box.getByRole('button', { name: 'Edit ada-gmail' }).click();
	const e = page.getByRole('form', { name: 'Edit ada-gmail' });
	await e.getByLabel('Name in Parley').fill('ada-gmail2');
	await e.getByRole('button', { name: 'Save mailbox' }).click();
	const box2 = page.locator('[data-mailbox="ada-gmail2"]');
	await box2.waitFor();
	await box2.getByRole('button', { name: 'Remove ada-gmail2' }).click();
	await box2.getByRole('button', { name: 'Yes, remove' }).click();
	await box2.waitFor({ state: 'detached' });
	const r = await api(process.env.ADMIN_TOKEN, 'GET', '/mail/accounts');
	expect(r.body.items.map((a) => a.name).join() === 'alice', `accounts: ${r.body.items.map((a) => a.name)}`);
});

// ---- settings: CSV import ----
await step('import_bad_row_reported', async () => {
	await page.getByRole('tab', { name: 'Import' }).click();
	const csv = page.getByLabel('CSV text');
	await csv.fill('first_name,last_name,email\nLinus,Pauling,linus@caltech.example\nBad,Row,not-an-email\n');
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	const rep = page.locator('.import-errors');
	await rep.getByRole('cell', { name: 'not-an-email', exact: false }).waitFor();
	await rep.getByRole('cell', { name: '3', exact: true }).waitFor();
	await rep.getByText('nothing was imported').waitFor();
	expect((await csv.inputValue()).includes('not-an-email'), 'the CSV text was lost');
	const r = await api(process.env.ADMIN_TOKEN, 'GET', '/contacts?q=pauling');
	expect(r.body.items.length === 0, 'a row was imported');
	await page.locator('section[aria-labelledby="import-title"]').screenshot({ path: join(OUT, 'import-errors.png') });
});

await step('import_check_then_import', async () => {
	await page.getByLabel('CSV text').fill('first_name,last_name,email\nLinus,Pauling,linus@caltech.example\nGood,Row,good@row.example\n');
	await page.getByRole('button', { name: 'Check only' }).click();
	await page.getByText('All rows are good: importing would add').waitFor();
	await page.getByRole('button', { name: 'Import', exact: true }).click();
	await page.locator('.callout').getByText('2 contacts').waitFor();
	const r = await api(process.env.ADMIN_TOKEN, 'GET', '/contacts?q=pauling');
	expect(r.body.items.length === 1, 'not imported');
});

// ---- phone width ----
await step('phone_width', async () => {
	await page.setViewportSize({ width: 390, height: 800 });
	for (const [path, h] of [
		['/templates', 'Templates'],
		['/automation', 'Automation'],
		['/settings', 'Settings'],
	]) {
		await page.goto(URL_ + path);
		await heading(page, h).waitFor();
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		expect(w <= 392, `${path} is ${w} px wide at 390`);
	}
	await page.getByRole('button', { name: /^Notifications/ }).click();
	const box = await page.getByRole('region', { name: 'Notifications' }).boundingBox();
	expect(box.x >= 0 && box.x + box.width <= 390, `the notifications panel is off screen: ${JSON.stringify(box)}`);
	await shot(page, 'phone-settings');
	await page.setViewportSize({ width: 1280, height: 800 });
});

await done();
