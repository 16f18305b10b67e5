// Who mail is credited to and who hears of it, as María (a manager who uses
// the team's shared mailbox) sees it: her reply, her invitation and a rule's
// thank-you mail on the client's timeline; notifications of new client mail
// for the contact's (else the deal's) owner, never for old mail a first sync
// found; new mail arriving live in the open inbox, and on her event stream
// only mail she may see; timeline entries that open what they are.
// tests/integration/test_ui_attrib.sh sets it up and passes $SEED,
// $ADMIN_TOKEN, $MARIA_TOKEN and $DELIVER (a script that delivers a message).
import { execFileSync } from 'node:child_process';
import { clockNow, done, expect, heading, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();

async function api(token, method, path, body) {
	const res = await fetch(`${URL_}/api/v1${path}`, {
		method,
		headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}
const asMaria = (m, p, b) => api(process.env.MARIA_TOKEN, m, p, b);
const asAdmin = (m, p, b) => api(process.env.ADMIN_TOKEN, m, p, b);
const deliver = (user, name, from, subject, body) => execFileSync(process.env.DELIVER, [user, name, from, subject, body]);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// until(fn): fn's value once truthy, polled every 300 ms for up to ms.
async function until(fn, what, ms = 25000) {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v) return v;
		if (Date.now() > end) throw new Error(`waited ${ms} ms for ${what}`);
		await sleep(300);
	}
}

const outboxSent = (id) =>
	until(async () => {
		const r = await asAdmin('GET', `/mail/outbox/${id}`);
		if (r.body && r.body.status === 'failed') throw new Error(`outbox ${id} failed: ${r.body.last_error}`);
		return r.body && r.body.status === 'sent';
	}, `outbox item ${id} to be sent`);

const timeline = () => page.getByRole('region', { name: 'Timeline' }).or(page.locator('section.timeline'));
const entry = (text) => page.locator('.tl-item').filter({ hasText: text });
const openContact = async (id) => {
	await page.goto(`${URL_}/contacts/${id}`);
	await timeline().first().waitFor();
	await page.locator('.tl-list').waitFor();
};
// The timeline entry with text, reloading the contact until it is there (mail lands after the send).
async function waitEntry(text) {
	await until(async () => {
		await openContact(SEED.olivia);
		return (await entry(text).count()) > 0;
	}, `a timeline entry "${text}"`);
	return entry(text).first();
}
const mailNotes = async (call) =>
	((await call('GET', '/notifications')).body.items || []).filter((n) => n.kind === 'mail').map((n) => n.title);

await step('login', () => login(page));

// ---- defect 1: sent mail is credited to who caused it ----
let oldMsg = null;
await step('reply_credited_to_maria', async () => {
	const t = await asMaria('GET', `/mail/threads/${SEED.old_thread}`);
	expect(t.status === 200, `thread: ${t.status}`);
	oldMsg = t.body.messages[0].id;
	const r = await asMaria('POST', '/mail/messages', {
		account: 'sales',
		in_reply_to: oldMsg,
		to: ['olivia@acme.test'],
		subject: 'Re: Old question about pricing',
		text: 'Here is the price list you asked for.',
	});
	expect(r.status === 202, `send: ${r.status} ${JSON.stringify(r.body)}`);
	await outboxSent(r.body.id);
	const e = await waitEntry('Re: Old question about pricing');
	const actor = (await e.locator('.tl-actor').allInnerTexts()).join(' ');
	expect(actor === 'María García', `the reply is credited to "${actor}"`);
	await shot(page, 'timeline-reply-credited');
});

await step('invitation_credited_to_maria', async () => {
	const start = new Date(clockNow().getTime() + 2 * 86400e3);
	start.setUTCMinutes(0, 0, 0);
	const m = await asMaria('POST', '/meetings', {
		title: 'Pricing review',
		starts_at: start.toISOString(),
		ends_at: new Date(start.getTime() + 3600e3).toISOString(),
		attendees: [{ contact_id: SEED.olivia }],
	});
	expect(m.status === 201, `meeting: ${m.status} ${JSON.stringify(m.body)}`);
	SEED.meeting = m.body.id;
	const inv = await asMaria('POST', `/meetings/${m.body.id}/invite`, {});
	expect(inv.status === 200, `invite: ${inv.status} ${JSON.stringify(inv.body)}`);
	await outboxSent(inv.body.outbox_id);
	const e = await waitEntry('Invitation: Pricing review');
	const actor = (await e.locator('.tl-actor').allInnerTexts()).join(' ');
	expect(actor === 'María García', `the invitation is credited to "${actor}"`);
});

await step('rule_mail_credited_to_parley', async () => {
	const o = await asMaria('POST', '/orders', {
		contact_id: SEED.olivia,
		items: [{ sku: 'BOT-1', name: 'Robot arm', qty: 1, price: 120000 }],
		currency: 'EUR',
	});
	expect(o.status === 201, `order: ${o.status} ${JSON.stringify(o.body)}`);
	const e = await waitEntry('Thank you for your order, Olivia');
	const actor = (await e.locator('.tl-actor').allInnerTexts()).join(' ');
	expect(actor === 'Parley', `the rule's thank-you mail is credited to "${actor}"`);
	await e.scrollIntoViewIfNeeded();
	await shot(page, 'timeline-rule-mail-parley');
});

// ---- defect 2: notifications of client mail ----
await step('no_notification_for_old_mail', async () => {
	const admin = await mailNotes(asAdmin);
	const maria = await mailNotes(asMaria);
	expect(!admin.length && !maria.length, `old mail notified: admin ${JSON.stringify(admin)}, María ${JSON.stringify(maria)}`);
});

await step('new_mail_notifies_contact_owner', async () => {
	await page.goto(`${URL_}/inbox`);
	await heading(page, 'Inbox').waitFor();
	deliver('alice', 'Olivia Buyer', 'olivia@acme.test', 'New order question', 'Can we add two more robot arms to the order?');
	await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).waitFor({ timeout: 25000 });
	await page.getByRole('button', { name: /^Notifications, \d+ unread$/ }).click();
	await page
		.getByRole('region', { name: 'Notifications' })
		.getByRole('button', { name: /^Unread: Mail from Olivia Buyer/ })
		.waitFor();
	await shot(page, 'notification-contact-owner');
	await page.keyboard.press('Escape');
	const admin = await mailNotes(asAdmin);
	expect(!admin.length, `the admin was notified too: ${JSON.stringify(admin)}`);
});

