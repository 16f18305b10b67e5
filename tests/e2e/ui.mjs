// The web UI as a person uses it: playwright-core drives Debian's chromium
// (headless, never a downloaded browser) against a running parley.
// Run by tests/integration/test_ui.sh, which starts parley and makes the
// records in $SEED; tests/e2e/harness.mjs prints the lines and screenshots.
import { join } from 'node:path';
import { done, EMAIL, expect, heading, openBrowser, OUT, PASSWORD, SEED, shot, state, step, URL_, watch } from './harness.mjs';

let page = await openBrowser();

// ---- logging in ----
await step('login_wrong_password', async () => {
	await page.goto(URL_ + '/');
	await page.getByLabel('Email').fill(EMAIL);
	await page.getByLabel('Password').fill('not the password');
	await page.getByRole('button', { name: 'Log in' }).click();
	await page.getByRole('alert').filter({ hasText: 'Wrong email or password' }).waitFor();
	await shot(page, 'login-error');
});

await step('login', async () => {
	await page.getByLabel('Email').fill(EMAIL);
	await page.getByLabel('Password').fill(PASSWORD);
	await page.getByRole('button', { name: 'Log in' }).click();
	await heading(page, 'Today').waitFor();
	expect(new URL(page.url()).pathname === '/today', `landed on ${page.url()}`);
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).click();
	await heading(page, 'Inbox').waitFor();
	await shot(page, 'inbox');
});

await step('inbox_first_render_under_1s', async () => {
	const t0 = Date.now();
	await page.goto(URL_ + '/inbox');
	await heading(page, 'Inbox').waitFor();
	const ms = Date.now() - t0;
	console.log(`# inbox rendered in ${ms} ms after navigation`);
	expect(ms < 1000, `took ${ms} ms`);
});

await step('assets_cached_and_csp', async () => {
	const res = await page.request.get(URL_ + '/contacts/1');
	const csp = res.headers()['content-security-policy'] || '';
	expect(csp.includes("script-src 'self'") && !csp.includes('unsafe-inline'), `CSP: ${csp}`);
	const html = await res.text();
	const js = /\/assets\/app\.[A-Za-z0-9]+\.js/.exec(html);
	expect(js, 'no hashed app.js in index.html');
	const a = await page.request.get(URL_ + js[0]);
	expect(/immutable/.test(a.headers()['cache-control'] || ''), `asset cache-control: ${a.headers()['cache-control']}`);
});

// ---- contacts ----
await step('contacts_list', async () => {
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Contacts' }).click();
	await heading(page, 'Contacts').waitFor();
	for (const n of ['Ada Lovelace', 'Grace Hopper', 'Linus Pauling']) await page.getByRole('link', { name: n }).waitFor();
	await shot(page, 'contacts');
});

await step('contacts_search_with_slash', async () => {
	await page.locator('body').press('/');
	const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
	expect(focused === 'contacts-q', `"/" focused ${focused}`);
	await page.keyboard.type('hopper');
	await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor({ state: 'detached' });
	await page.getByRole('link', { name: 'Grace Hopper' }).waitFor();
	expect(new URL(page.url()).searchParams.get('q') === 'hopper', `url ${page.url()}`);
	await page.getByLabel('Search contacts').fill('');
	await page.getByLabel('Stage').selectOption('customer');
	await page.getByRole('link', { name: 'Grace Hopper' }).waitFor({ state: 'detached' });
	await page.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
	await page.getByLabel('Stage').selectOption('');
});

await step('contact_timeline', async () => {
	await page.getByRole('link', { name: 'Ada Lovelace' }).click();
	await heading(page, /Ada Lovelace/).waitFor();
	const tl = page.locator('.tl-list');
	await tl.getByText('Re: Proposal for Q3').waitFor();
	await tl.getByText('Discussed pricing, 12 minutes').waitFor();
	await tl.getByText('Kick-off at Acme').waitFor();
	await page.getByRole('button', { name: 'Calls', exact: true }).click();
	await tl.getByText('Re: Proposal for Q3').waitFor({ state: 'detached' });
	const kinds = await page.locator('.tl-item').evaluateAll((els) => els.map((e) => e.dataset.kind));
	expect(kinds.length > 0 && kinds.every((k) => k === 'call'), `kinds shown: ${kinds}`);
	await page.getByRole('button', { name: 'All', exact: true }).click();
	await tl.getByText('Re: Proposal for Q3').waitFor();
	await page.getByText('Order #').first().waitFor();
	await shot(page, 'contact');
});

await step('contact_add_note', async () => {
	const text = 'Prefers mail to calls; send the contract by Friday.';
	await page.getByLabel('Note', { exact: true }).fill(text);
	await page.getByRole('button', { name: 'Add note' }).click();
	const first = page.locator('.tl-item').first();
	await first.getByText(text).waitFor();
	expect((await first.getAttribute('data-kind')) === 'note', 'the newest item is not the note');
	expect((await page.getByLabel('Note', { exact: true }).inputValue()) === '', 'the note box was not cleared');
});

