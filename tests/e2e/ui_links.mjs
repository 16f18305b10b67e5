// Mail and the records it links to, as Bea (a manager) uses them against a
// parley syncing real mailboxes (tests/integration/test_ui_links.sh sets it
// up): "Links…" on a conversation, contacts that pick up their past mail,
// and finding mail (names and relative dates in the search box, filters,
// saved searches, bulk actions on ticked conversations).
import { done, expect, heading, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const api = async (path) => (await page.request.get(URL_ + '/api/v1' + path)).json();
const timeline = () => page.locator('.tl-list');
const tlTexts = async () => page.locator('.tl-list .tl-text').allInnerTexts();

async function openLinks(msgIndex) {
	const m = page.locator('.message').nth(msgIndex);
	await page.waitForTimeout(300); // the thread opens its newest and unread messages once loaded
	if ((await m.locator('.message-head').getAttribute('aria-expanded')) !== 'true') await m.locator('.message-head').click();
	await m.getByRole('button', { name: 'Links…' }).click();
	return page.getByRole('dialog', { name: 'Linked records' });
}

async function addDeal(d, title) {
	await d.getByLabel('Add a deal').fill(title.split(' ')[0]);
	await d.getByRole('button', { name: title }).click();
	await d.locator('.link-chip').filter({ hasText: title }).waitFor();
}

await step('login', () => login(page));

// Defect 4: a deal link applied to one message only.
await step('links_apply_to_the_whole_conversation', async () => {
	await page.goto(URL_ + `/mail/threads/${SEED.ada_thread}`);
	await heading(page, 'Proposal for Q3').waitFor();
	const d = await openLinks(0);
	await addDeal(d, 'Q3 rollout');
	await shot(page, 'links-dialog');
	await d.getByRole('button', { name: 'Save links' }).click();
	await d.waitFor({ state: 'detached' });
	for (const id of [SEED.ada1, SEED.ada2]) {
		const m = await api(`/mail/messages/${id}`);
		expect(m.links.deal_ids.includes(SEED.deal), `message ${id} links ${JSON.stringify(m.links)}`);
	}
	await page.goto(URL_ + `/deals/${SEED.deal}`);
	await timeline().getByText('Re: Proposal for Q3', { exact: true }).waitFor();
	const texts = await tlTexts();
	expect(texts.includes('Proposal for Q3') && texts.includes('Re: Proposal for Q3'), `deal timeline: ${texts.join(' | ')}`);
	expect(!texts.some((t) => /private note/.test(t)), `a message Bea may not see: ${texts.join(' | ')}`);
	await shot(page, 'deal-timeline-conversation');
});

await step('links_only_this_message', async () => {
	await page.goto(URL_ + '/inbox?q=' + encodeURIComponent('subject:"pricing question"'));
	await page.getByRole('list', { name: 'Conversations' }).getByRole('link', { name: /Pricing question/ }).click();
	await heading(page, 'Pricing question').waitFor();
	const d = await openLinks(1);
	await d.getByLabel('Only this message').check();
	await addDeal(d, 'Q3 rollout');
	await d.getByRole('button', { name: 'Save links' }).click();
	await d.waitFor({ state: 'detached' });
	const [m1, m2] = [await api(`/mail/messages/${SEED.pq1}`), await api(`/mail/messages/${SEED.pq2}`)];
	expect(m2.links.deal_ids.includes(SEED.deal), `the chosen message: ${JSON.stringify(m2.links)}`);
	expect(!m1.links.deal_ids.includes(SEED.deal), `the other message: ${JSON.stringify(m1.links)}`);
});

// Defect 5: a new contact did not pick up past mail from its address.
await step('new_contact_picks_up_past_mail', async () => {
	await page.goto(URL_ + '/contacts/new');
	await heading(page, 'New contact').waitFor();
	await page.getByLabel('First name').fill('Grace');
	await page.getByLabel('Last name').fill('Hopper');
	await page.getByLabel('Email addresses').fill('grace@globex.test');
	await page.getByRole('button', { name: 'Create contact' }).click();
	await heading(page, /Grace Hopper/).waitFor();
	await timeline().getByText('Globex pricing', { exact: true }).waitFor();
	await timeline().getByText('Intro for Grace', { exact: true }).waitFor();
	const texts = await tlTexts();
	expect(!texts.includes('Globex purchase order'), `mail of another address: ${texts.join(' | ')}`);
	await shot(page, 'contact-past-mail');
});

await done();
