// The mail screens as a person uses them, against a parley syncing a real
// mailbox (tests/integration/test_ui_mail.sh sets it up): the inbox, search,
// keys, a conversation, hostile HTML kept inert, remote images, a reply with
// a template that reaches the outbox and comes back as the sent copy,
// relinking, compose with autocomplete and a scheduled send, compose in rich
// text, phone width.
import { clockNow, done, expect, heading, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const dialogs = [];
page.on('dialog', (d) => {
	dialogs.push(d.message());
	d.dismiss().catch(() => {});
});

const rows = () => page.locator('.thread-item');
const list = () => page.getByRole('list', { name: 'Conversations' });
const frameDoc = (fn, arg) =>
	page.evaluate(
		([src, a]) => {
			const f = document.querySelector('iframe.mail-frame');
			const d = f && f.contentDocument;
			return d && d.body ? new Function('d', 'f', 'a', src)(d, f, a) : null;
		},
		[fn, arg],
	);
const api = async (path) => (await page.request.get(URL_ + '/api/v1' + path)).json();

await step('login', async () => {
	await login(page);
});

await step('inbox_lists_threads', async () => {
	for (const s of ['Proposal for Q3', 'Totally safe invoice', 'Weekly deals'])
		await list().getByRole('link', { name: new RegExp(s) }).waitFor();
	await page.getByText('Proposal for Q3').first().waitFor();
	await shot(page, 'inbox');
});

await step('inbox_pages_by_cursor', async () => {
	const n = await rows().count();
	expect(n === 50, `first page has ${n} rows`);
	await page.getByRole('button', { name: 'Load more conversations' }).waitFor();
	await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
	await page.waitForFunction(() => document.querySelectorAll('.thread-item').length === 58, null, { timeout: 8000 });
	await page.getByRole('button', { name: 'Load more conversations' }).waitFor({ state: 'detached' });
	await page.evaluate(() => window.scrollTo(0, 0));
});

await step('search_query_language', async () => {
	await page.locator('body').press('/');
	const focused = await page.evaluate(() => document.activeElement && document.activeElement.id);
	expect(focused === 'mail-q', `"/" focused ${focused}`);
	await page.keyboard.type('from:ada');
	await page.keyboard.press('Enter');
	await list().getByRole('link', { name: /Weekly deals/ }).waitFor({ state: 'detached' });
	expect((await rows().count()) === 1, `from:ada gave ${await rows().count()} rows`);
	expect(new URL(page.url()).searchParams.get('q') === 'from:ada', page.url());
	await page.getByLabel('Search mail').fill('subject:invoice OR subject:deals');
	await page.keyboard.press('Enter');
	await list().getByRole('link', { name: /Weekly deals/ }).waitFor();
	await list().getByRole('link', { name: /Totally safe invoice/ }).waitFor();
	expect((await rows().count()) === 2, `OR gave ${await rows().count()} rows`);
});

await step('search_error_with_column', async () => {
	await page.getByLabel('Search mail').fill('from:ada (deals');
	await page.keyboard.press('Enter');
	const alert = page.getByRole('alert').filter({ hasText: 'column' });
	await alert.waitFor();
	const text = await alert.innerText();
	expect(/missing '\)' at column \d+/.test(text), `error: ${text}`);
	expect((await page.getByLabel('Search mail').getAttribute('aria-invalid')) === 'true', 'box not marked invalid');
	await shot(page, 'search-error');
	await page.getByLabel('Search mail').fill('');
	await page.keyboard.press('Enter');
	await list().getByRole('link', { name: /Weekly deals/ }).waitFor();
});

await step('filters_unread_and_mailbox', async () => {
	await page.getByLabel('Unread only').check();
	await page.waitForFunction(() => new URL(location.href).searchParams.get('unread') === '1');
	await list().getByRole('link', { name: /Proposal for Q3/ }).waitFor();
	await page.getByLabel('Folder').selectOption('sent');
	await page.getByText('No conversations match.').waitFor();
	await page.getByRole('button', { name: 'Clear the search and filters' }).click();
	await list().getByRole('link', { name: /Proposal for Q3/ }).waitFor();
});

await step('keyboard_j_k_o', async () => {
	await heading(page, 'Inbox').click();
	const current = () => page.evaluate(() => document.querySelector('.thread-link[aria-current="true"] .thread-subject')?.textContent || '');
	const first = await current();
	await page.keyboard.press('j');
	await page.keyboard.press('j');
	const third = await current();
	expect(third && third !== first, `j did not move (${first} -> ${third})`);
	await page.keyboard.press('k');
	const second = await current();
	expect(second !== third, 'k did not move back');
	const subject = second.split(' — ')[0];
	await page.keyboard.press('o');
	await heading(page, subject).waitFor();
	expect(/\/mail\/threads\/\d+$/.test(page.url()), page.url());
	await page.keyboard.press('u');
	await heading(page, 'Inbox').waitFor();
});

await step('help_lists_mail_keys', async () => {
	await page.keyboard.press('?');
	const d = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
	await d.getByText('Reply to all').waitFor();
	await d.getByText('Go to Inbox').waitFor();
	await page.keyboard.press('Escape');
	await d.waitFor({ state: 'detached' });
});

await step('open_thread_marks_read', async () => {
	await list().getByRole('link', { name: /Proposal for Q3/ }).click();
	await heading(page, 'Proposal for Q3').waitFor();
	await page.getByText('could you send the proposal for Q3 by Friday?').waitFor();
	await page.getByRole('region', { name: 'Linked records' }).getByRole('link', { name: 'Ada Lovelace' }).waitFor();
	await page.waitForFunction(
		async (id) => (await (await fetch(`/api/v1/mail/messages/${id}`)).json()).unread === false,
		SEED.ada_msg,
	);
	await shot(page, 'thread');
});

await step('xss_message_inert', async () => {
	await page.goto(URL_ + '/inbox?q=subject:invoice');
	await list().getByRole('link', { name: /Totally safe invoice/ }).click();
	await heading(page, 'Totally safe invoice').waitFor();
	const frame = page.locator('iframe.mail-frame');
	await frame.waitFor();
	const sandbox = await frame.getAttribute('sandbox');
	expect(sandbox !== null && !/allow-scripts/.test(sandbox), `sandbox="${sandbox}"`);
	await page.waitForFunction(() => {
		const d = document.querySelector('iframe.mail-frame')?.contentDocument;
		return d && d.body && /Styled red text/.test(d.body.textContent);
	});
	const r = await frameDoc(
		`return {
			scripts: d.querySelectorAll('script').length,
			handlers: [...d.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => /^on/i.test(a.name))).length,
			jsLinks: [...d.querySelectorAll('[href],[src]')].filter((e) => /javascript:/i.test(e.getAttribute('href') || e.getAttribute('src'))).length,
			frames: d.querySelectorAll('iframe').length,
			payNow: /Pay now/.test(d.body.textContent),
			red: getComputedStyle([...d.querySelectorAll('p')].find((p) => /Styled/.test(p.textContent))).color,
		}`,
	);
	expect(r.scripts === 0 && r.handlers === 0 && r.jsLinks === 0 && r.frames === 0, JSON.stringify(r));
	expect(r.payNow, 'the link text is gone too');
	expect(r.red === 'rgb(180, 35, 24)', `inline style not applied: ${r.red}`);
	await page.waitForTimeout(500);
	expect(!dialogs.length, `dialogs fired: ${dialogs.join(', ')}`);
	expect((await page.title()) !== 'pwned', 'a script changed the title');
	await shot(page, 'thread-xss');
});

await step('remote_images_blocked_then_allowed', async () => {
	await page.goto(URL_ + '/inbox?q=subject:deals');
	await list().getByRole('link', { name: /Weekly deals/ }).click();
	await heading(page, 'Weekly deals').waitFor();
	await page.getByText('1 remote image was blocked').waitFor();
	await page.waitForFunction(() => {
		const d = document.querySelector('iframe.mail-frame')?.contentDocument;
		return d && d.querySelector('img');
	});
	const before = await frameDoc(`const i = d.querySelector('img'); return { src: i.getAttribute('src'), remote: i.getAttribute('data-remote-src') }`);
	expect(!before.src && /pixel\.png/.test(before.remote || ''), `blocked image: ${JSON.stringify(before)}`);
	await page.getByRole('button', { name: 'Always show images from news@shop.test' }).click();
	await page.waitForFunction(() => {
		const d = document.querySelector('iframe.mail-frame')?.contentDocument;
		const i = d && d.querySelector('img');
		return i && /pixel\.png/.test(i.getAttribute('src') || '') && i.complete && i.naturalWidth > 0;
	});
	await page.reload();
	await heading(page, 'Weekly deals').waitFor();
	await page.waitForFunction(() => /remote=1/.test(document.querySelector('iframe.mail-frame')?.getAttribute('src') || ''));
	expect(!(await page.getByText('remote image was blocked').count()), 'the choice was not remembered');
});

await step('reply_with_template_failed_send_keeps_draft', async () => {
	await page.goto(URL_ + `/mail/threads/${SEED.ada_thread}`);
	await heading(page, 'Proposal for Q3').waitFor();
	await page.getByRole('heading', { name: 'Linked records' }).count(); // settle
	await page.keyboard.press('r');
	const d = page.getByRole('dialog', { name: 'Reply' });
	await d.waitFor();
	const to = d.getByLabel('To', { exact: true });
	expect(/ada@acme\.test/.test(await to.inputValue()), `To: ${await to.inputValue()}`);
	expect((await d.getByLabel('Subject').inputValue()) === 'Re: Proposal for Q3', 'subject');
	await d.getByLabel('Template').selectOption({ label: 'Follow-up' });
	const preview = d.getByRole('region', { name: 'Template preview' });
	await preview.getByText('Preview for Ada Lovelace').waitFor();
	await preview.getByText('Hello Ada,').waitFor();
	await preview.getByRole('button', { name: 'Insert template' }).click();
	expect(/^Hello Ada,/.test(await d.getByLabel('Message', { exact: true }).inputValue()), 'template not inserted');
	await d.getByLabel('Message', { exact: true }).press('End');
	await d.getByLabel('Message', { exact: true }).type('\n\nBest, Alice');
	// A bad address: the error sits next to To and nothing is lost.
	await to.fill('not an address');
	await d.getByRole('button', { name: 'Send' }).click();
	await d.locator('#compose-to-error').waitFor();
	expect((await to.getAttribute('aria-invalid')) === 'true', 'To not marked invalid');
	expect(/Best, Alice/.test(await d.getByLabel('Message', { exact: true }).inputValue()), 'the body was lost');
	await shot(page, 'compose-error');
	await to.fill('Ada Lovelace <ada@acme.test>');
	await d.getByRole('button', { name: 'Send' }).click();
	await d.waitFor({ state: 'detached' });
	await page.getByText('Queued for sending.').waitFor();
});

await step(
	'reply_sent_copy_appears_in_thread',
	async () => {
		await page.locator('.messages > li').nth(1).waitFor({ timeout: 90000 });
		await page.locator('.message').nth(1).frameLocator('iframe.mail-frame').getByText('Best, Alice').waitFor({ timeout: 15000 });
		await shot(page, 'thread-replied');
	},
	120000,
);

await step(
	'outbox_shows_sent',
	async () => {
		await page.goto(URL_ + '/mail/outbox');
		await heading(page, 'Outbox').waitFor();
		const row = page.getByRole('row').filter({ hasText: 'Re: Proposal for Q3' });
		await row.waitFor();
		await row.getByText('Sent', { exact: true }).waitFor({ timeout: 30000 });
		await row.getByText('ada@acme.test').waitFor();
		await shot(page, 'outbox');
	},
	45000,
);

await step('relink_message_to_another_contact', async () => {
	await page.goto(URL_ + `/mail/threads/${SEED.ada_thread}`);
	await heading(page, 'Proposal for Q3').waitFor();
	const first = page.locator('.message').first();
	if ((await first.getByRole('button', { name: 'Links…' }).count()) === 0) await first.locator('.message-head').click();
	await first.getByRole('button', { name: 'Links…' }).click();
	const d = page.getByRole('dialog', { name: 'Linked records' });
	await d.getByRole('button', { name: 'Unlink Ada Lovelace' }).click();
	await d.getByLabel('Add a contact').fill('grace');
	await d.getByRole('button', { name: 'Grace Hopper' }).click();
	await d.getByText('Grace Hopper').waitFor();
	await d.getByRole('button', { name: 'Save links' }).click();
	await d.waitFor({ state: 'detached' });
	await page.getByRole('region', { name: 'Linked records' }).getByRole('link', { name: 'Grace Hopper' }).waitFor();
	const m = await api(`/mail/messages/${SEED.ada_msg}`);
	expect(JSON.stringify(m.links.contact_ids) === JSON.stringify([SEED.grace]), `links ${JSON.stringify(m.links)}`);
});

await step('share_split_and_merge', async () => {
	await page.goto(URL_ + `/mail/threads/${SEED.ada_thread}`);
	await heading(page, 'Proposal for Q3').waitFor();
	await page.getByRole('button', { name: 'Share with the team' }).click();
	await page.getByRole('button', { name: 'Make private' }).waitFor();
	expect((await api(`/mail/threads/${SEED.ada_thread}`)).shared === true, 'not shared');
	await page.getByRole('button', { name: 'Make private' }).click();
	await page.getByRole('button', { name: 'Share with the team' }).waitFor();
	await page.getByRole('button', { name: 'Split…' }).click();
	await page.getByLabel(/^Move “Ada Admin/).check();
	await page.getByRole('button', { name: 'Split 1 into a new conversation' }).click();
	await page.getByText('1 message', { exact: true }).waitFor();
	await page.getByRole('button', { name: 'Merge…' }).click();
	const d = page.getByRole('dialog', { name: 'Merge a conversation into this one' });
	await d.getByLabel('Find the conversation').fill('subject:proposal');
	await d.getByRole('button', { name: 'Merge' }).first().click();
	await d.waitFor({ state: 'detached' });
	await page.getByText('2 messages', { exact: true }).waitFor();
});

await step('compose_autocomplete_draft_and_schedule', async () => {
	await page.goto(URL_ + '/inbox');
	await heading(page, 'Inbox').waitFor();
	await list().waitFor();
	await page.keyboard.press('c');
	let d = page.getByRole('dialog', { name: 'New message' });
	await d.waitFor();
	await d.getByLabel('To', { exact: true }).pressSequentially('gra');
	await d.getByRole('option', { name: /Grace Hopper/ }).waitFor();
	await d.getByLabel('To', { exact: true }).press('Enter');
	expect(/Grace Hopper <grace@globex\.test>/.test(await d.getByLabel('To', { exact: true }).inputValue()), 'autocomplete');
	await d.getByLabel('Subject').fill('Scheduled hello');
	await d.getByLabel('Message', { exact: true }).fill('See you **next week**.');
	await page.waitForTimeout(400); // the draft is saved 300 ms after the last key
	await d.getByRole('button', { name: 'Close (keep draft)' }).click();
	await d.waitFor({ state: 'detached' });
	await page.keyboard.press('c');
	d = page.getByRole('dialog', { name: 'New message' });
	expect((await d.getByLabel('Subject').inputValue()) === 'Scheduled hello', 'the draft was not kept');
	await d.getByLabel('Send later').check();
	const t = new Date(clockNow().getTime() + 86400000);
	const p = (n) => String(n).padStart(2, '0');
	await d.getByLabel('Send at').fill(`${t.getFullYear()}-${p(t.getMonth() + 1)}-${p(t.getDate())}T09:30`);
	await shot(page, 'compose');
	await d.getByRole('button', { name: 'Schedule' }).click();
	await d.waitFor({ state: 'detached' });
	await page.goto(URL_ + '/mail/outbox');
	const row = page.getByRole('row').filter({ hasText: 'Scheduled hello' });
	await row.getByText('Queued', { exact: true }).waitFor();
	await row.getByText(/Scheduled for/).waitFor();
});

// Rich text: Markdown carried over, a word made bold with the toolbar, Ctrl+I,
// hostile HTML pasted (only its plain text goes in), a template, the format kept in the draft,
// then sent to bob@localhost (test_ui_mail.sh checks the delivered parts).
await step('compose_rich_text', async () => {
	await page.goto(URL_ + '/inbox');
	await heading(page, 'Inbox').waitFor();
	await list().waitFor();
	await page.keyboard.press('c');
	let d = page.getByRole('dialog', { name: 'New message' });
	await d.waitFor();
	await d.getByLabel('To', { exact: true }).fill('bob@localhost');
	await d.getByLabel('Subject').fill('Rich hello');
	await d.getByLabel('Message', { exact: true }).fill('Carried **over**');
	await d.getByRole('button', { name: 'Rich text' }).click();
	const ed = d.getByRole('textbox', { name: 'Message' });
	await ed.locator('strong').filter({ hasText: 'over' }).waitFor();
	await ed.click();
	await page.keyboard.press('ControlOrMeta+a');
	await page.keyboard.type('Hello Bob, this is important and urgent.');
	const select = (word) =>
		ed.evaluate((el, w) => {
			const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
			for (let n = walk.nextNode(); n; n = walk.nextNode()) {
				const i = n.data.indexOf(w);
				if (i < 0) continue;
				const r = document.createRange();
				r.setStart(n, i);
				r.setEnd(n, i + w.length);
				getSelection().removeAllRanges();
				getSelection().addRange(r);
				return true;
			}
			return false;
		}, word);
	expect(await select('important'), 'word not found');
	await d.getByRole('button', { name: 'Bold' }).click();
	await ed.locator('b, strong').filter({ hasText: 'important' }).waitFor();
	expect((await d.getByRole('button', { name: 'Bold' }).getAttribute('aria-pressed')) === 'true', 'Bold not shown as pressed');
	expect(await select('urgent'), 'word not found');
	await page.keyboard.press('ControlOrMeta+i');
	await ed.locator('i, em').filter({ hasText: 'urgent' }).waitFor();
	const paste = (html, text) =>
		ed.evaluate(
			(el, [h, t]) => {
				el.focus();
				const r = document.createRange();
				r.selectNodeContents(el);
				r.collapse(false);
				getSelection().removeAllRanges();
				getSelection().addRange(r);
				const dt = new DataTransfer();
				dt.setData('text/html', h);
				dt.setData('text/plain', t);
				el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
				return el.innerHTML;
			},
			[html, text],
		);
	// Paste inserts the plain text only: no image, handler or script arrives.
	let html = await paste('<img src=x onerror=alert(1)>', '');
	expect(!/<img|onerror/i.test(html), `paste let through: ${html}`);
	html = await paste('<p onclick="alert(2)">Pasted <em>text</em><script>alert(3)</script></p>', ' Pasted text');
	expect(!/<img|<script|onclick|onerror|<em>/i.test(html) && /Pasted text/.test(html), `paste: ${html}`);
	await d.getByText('Switching to Markdown keeps the text only').waitFor();
	await page.waitForTimeout(400); // the draft is saved 300 ms after the last change
	await d.getByRole('button', { name: 'Close (keep draft)' }).click();
	await d.waitFor({ state: 'detached' });
	await page.keyboard.press('c');
	d = page.getByRole('dialog', { name: 'New message' });
	await d.waitFor();
	expect((await d.getByRole('button', { name: 'Rich text' }).getAttribute('aria-pressed')) === 'true', 'the format was not kept');
	const ed2 = d.getByRole('textbox', { name: 'Message' });
	await ed2.locator('b, strong').filter({ hasText: 'important' }).waitFor();
	// A template goes in as its rendered HTML, above what is written.
	await d.getByLabel('Template').selectOption({ label: 'Follow-up' });
	await d.getByRole('region', { name: 'Template preview' }).getByRole('button', { name: 'Insert template' }).click();
	await ed2.locator('p').first().filter({ hasText: /^Hello there,$/ }).waitFor();
	await ed2.locator('b, strong').filter({ hasText: 'important' }).waitFor();
	await ed2.scrollIntoViewIfNeeded();
	await shot(page, 'compose-rich');
	await page.setViewportSize({ width: 390, height: 800 });
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow <= 1, `the compose dialog is ${overflow}px wider than the phone`);
	await shot(page, 'compose-rich-phone');
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.waitForTimeout(500);
	expect(!dialogs.length, `dialogs fired: ${dialogs.join(', ')}`);
	await d.getByRole('button', { name: 'Send' }).click();
	await d.waitFor({ state: 'detached' });
	await page.getByText('Queued for sending.').waitFor();
});

await step('phone_width', async () => {
	await page.setViewportSize({ width: 390, height: 800 });
	await page.goto(URL_ + '/inbox');
	await list().getByRole('link', { name: /Proposal for Q3/ }).waitFor();
	const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
	expect(overflow <= 1, `the page is ${overflow}px wider than the phone`);
	await shot(page, 'inbox-phone');
	await page.goto(URL_ + `/mail/threads/${SEED.ada_thread}`);
	await heading(page, 'Proposal for Q3').waitFor();
	await shot(page, 'thread-phone');
	await page.setViewportSize({ width: 1280, height: 800 });
});

await done();