await step('contact_edit_error_next_to_field', async () => {
	await page.getByRole('button', { name: 'Edit this contact' }).click();
	const emails = page.getByLabel('Email addresses');
	await emails.fill('ada@acme.test, not-an-address');
	await page.getByRole('button', { name: 'Save' }).click();
	const err = page.locator('#f-contacts-emails-error');
	await err.waitFor();
	expect((await emails.getAttribute('aria-invalid')) === 'true', 'the field is not marked invalid');
	expect((await emails.getAttribute('aria-describedby')) === 'f-contacts-emails-error', 'the error is not tied to the field');
	expect((await emails.inputValue()) === 'ada@acme.test, not-an-address', 'the draft was lost');
	await shot(page, 'contact-edit-error');
	await emails.fill('ada@acme.test, ada.lovelace@acme.test');
	await page.getByLabel('Last name').fill('King-Lovelace');
	await page.getByRole('button', { name: 'Save' }).click();
	await heading(page, /Ada King-Lovelace/).waitFor();
	await page.getByRole('link', { name: 'ada.lovelace@acme.test' }).waitFor();
	await page.reload();
	await heading(page, /Ada King-Lovelace/).waitFor();
});

await step('contact_add_task', async () => {
	await page.getByRole('tab', { name: 'Task' }).click();
	await page.getByLabel('Task', { exact: true }).fill('Book the follow-up meeting');
	await page.getByRole('button', { name: 'Add task' }).click();
	await page.locator('.tl-item').first().getByText('Book the follow-up meeting').waitFor();
});

await step('company_card', async () => {
	await page.getByRole('link', { name: 'Acme Robotics' }).first().click();
	await heading(page, 'Acme Robotics').waitFor();
	await page.locator('section').filter({ has: page.getByRole('heading', { name: 'Contacts' }) }).getByRole('link', { name: /Ada/ }).waitFor();
	await page.getByRole('link', { name: 'Acme renewal' }).waitFor();
	await page.locator('.tl-list').waitFor();
	await shot(page, 'company');
});

await step('companies_list', async () => {
	await page.goto(URL_ + '/companies');
	await page.getByRole('link', { name: 'Globex' }).waitFor();
	await shot(page, 'companies');
});

// ---- deals ----
const column = (stage) => page.locator(`[data-stage="${stage}"]`);

await step('deals_board', async () => {
	await page.goto(URL_ + '/deals');
	await heading(page, 'Deals').waitFor();
	await column('proposal').getByRole('link', { name: 'Acme renewal' }).waitFor();
	const total = await column('qualified').locator('[data-total]').innerText();
	expect(/5,000\.00/.test(total) && /€/.test(total), `qualified total: ${total}`);
	await shot(page, 'deals');
});

await step('deal_drag_to_won', async () => {
	await page.locator(`[data-deal="${SEED.renewal}"]`).dragTo(column('won'));
	await column('won').getByRole('link', { name: 'Acme renewal' }).waitFor();
	await page.getByText('moved to Won').waitFor();
	await page.reload();
	await column('won').getByRole('link', { name: 'Acme renewal' }).waitFor();
	const total = await column('won').locator('[data-total]').innerText();
	expect(/12,000\.00/.test(total), `won total after reload: ${total}`);
	await shot(page, 'deals-after-drag');
});

await step('deal_move_with_keyboard_menu', async () => {
	await page.getByLabel('Stage of Starter pack').selectOption('qualified');
	await column('qualified').getByRole('link', { name: 'Starter pack' }).waitFor();
	await page.getByText('moved to Qualified').waitFor();
	await page.reload();
	await column('qualified').getByRole('link', { name: 'Starter pack' }).waitFor();
});

await step('deal_card_history', async () => {
	await page.goto(`${URL_}/deals/${SEED.renewal}`);
	await heading(page, /Acme renewal/).waitFor();
	const hist = page.locator('.history');
	await hist.locator('li').filter({ hasText: /Proposal\s*→\s*Won/ }).waitFor();
	await page.locator('.tl-list').getByText(/moved from proposal to won/).waitFor();
	await shot(page, 'deal');
});

// ---- tasks ----
await step('tasks_mark_done', async () => {
	await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Tasks' }).click();
	await heading(page, 'Tasks').waitFor();
	await page.getByText('Call Grace about the pilot').waitFor();
	await page.getByRole('tab', { name: 'Overdue' }).click();
	await page.getByText('Send the proposal to Ada').waitFor();
	expect((await page.getByText('Call Grace about the pilot').count()) === 0, 'a task due tomorrow is listed as overdue');
	await shot(page, 'tasks');
	await page.getByLabel('Mark “Send the proposal to Ada” done').check();
	await page.getByText('Done: Send the proposal to Ada').waitFor();
	await page.getByRole('tab', { name: 'Done' }).click();
	await page.locator(`[data-task="${SEED.t1}"]`).waitFor();
	await page.reload();
	await page.getByRole('tab', { name: 'Done' }).click();
	await page.locator(`[data-task="${SEED.t1}"]`).waitFor();
	await shot(page, 'tasks-done');
});

