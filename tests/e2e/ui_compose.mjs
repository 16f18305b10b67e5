// Writing mail (issue 12), against a parley with real mail servers
// (tests/integration/test_ui_compose.sh): compose before any mailbox or
// template exists, focus on Reply and back on Esc, drafts kept on the server
// per conversation (a quick Esc, a navigation or a reload loses nothing; a
// send deletes it), and a Markdown template whose preview shows what is sent
// (the shell script checks the delivered parts).
import { done, expect, heading, login, openBrowser, SEED, shot, state, step, URL_, watch } from './harness.mjs';

const page = await openBrowser();
const list = () => page.getByRole('list', { name: 'Conversations' });
const body = (d) => d.getByLabel('Message', { exact: true });

// The API as the logged-in browser (session cookie and CSRF token).
const call = (p, method, path, data) =>
	p.evaluate(
		async ([m, u, b]) => {
			const s = await (await fetch('/api/v1/session')).json();
			const r = await fetch('/api/v1' + u, {
				method: m,
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': s.csrf_token },
				body: b === null ? undefined : JSON.stringify(b),
			});
			return { status: r.status, body: r.status === 204 ? null : await r.json().catch(() => null) };
		},
		[method, path, data === undefined ? null : data],
	);
const threads = {};
const openThread = async (p, subject) => {
	await p.goto(URL_ + `/mail/threads/${threads[subject]}`);
	await heading(p, subject).waitFor();
	await p.getByText('a question from').first().waitFor();
};
const reply = async (p = page) => {
	await p.keyboard.press('r');
	const d = p.getByRole('dialog', { name: 'Reply' });
	await body(d).waitFor();
	return d;
};

await step('login', async () => {
	await login(page);
});

// Defect 10: no mailbox yet.
await step('no_mailbox_says_where_to_connect_one', async () => {
	await page.keyboard.press('c');
	const d = page.getByRole('dialog', { name: 'New message' });
	await d.waitFor();
	await d.getByText('No mailbox is connected yet.').waitFor({ timeout: 4000 });
	expect(!(await d.getByText('Choose the mailbox to send from').count()), 'still asks to choose a mailbox');
	const link = d.getByRole('link', { name: 'Connect a mailbox' });
	await shot(page, 'compose-no-mailbox');
	await link.click();
	await d.waitFor({ state: 'detached' });
	await page.getByRole('heading', { name: 'Mail accounts' }).waitFor();
	expect(new URL(page.url()).pathname.startsWith('/settings'), page.url());
});

await step('no_templates_picker_offers_create', async () => {
	await page.goto(URL_ + '/inbox');
	await heading(page, 'Inbox').waitFor();
	await page.keyboard.press('c');
	const d = page.getByRole('dialog', { name: 'New message' });
	await d.waitFor();
	const picker = d.getByLabel('Template');
	await picker.waitFor({ timeout: 4000 });
	await shot(page, 'compose-no-templates');
	await picker.selectOption({ label: 'Create template…' });
	await d.waitFor({ state: 'detached' });
	await page.waitForFunction(() => location.pathname === '/templates/new');
});

await step(
	'setup_mailbox_and_template',
	async () => {
		let r = await call(page, 'POST', '/mail/accounts', {
			name: 'alice',
			email: 'alice@localhost',
			imap: SEED.imap,
			smtp: SEED.smtp,
			username: 'alice',
			password: 'secret',
		});
		expect(r.status === 201, `mailbox: ${r.status} ${JSON.stringify(r.body)}`);
		r = await call(page, 'POST', '/templates', {
			name: 'Offer',
			subject: 'Our offer',
			body: 'Hello {{contact.first_name|there}},\n\nOur offer is **20% off** this week.\nValid until Friday.\n\nBest,\nAlice',
		});
		expect(r.status === 201, `template: ${r.status} ${JSON.stringify(r.body)}`);
		for (const s of ['Proposal for Q3', 'Pilot dates'])
			for (let i = 0; i < 120 && !threads[s]; i++) {
				const t = await call(page, 'GET', `/mail/threads?q=${encodeURIComponent(`subject:"${s}"`)}`);
				if (t.body && t.body.items && t.body.items.length) threads[s] = t.body.items[0].id;
				else await page.waitForTimeout(500);
			}
		expect(threads['Proposal for Q3'] && threads['Pilot dates'], `not synced: ${JSON.stringify(threads)}`);
	},
	90000,
);

// Deliver 8: focus on the body on Reply, back on the Reply button on Esc.
await step('reply_focuses_body_and_esc_returns_to_reply', async () => {
	await openThread(page, 'Proposal for Q3');
	const opener = page.locator('button.primary', { hasText: 'Reply' }).first();
	await opener.click();
	const d = page.getByRole('dialog', { name: 'Reply' });
	await body(d).waitFor();
	await page.waitForFunction(() => document.activeElement && document.activeElement.id === 'compose-body', null, { timeout: 3000 });
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
	await page.waitForFunction(
		() => {
			const a = document.activeElement;
			return a && a.tagName === 'BUTTON' && a.classList.contains('primary') && a.textContent.trim() === 'Reply';
		},
		null,
		{ timeout: 3000 },
	);
});

