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

// Deliver 4: finding things.
const rows = () => page.locator('.thread-item');
const list = () => page.getByRole('list', { name: 'Conversations' });
const subjects = async () => page.locator('.thread-item .thread-subject').evaluateAll((els) => els.map((e) => e.firstChild.textContent.trim()));
async function search(q) {
	await page.getByLabel('Search mail').fill(q);
	await page.keyboard.press('Enter');
	await page.waitForFunction((want) => new URL(location.href).searchParams.get('q') === want, q);
	await page.locator('[aria-label="Conversations"], .empty').first().waitFor();
	await page.waitForTimeout(400);
}
const same = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());

await step('search_by_company_and_contact_name', async () => {
	await page.goto(URL_ + '/inbox');
	await list().waitFor();
	await search('company:"Acme Robotics"');
	let got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `company by name: ${got}`);
	await search('contact:"Ada Lovelace"');
	got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `contact by name: ${got}`);
	await search(`company:${SEED.acme}`);
	got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `company by id: ${got}`);
	await search('contact:"Grace Hopper"');
	got = await subjects();
	expect(same(got, ['Globex pricing', 'Intro for Grace']), `the new contact's past mail: ${got}`);
	await shot(page, 'search-company-name');
});

await step('search_relative_dates', async () => {
	await search('after:-30d');
	let got = await subjects();
	expect(got.includes("Last week's minutes") && !got.includes('Ancient history'), `after:-30d: ${got}`);
	await search('before:-7d');
	got = await subjects();
	expect(same(got, ['Ancient history', "Last week's minutes"]), `before:-7d: ${got}`);
	await search('after:-2w -after:-7d');
	got = await subjects();
	expect(same(got, ["Last week's minutes"]), `between: ${got}`);
});

await step('last_30_days_chip', async () => {
	await page.goto(URL_ + '/inbox');
	await list().getByRole('link', { name: /Ancient history/ }).waitFor();
	const chip = page.getByRole('group', { name: 'Quick filters' }).getByRole('button', { name: 'Last 30 days' });
	await chip.click();
	await list().getByRole('link', { name: /Ancient history/ }).waitFor({ state: 'detached' });
	expect((await chip.getAttribute('aria-pressed')) === 'true', 'chip not pressed');
	expect(new URL(page.url()).searchParams.get('since') === '30d', page.url());
	expect((await page.getByLabel('Date').inputValue()) === '30d', 'the date filter does not show it');
	await list().getByRole('link', { name: /Last week's minutes/ }).waitFor();
	await shot(page, 'last-30-days');
	await chip.click();
	await list().getByRole('link', { name: /Ancient history/ }).waitFor();
});

await step('company_and_date_filters', async () => {
	await page.getByLabel('Company').fill('Acme');
	await page.getByRole('button', { name: 'Acme Robotics' }).click();
	await page.getByRole('button', { name: 'Clear the company filter' }).waitFor();
	await list().getByRole('link', { name: /Ancient history/ }).waitFor({ state: 'detached' });
	let got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `company filter: ${got}`);
	expect(new URL(page.url()).searchParams.get('company') === String(SEED.acme), page.url());
	await page.getByLabel('Date').selectOption('7d');
	await page.waitForFunction(() => new URL(location.href).searchParams.get('since') === '7d');
	await page.waitForTimeout(400);
	got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `company and 7 days: ${got}`);
	await shot(page, 'company-and-date-filters');
	await page.getByRole('button', { name: 'Clear the company filter' }).click();
	await list().getByRole('link', { name: /Frequency hopping/ }).waitFor();
	await page.getByLabel('Date').selectOption('');
	await list().getByRole('link', { name: /Ancient history/ }).waitFor();
});

await step('saved_searches', async () => {
	const q = 'company:"Acme Robotics" after:-30d';
	await search(q);
	await page.getByRole('button', { name: 'Save this search' }).click();
	const d = page.getByRole('dialog', { name: 'Save this search' });
	await d.getByLabel('Name').fill('Acme, last 30 days');
	await d.getByRole('button', { name: 'Save search' }).click();
	await d.waitFor({ state: 'detached' });
	const group = page.getByRole('group', { name: 'Saved searches' });
	await group.getByRole('button', { name: 'Acme, last 30 days', exact: true }).waitFor();
	const saved = await api('/mail/searches');
	expect(saved.items.length === 1 && saved.items[0].q === q, JSON.stringify(saved));
	await page.goto(URL_ + '/inbox');
	await list().getByRole('link', { name: /Ancient history/ }).waitFor();
	await group.getByRole('button', { name: 'Acme, last 30 days', exact: true }).click();
	await list().getByRole('link', { name: /Ancient history/ }).waitFor({ state: 'detached' });
	expect(new URL(page.url()).searchParams.get('q') === q, page.url());
	const got = await subjects();
	expect(same(got, ['Proposal for Q3', 'Pricing question']), `saved search: ${got}`);
	await shot(page, 'saved-search');
	await page.reload();
	await group.getByRole('button', { name: 'Delete the saved search “Acme, last 30 days”' }).click();
	await group.getByRole('button', { name: 'Acme, last 30 days', exact: true }).waitFor({ state: 'detached' });
	expect((await api('/mail/searches')).items.length === 0, 'not deleted on the server');
});

await step('bulk_read_link_archive', async () => {
	await page.goto(URL_ + '/inbox');
	await list().getByRole('link', { name: /Ancient history/ }).waitFor();
	const ids = {};
	for (const t of (await api('/mail/threads?q=from:old')).items) ids[t.subject] = t.id;
	expect(ids['Ancient history'] && ids["Last week's minutes"], JSON.stringify(ids));
	await page.getByLabel('Select “Ancient history”').check();
	await page.getByLabel('Select “Last week\'s minutes”').check();
	const bar = page.getByRole('toolbar', { name: 'With the selected conversations' });
	await bar.getByText('2 selected').waitFor();
	await shot(page, 'bulk-selected');
	await bar.getByRole('button', { name: 'Mark read' }).click();
	await bar.waitFor({ state: 'detached' });
	for (const id of Object.values(ids)) {
		const t = await api(`/mail/threads/${id}`);
		expect(t.messages.every((m) => !m.unread), `thread ${id} still unread`);
	}
	await page.getByLabel('Select “Ancient history”').check();
	await page.getByLabel('Select “Last week\'s minutes”').check();
	await bar.getByRole('button', { name: 'Link…' }).click();
	const d = page.getByRole('dialog', { name: 'Link 2 conversations' });
	await d.getByLabel('A deal').fill('Q3');
	await d.getByRole('button', { name: 'Q3 rollout' }).click();
	await bar.waitFor({ state: 'detached' });
	for (const id of Object.values(ids)) {
		const t = await api(`/mail/threads/${id}`);
		expect(t.links.deal_ids.includes(SEED.deal), `thread ${id} links ${JSON.stringify(t.links)}`);
	}
	await page.getByLabel('Select “Ancient history”').check();
	await bar.getByRole('button', { name: 'Archive' }).click();
	await page.getByText('Archived: 1 conversation.').waitFor();
	let found = false;
	for (let i = 0; i < 30 && !found; i++) {
		found = (await api('/mail/threads?q=' + encodeURIComponent('in:archive'))).items.some((t) => t.subject === 'Ancient history');
		if (!found) await page.waitForTimeout(500);
	}
	expect(found, 'not in the Archive folder');
}, 40000);

await done();
