// Mailbox settings and automation rules as an admin uses them, against a
// parley with real mail servers (tests/integration/test_ui_rules.sh sets it
// up): a disabled mailbox says one thing; "Test connection" logs in to IMAP
// and SMTP with the form's values; saving the right password retries at once
// and the old error goes (never "OK" beside it); the notification is in plain
// words; the rule builder makes a rule without JSON that then works.
import { done, expect, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const api = async (path) => (await page.request.get(URL_ + '/api/v1' + path)).json();
const card = (name) => page.locator(`li.mailbox[data-mailbox="${name}"]`);

await step('login', async () => {
	await login(page);
});

// Defect 12: "disabled" and "Waiting for the first sync" at once.
await step('mailbox_disabled_one_state', async () => {
	await page.goto(`${URL_}/settings/mail/${SEED.paused}`);
	await card('paused').waitFor();
	const text = await card('paused').innerText();
	expect(/disabled/i.test(text), `no "disabled" in: ${text}`);
	expect(!/waiting for the first sync/i.test(text), `disabled and waiting at once: ${text}`);
	expect((await card('paused').locator('.health .badge, .mailbox-head .badge').count()) === 1, `more than one state badge: ${text}`);
});

// Defect 9: "Test connection" tries the form's values before saving.
await step('mailbox_test_connection', async () => {
	await page.goto(`${URL_}/settings/mail/${SEED.sales}`);
	await card('sales').locator('[data-health="auth_failed"]').waitFor();
	await card('sales').getByRole('button', { name: 'Edit sales' }).click();
	const form = page.getByRole('form', { name: 'Edit sales' });
	await form.getByLabel('Password').fill('still-wrong');
	await form.getByRole('button', { name: 'Test connection' }).click();
	const result = form.getByRole('status', { name: 'Connection test' });
	await result.locator('[data-proto="imap"][data-ok="false"]').waitFor({ timeout: 15000 });
	await result.locator('[data-proto="smtp"][data-ok="false"]').waitFor({ timeout: 15000 });
	const bad = await result.innerText();
	expect(/IMAP[^\n]*password was refused/i.test(bad), `IMAP result: ${bad}`);
	expect(/SMTP[^\n]*password was refused/i.test(bad), `SMTP result: ${bad}`);
	await shot(page, 'mailbox-test-failed');
	await form.getByLabel('Password').fill('secret');
	await form.getByRole('button', { name: 'Test connection' }).click();
	await result.locator('[data-proto="imap"][data-ok="true"]').waitFor({ timeout: 15000 });
	await result.locator('[data-proto="smtp"][data-ok="true"]').waitFor({ timeout: 15000 });
	await shot(page, 'mailbox-test-ok');
	// Nothing was saved by testing.
	const a = await api(`/mail/accounts/${SEED.sales}`);
	expect(a.health.status === 'auth_failed', `testing changed the mailbox: ${a.health.status}`);
});

// Defect 9: saving retries at once and the old error goes with the failure.
await step('mailbox_save_retries_at_once', async () => {
	const form = page.getByRole('form', { name: 'Edit sales' });
	if (!(await form.count())) {
		await card('sales').getByRole('button', { name: 'Edit sales' }).click();
		await form.getByLabel('Password').fill('secret');
	}
	await page.evaluate(() => {
		window.__okWithError = [];
		window.__watch = setInterval(() => {
			const li = document.querySelector('li.mailbox[data-mailbox="sales"]');
			if (li && li.querySelector('[data-health="ok"]') && li.querySelector('.field-error'))
				window.__okWithError.push(li.innerText);
		}, 50);
	});
	const t0 = Date.now();
	await form.getByRole('button', { name: 'Save mailbox' }).click();
	await card('sales').locator('[data-health="ok"]').waitFor({ timeout: 12000 });
	const took = Date.now() - t0;
	await page.waitForTimeout(500);
	const seen = await page.evaluate(() => {
		clearInterval(window.__watch);
		return window.__okWithError;
	});
	expect(!seen.length, `"OK" beside the old error: ${seen[0]}`);
	expect(!(await card('sales').locator('.field-error').count()), 'the old error is still shown');
	await shot(page, 'mailbox-fixed');
	console.log(`# the fixed mailbox was OK ${took} ms after saving`);
});

// Defect 12: the notification about the mailbox in plain words.
await step('mailbox_notification_plain_words', async () => {
	const n = await api('/notifications?limit=100');
	const titles = (n.items || []).filter((x) => x.kind === 'mailbox').map((x) => x.title);
	expect(titles.includes("Mailbox 'sales' cannot log in: the password was refused"), `titles: ${JSON.stringify(titles)}`);
	expect(!titles.some((t) => /auth_failed|unreachable|needs_reauth|is ok\b|is new\b/.test(t)), `codes in titles: ${JSON.stringify(titles)}`);
});

await done();