await step('tasks_undo', async () => {
	await page.locator(`[data-task="${SEED.t1}"]`).getByRole('button', { name: 'Undo' }).click();
	await page.getByText('Reopened: Send the proposal to Ada').waitFor();
	await page.getByRole('tab', { name: 'Mine' }).click();
	await page.locator(`[data-task="${SEED.t1}"]:not(.task-done)`).waitFor();
});

// ---- settings ----
await step('settings_add_user', async () => {
	await page.goto(URL_ + '/settings');
	await heading(page, 'Settings').waitFor();
	await page.getByRole('tab', { name: 'Users' }).click();
	await page.getByRole('button', { name: 'Add user' }).click();
	await page.locator('#user-email').fill('not an email');
	await page.locator('#user-name').fill('Marie Curie');
	await page.getByRole('button', { name: 'Add user' }).click();
	await page.locator('#user-email-error').waitFor();
	await page.locator('#user-email').fill('marie@example.com');
	await page.getByRole('button', { name: 'Add user' }).click();
	await page.getByText('Marie Curie can now log in as marie@example.com').waitFor();
	await page.locator('.callout code.secret').waitFor();
	await page.getByRole('cell', { name: 'marie@example.com' }).waitFor();
	await shot(page, 'settings');
});

await step('settings_api_token', async () => {
	await page.getByRole('tab', { name: 'API tokens' }).click();
	await page.getByLabel('Token name').fill('e2e script');
	await page.getByRole('button', { name: 'Create token' }).click();
	const token = await page.locator('[data-token]').innerText();
	expect(/^[0-9a-f]{32,}$/.test(token.trim()), `token looks wrong: ${token}`);
	const res = await page.request.get(URL_ + '/api/v1/me', { headers: { Authorization: `Bearer ${token.trim()}` } });
	expect(res.status() === 200, `the token does not work: ${res.status()}`);
});

await step('shortcuts_help', async () => {
	await page.locator('body').click({ position: { x: 5, y: 300 } });
	await page.keyboard.press('?');
	await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
	await shot(page, 'shortcuts');
	await page.keyboard.press('Escape');
	await page.getByRole('dialog').waitFor({ state: 'detached' });
});

await step('deep_link_and_unknown_page', async () => {
	await page.goto(`${URL_}/contacts/${SEED.grace}`);
	await heading(page, /Grace Hopper/).waitFor();
	await page.goto(`${URL_}/contacts/999999`);
	await page.getByText('This contact does not exist.').waitFor();
	await page.goto(`${URL_}/no/such/page`);
	await page.getByText('There is no such page.').waitFor();
});

// ---- a phone-width screen ----
await step('phone_width', async () => {
	const phone = await state.browser.newContext({
		viewport: { width: 390, height: 844 },
		storageState: await state.context.storageState(),
		isMobile: true,
		hasTouch: true,
	});
	const p = await phone.newPage();
	watch(p);
	p.setDefaultTimeout(8000);
	const noOverflow = async (what) => {
		const w = await p.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
		// A mobile browser widens its layout to fit what overflows: compare with the phone's 390 px too.
		expect(w[0] <= w[1] + 1 && w[1] <= 391, `${what} is ${w[0]} px wide in a ${w[1]} px layout on a 390 px screen`);
	};
	await p.goto(URL_ + '/contacts');
	await heading(p, 'Contacts').waitFor();
	await p.getByRole('link', { name: /Ada/ }).waitFor();
	await noOverflow('the contacts list');
	await shot(p, 'phone-contacts');
	await p.goto(`${URL_}/contacts/${SEED.ada}`);
	await p.locator('.tl-list').waitFor();
	await noOverflow('the contact card');
	await shot(p, 'phone-contact');
	await p.goto(URL_ + '/deals');
	await p.locator('[data-stage]').first().waitFor();
	await noOverflow('the deals board');
	await p.screenshot({ path: join(OUT, 'phone-deals.png') }); /* the board scrolls inside itself */
	await p.goto(URL_ + '/tasks');
	await heading(p, 'Tasks').waitFor();
	await noOverflow('the tasks');
	await shot(p, 'phone-tasks');
	await phone.close();
});

// ---- logging out ----
await step('logout', async () => {
	await page.goto(URL_ + '/inbox');
	await page.getByRole('button', { name: /Account menu/ }).click();
	await page.getByRole('menuitem', { name: 'Log out' }).click();
	await page.getByRole('button', { name: 'Log in' }).waitFor();
	await page.goto(URL_ + '/contacts');
	await page.getByRole('button', { name: 'Log in' }).waitFor();
	const res = await page.request.get(URL_ + '/api/v1/session');
	expect(res.status() === 401, `the session still answers ${res.status()}`);
	await shot(page, 'logged-out');
});

await done();