await step('new_mail_notifies_deal_owner', async () => {
	deliver('alice', 'Dan Nobody', 'dan@acme.test', 'Rollout dates', 'When does the rollout start?');
	await until(async () => (await mailNotes(asMaria)).some((t) => /Dan Nobody/.test(t)), 'María to hear of the mail from Dan (her deal)');
	const admin = await mailNotes(asAdmin);
	expect(!admin.length, `the admin was notified: ${JSON.stringify(admin)}`);
});

// ---- defect 3: new mail arrives live in an open inbox ----
await step('inbox_shows_new_mail_live', async () => {
	await page.goto(`${URL_}/inbox`);
	await heading(page, 'Inbox').waitFor();
	await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /Rollout dates/ }).waitFor();
	// A marker that a reload would lose, and a second stream that records what the server pushes.
	await page.evaluate(() => {
		window.__noReload = true;
		window.__mail = [];
		const es = new EventSource('/api/v1/events/stream');
		es.addEventListener('mail', (e) => window.__mail.push(JSON.parse(e.data)));
		window.__probe = es;
	});
	await sleep(1000);
	deliver('alice', 'Olivia Buyer', 'olivia@acme.test', 'Live question', 'Is the new price final?');
	await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /Live question/ }).waitFor({ timeout: 25000 });
	expect(await page.evaluate(() => window.__noReload === true), 'the page reloaded');
	await shot(page, 'inbox-live');
});

await step('stream_only_mail_she_may_see', async () => {
	deliver('carol', 'Olivia Buyer', 'olivia@acme.test', 'Private live note', 'For the admin only.');
	const t = await until(async () => {
		const r = await asAdmin('GET', `/mail/threads?q=${encodeURIComponent('subject:"Private live note"')}`);
		return r.body.items && r.body.items[0];
	}, 'the private mail to sync');
	await sleep(3000);
	const got = await page.evaluate(() => window.__mail);
	expect(got.some((m) => m.thread_id), `no mail event at all: ${JSON.stringify(got)}`);
	expect(!got.some((m) => m.thread_id === t.id), `María's stream got the admin's private mail: ${JSON.stringify(got)}`);
	expect((await page.getByText('Private live note').count()) === 0, 'the private mail shows in her inbox');
	const links = ((await asMaria('GET', '/notifications')).body.items || []).map((n) => n.link);
	expect(!links.includes(`/mail/threads/${t.id}`), `María was notified of the admin's private mail: ${JSON.stringify(links)}`);
	await page.evaluate(() => window.__probe.close());
});

// ---- deliver 5: timeline entries open what they are ----
await step('timeline_mail_shows_sender_and_snippet_and_opens_thread', async () => {
	await openContact(SEED.olivia);
	const e = entry('New order question').first();
	await e.waitFor();
	const text = await e.innerText();
	expect(/Olivia Buyer/.test(text), `no sender in: ${text}`);
	expect(/two more robot arms/.test(text), `no snippet in: ${text}`);
	await shot(page, 'timeline-entries');
	await e.getByRole('link', { name: /New order question/ }).click();
	await heading(page, 'New order question').waitFor();
	expect(/^\/mail\/threads\/\d+$/.test(new URL(page.url()).pathname), `at ${page.url()}`);
});

await step('timeline_task_opens_task', async () => {
	const t = await asMaria('POST', '/tasks', { title: 'Send the revised quote', contact_id: SEED.olivia });
	expect(t.status === 201, `task: ${t.status} ${JSON.stringify(t.body)}`);
	await openContact(SEED.olivia);
	await entry('Send the revised quote').first().getByRole('link', { name: /Send the revised quote/ }).click();
	await heading(page, 'Tasks').waitFor();
	expect(new URL(page.url()).pathname === `/tasks/${t.body.id}`, `at ${page.url()}`);
});

await step('timeline_meeting_opens_meeting', async () => {
	await openContact(SEED.olivia);
	await entry('Meeting: Pricing review').first().getByRole('link', { name: /Pricing review/ }).click();
	await heading(page, 'Calendar').waitFor();
	expect(new URL(page.url()).searchParams.get('meeting') === String(SEED.meeting), `at ${page.url()}`);
	await page.getByRole('dialog').waitFor();
});

await done();