// Defect 7: drafts.
await step('draft_survives_a_quick_escape', async () => {
	let d = await reply();
	await body(d).pressSequentially('Draft for Ada');
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
	d = await reply();
	const v = await body(d).inputValue();
	expect(v === 'Draft for Ada', `body after reopening: "${v}"`);
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
});

await step('drafts_kept_per_conversation', async () => {
	await openThread(page, 'Pilot dates');
	let d = await reply();
	expect((await body(d).inputValue()) === '', 'another conversation shows Ada’s draft');
	await body(d).pressSequentially('Draft for Grace');
	await d.getByRole('button', { name: 'Close (keep draft)' }).click();
	await d.waitFor({ state: 'detached' });
	await openThread(page, 'Proposal for Q3');
	d = await reply();
	const v = await body(d).inputValue();
	expect(v === 'Draft for Ada', `Ada’s draft after writing Grace’s: "${v}"`);
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
});

await step('draft_kept_through_navigation_and_reload', async () => {
	// Into the conversation from the inbox, then Back while typing (the
	// dialog is modal: the history is the way out that is not Esc).
	await page.goto(URL_ + '/inbox');
	await list().getByRole('link', { name: /Pilot dates/ }).click();
	await heading(page, 'Pilot dates').waitFor();
	let d = await reply();
	await body(d).press('End');
	await body(d).pressSequentially(' and more');
	await page.goBack();
	await heading(page, 'Inbox').waitFor();
	await list().getByRole('link', { name: /Pilot dates/ }).click();
	await heading(page, 'Pilot dates').waitFor();
	d = await reply();
	let v = await body(d).inputValue();
	expect(v === 'Draft for Grace and more', `after navigating away: "${v}"`);
	await page.keyboard.press('Escape');
	// A new message, the page reloaded right after typing.
	await page.goto(URL_ + '/inbox');
	await heading(page, 'Inbox').waitFor();
	await page.keyboard.press('c');
	d = page.getByRole('dialog', { name: 'New message' });
	await d.getByLabel('Subject').fill('Unsent idea');
	await page.reload();
	await heading(page, 'Inbox').waitFor();
	await page.keyboard.press('c');
	d = page.getByRole('dialog', { name: 'New message' });
	await d.getByLabel('Subject').waitFor();
	v = await d.getByLabel('Subject').inputValue();
	expect(v === 'Unsent idea', `new message after a reload: "${v}"`);
	await page.keyboard.press('Escape');
});

await step('drafts_live_on_the_server', async () => {
	const ctx = await state.browser.newContext({ viewport: { width: 1280, height: 800 } });
	const p = await ctx.newPage();
	watch(p);
	p.setDefaultTimeout(8000);
	await login(p);
	await openThread(p, 'Proposal for Q3');
	const d = await reply(p);
	const v = await body(d).inputValue();
	expect(v === 'Draft for Ada', `another browser: "${v}"`);
	const r = await call(p, 'GET', '/mail/drafts');
	expect(r.status === 200 && r.body.items.length === 3, `drafts: ${JSON.stringify(r.body)}`);
	await ctx.close();
});

// Defect 6: the template as previewed is what is sent.
await step('template_preview_is_what_is_sent', async () => {
	await openThread(page, 'Proposal for Q3');
	const d = await reply();
	await body(d).fill('');
	await d.getByLabel('To', { exact: true }).fill('bob@localhost');
	await d.getByLabel('Template').selectOption({ label: 'Offer' });
	const preview = d.getByRole('region', { name: 'Template preview' });
	await preview.getByText('Preview for').waitFor();
	await preview.locator('strong', { hasText: '20% off' }).waitFor({ timeout: 4000 });
	const lines = await preview.evaluate((el) => el.querySelectorAll('br').length);
	expect(lines >= 2, `line breaks in the preview: ${lines}`);
	await shot(page, 'compose-template-preview');
	await preview.getByRole('button', { name: 'Insert template' }).click();
	const v = await body(d).inputValue();
	expect(/\*\*20% off\*\*/.test(v) && /this week\.\nValid until Friday\./.test(v), `inserted: ${JSON.stringify(v)}`);
	await d.getByRole('button', { name: 'Send' }).click();
	await d.waitFor({ state: 'detached' });
	await page.getByText('Queued for sending.').waitFor();
});

await step('draft_deleted_when_sent', async () => {
	const r = await call(page, 'GET', '/mail/drafts');
	const keys = r.body.items.map((x) => x.key);
	expect(r.status === 200 && !keys.includes(`thread-${threads['Proposal for Q3']}`) && keys.length === 2, `drafts: ${JSON.stringify(keys)}`);
	const d = await reply();
	const v = await body(d).inputValue();
	expect(v === '', `body after sending: "${v}"`);
	await page.keyboard.press('Escape');
});

await done();
