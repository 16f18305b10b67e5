// The conversation side panel, @mentions in notes and internal comments, as
// a manager uses them (tests/integration/test_ui_panel.sh sets up the mail):
// the correspondent's contact, company, open deals, "Link to deal",
// "New deal", recent activity, "Follow up"; "Create contact from sender";
// "@James" in a note; comments on a thread.
import { clockNow, done, expect, login, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const api = async (path) => (await page.request.get(URL_ + '/api/v1' + path)).json();
const panel = () => page.getByRole('complementary', { name: 'About this conversation' });
// Toasts cover the panel's corner: close them before a screenshot.
const calm = async () => {
	for (const b of await page.getByRole('button', { name: /Dismiss|Close/ }).all()) await b.click().catch(() => {});
	await page.evaluate(() => window.scrollTo(0, 0));
};
const ymd = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
const inDays = (n) => {
	const d = clockNow();
	return new Date(d.getFullYear(), d.getMonth(), d.getDate() + n, 12);
};

await step('login', async () => {
	await login(page);
});

await step('panel_shows_contact_company_deals', async () => {
	await page.goto(`${URL_}/mail/threads/${SEED.ada_thread}`);
	const p = panel();
	await p.getByRole('link', { name: 'Ada Lovelace' }).waitFor();
	await p.getByRole('link', { name: 'Acme Robotics' }).waitFor();
	await p.getByRole('list', { name: 'Open deals' }).getByRole('link', { name: 'Robot arms' }).waitFor();
	await p.getByRole('list', { name: 'Open deals' }).getByRole('link', { name: 'Service plan' }).waitFor();
	await p.getByRole('heading', { name: 'Recent activity' }).waitFor();
	await p.getByRole('list', { name: 'Recent activity' }).waitFor();
});

await step('panel_link_to_deal', async () => {
	await panel().getByRole('button', { name: 'Link to deal Robot arms' }).click();
	await panel().getByRole('list', { name: 'Open deals' }).getByText('Linked').waitFor();
	await page.getByRole('region', { name: 'Linked records' }).getByRole('link', { name: 'Robot arms' }).waitFor();
	const t = await api(`/mail/threads/${SEED.ada_thread}`);
	expect(t.links.deal_ids.includes(SEED.arms) && !t.links.deal_ids.includes(SEED.service), `thread links ${JSON.stringify(t.links)}`);
});

await step('panel_follow_up_tomorrow', async () => {
	await panel().getByRole('group', { name: 'Follow up' }).getByRole('button', { name: 'Tomorrow' }).click();
	await panel().getByRole('list', { name: 'Follow-up tasks' }).getByText('Follow up: Robot arm quote').waitFor();
	const r = await api(`/tasks?thread=${SEED.ada_thread}`);
	expect(r.items.length === 1, `${r.items.length} tasks on the thread`);
	const task = r.items[0];
	expect(task.contact_id === SEED.ada, `task contact ${task.contact_id}`);
	expect(ymd(new Date(task.due_at)) === ymd(inDays(1)), `due ${task.due_at}, tomorrow is ${ymd(inDays(1))}`);
	await calm();
	await shot(page, 'side-panel');
});

await step('panel_new_deal', async () => {
	await panel().getByRole('button', { name: 'New deal' }).click();
	const d = page.getByRole('dialog', { name: 'New deal' });
	expect((await d.getByLabel('Title').inputValue()) === 'Robot arm quote', 'title not prefilled with the subject');
	await d.getByLabel('Title').fill('Arm spares');
	await d.getByLabel('Amount').fill('950');
	await d.getByRole('button', { name: 'Create deal' }).click();
	await d.waitFor({ state: 'detached' });
	await panel().getByRole('list', { name: 'Open deals' }).getByRole('link', { name: 'Arm spares' }).waitFor();
	const deals = await api(`/deals?contact=${SEED.ada}`);
	const spares = deals.items.find((x) => x.title === 'Arm spares');
	expect(spares && spares.amount === 95000 && spares.company_id === SEED.acme, JSON.stringify(spares));
	const t = await api(`/mail/threads/${SEED.ada_thread}`);
	expect(t.links.deal_ids.includes(spares.id), `thread links ${JSON.stringify(t.links)}`);
});

await step('panel_create_contact_from_sender', async () => {
	await page.goto(`${URL_}/mail/threads/${SEED.carl_thread}`);
	await panel().getByText('is not a contact yet').waitFor();
	await panel().getByRole('button', { name: 'Create contact from sender' }).click();
	const d = page.getByRole('dialog', { name: 'Create contact from sender' });
	expect((await d.getByLabel('First name').inputValue()) === 'Carl', 'first name');
	expect((await d.getByLabel('Last name').inputValue()) === 'Stranger', 'last name');
	expect((await d.getByLabel('Email address').inputValue()) === 'carl@newco.test', 'address');
	await d.getByRole('button', { name: 'Create contact' }).click();
	await d.waitFor({ state: 'detached' });
	await panel().getByRole('link', { name: 'Carl Stranger' }).waitFor();
	await panel().getByText('No open deals with Carl Stranger.').waitFor();
});

await step('panel_follow_up_on_a_date', async () => {
	const day = inDays(10);
	await panel().getByLabel('On a date').fill(ymd(day));
	await panel().getByRole('button', { name: 'Set' }).click();
	await panel().getByRole('list', { name: 'Follow-up tasks' }).getByText('Follow up: Interested in your printers').waitFor();
	const r = await api(`/tasks?thread=${SEED.carl_thread}`);
	const c = await api(`/contacts?email=carl@newco.test`);
	expect(r.items.length === 1 && ymd(new Date(r.items[0].due_at)) === ymd(day), JSON.stringify(r.items));
	expect(r.items[0].contact_id === c.items[0].id, `contact ${r.items[0].contact_id}`);
});

await step('follow_up_task_opens_the_conversation', async () => {
	await page.goto(`${URL_}/tasks`);
	const row = page.locator('.task').filter({ hasText: 'Follow up: Robot arm quote' });
	await row.getByRole('link', { name: 'Open the conversation' }).click();
	await page.getByRole('heading', { level: 1, name: 'Robot arm quote' }).waitFor();
	expect(new URL(page.url()).pathname === `/mail/threads/${SEED.ada_thread}`, page.url());
	await page.goto(`${URL_}/mail/threads/${SEED.carl_thread}`);
	await panel().getByRole('heading', { name: 'Follow up' }).waitFor();
});

await step('panel_phone_width', async () => {
	await page.setViewportSize({ width: 390, height: 844 });
	await panel().getByRole('heading', { name: 'Follow up' }).waitFor();
	const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
	expect(!wide, 'the page scrolls sideways at 390 px');
	await page.setViewportSize({ width: 1280, height: 800 });
});

// Defect 8: "@James" in a note notified nobody and said nothing.
await step('note_mention_autocomplete_by_name', async () => {
	await page.goto(`${URL_}/contacts/${SEED.ada}`);
	const box = page.getByLabel('Note', { exact: true });
	await box.click();
	await box.pressSequentially('Quote sent, @Jam');
	const list = page.getByRole('listbox', { name: 'People to mention' });
	await list.getByRole('option', { name: /James Watt/ }).waitFor();
	await page.keyboard.press('Enter');
	expect((await box.inputValue()) === 'Quote sent, @James Watt ', `text is "${await box.inputValue()}"`);
	await list.waitFor({ state: 'detached' });
	await box.pressSequentially('please call her.');
	await page.getByRole('button', { name: 'Add note' }).click();
	await page.getByText('Note added').first().waitFor();
	const notes = await api(`/notes?contact=${SEED.ada}`);
	const n = notes.items.find((x) => x.body.startsWith('Quote sent'));
	expect(n && n.mention_ids.length === 1 && n.mention_ids[0] === SEED.james, `note ${JSON.stringify(n)}`);
});

await step('note_mention_typed_name_resolves', async () => {
	const box = page.getByLabel('Note', { exact: true });
	await box.fill('Ask @james about the spares');
	await page.getByRole('status').filter({ hasText: 'Will notify James Watt' }).waitFor();
});

await step('note_mention_matching_nobody_warns', async () => {
	const box = page.getByLabel('Note', { exact: true });
	await box.fill('Ask @Jmes about it');
	const warn = page.locator('.mention-warning');
	await warn.waitFor();
	const text = await warn.innerText();
	expect(/@Jmes/.test(text) && /nobody/i.test(text), `warning: ${text}`);
	await shot(page, 'mention-warning');
	await box.fill('');
});

// Deliver 3: internal comments on a thread, with the same @-autocomplete.
await step('thread_comment_with_mention', async () => {
	await page.goto(`${URL_}/mail/threads/${SEED.ada_thread}`);
	const region = page.getByRole('region', { name: /Internal comments/ });
	await region.getByText('No comments yet').waitFor();
	const box = region.getByLabel('Comment', { exact: true });
	await box.click();
	await box.pressSequentially('@jam');
	await page.getByRole('listbox', { name: 'People to mention' }).getByRole('option', { name: /James Watt/ }).click();
	await box.pressSequentially('can you check the arm specs?');
	await region.getByRole('button', { name: 'Add comment' }).click();
	await region.getByRole('list', { name: 'Comments' }).getByText('@James Watt can you check the arm specs?').waitFor();
	const r = await api(`/mail/threads/${SEED.ada_thread}/comments`);
	expect(r.items.length === 1 && r.items[0].mention_ids[0] === SEED.james, JSON.stringify(r.items));
	await shot(page, 'thread-comments');
});

await step('thread_comment_on_timeline_as_internal', async () => {
	const tl = await api(`/contacts/${SEED.ada}/timeline`);
	const a = tl.items.find((x) => x.payload && x.payload.comment_id);
	expect(a && a.direction === 'internal', JSON.stringify(a));
	await page.goto(`${URL_}/contacts/${SEED.ada}`);
	await page.locator('.tl-item').filter({ hasText: 'can you check the arm specs?' }).getByText('Internal comment').waitFor();
});

await done();
