// The Today page (issue 12) as María, a demo manager, then as James: run by
// tests/integration/test_ui_today.sh, which loads `parley demo` and gives
// María a meeting now, an overdue task, a task due later today, a
// notification and a mention ($SEED). Each kind shows, each action works in
// place (open, reply, done, snooze kept on the server), the bell counts the
// overdue tasks, the menu shows the counts, and James sees none of María's
// items. Prints "# today_load_ms=N" (not a timed test: a figure).
import { done, expect, heading, openBrowser, SEED, shot, step, URL_ } from './harness.mjs';

const page = await openBrowser();
const feed = () => page.getByRole('list', { name: 'Your day' });
const item = (key) => page.locator(`.today-item[data-key="${key}"]`);
const kinds = () => page.locator('.today-item').evaluateAll((els) => els.map((e) => e.dataset.kind));
const api = async (path, init) => {
	const r = await page.request.fetch(URL_ + '/api/v1' + path, init);
	return { status: r.status(), body: r.status() === 204 ? null : await r.json() };
};
const zone = () => page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone);

async function loginAs(email) {
	await page.goto(URL_ + '/');
	await page.getByLabel('Email').fill(email);
	await page.getByLabel('Password').fill(SEED.password);
	await page.getByRole('button', { name: 'Log in' }).click();
	await heading(page, 'Today').waitFor();
}

await step('login_lands_on_today', async () => {
	await loginAs(SEED.maria);
	expect(new URL(page.url()).pathname === '/today', `landed on ${page.url()}`);
	const first = await page.getByRole('navigation', { name: 'Main' }).getByRole('link').first().textContent();
	expect(/^Today/.test(first), `the menu starts with ${first}`);
});

await step('each_kind_in_the_feed', async () => {
	await feed().waitFor();
	await item(`meeting:${SEED.meeting}`).getByText('Pipeline review').waitFor();
	await item(`task:${SEED.late}`).getByText(/Overdue, was due/).waitFor();
	await item(`task:${SEED.due}`).getByText(/^Due /).waitFor();
	await page.locator('.today-item[data-kind="mail"]').getByText(SEED.mail_subject, { exact: true }).first().waitFor();
	await page.locator('.today-item[data-kind="mention"]').getByText(/@maria\.lopez/).waitFor();
	await page.locator('.today-item[data-kind="notification"]').getByText(/Task for you: Prepare the quarterly forecast/).waitFor();
	const k = await kinds();
	for (const want of ['meeting', 'overdue', 'task', 'mail', 'mention', 'notification']) expect(k.includes(want), `no ${want} in ${k}`);
	expect(k.indexOf('meeting') < k.indexOf('overdue') && k.indexOf('overdue') < k.indexOf('task'), `order ${k}`);
	await shot(page, 'today');
});

await step('menu_counts', async () => {
	const { body } = await api(`/today/counts?timezone=${encodeURIComponent(await zone())}`);
	const nav = page.getByRole('navigation', { name: 'Main' });
	await page.waitForFunction((n) => document.querySelector('.nav-count[data-count="total"]')?.textContent === String(n), body.total);
	const t = await nav.getByRole('link', { name: 'Today', exact: true }).getAttribute('title');
	expect(t === `${body.total} items`, `Today's title: ${t}`);
	expect(body.unread_mail > 0, `unread_mail ${body.unread_mail}`);
	const inbox = await nav.locator('.nav-count[data-count="unread_mail"]').textContent();
	expect(inbox === String(body.unread_mail), `Inbox shows ${inbox}, API ${body.unread_mail}`);
});

await step('bell_counts_overdue_tasks', async () => {
	const { body } = await api(`/today/counts?timezone=${encodeURIComponent(await zone())}`);
	expect(body.overdue_tasks >= 1, `overdue ${body.overdue_tasks}`);
	const bell = page.getByRole('button', { name: /^Notifications, \d+ unread, \d+ overdue tasks?$/ });
	await bell.waitFor();
	const label = await bell.getAttribute('aria-label');
	expect(label.includes(`${body.overdue_tasks} overdue task`), label);
	const shown = await page.locator('.bell-count').textContent();
	expect(Number(shown) === body.unread_notifications + body.overdue_tasks, `bell shows ${shown}, API ${JSON.stringify(body)}`);
	await bell.click();
	await page.getByRole('region', { name: 'Notifications' }).getByRole('link', { name: /overdue tasks?: see Today/ }).waitFor();
	await page.keyboard.press('Escape');
});

await step('reply_opens_the_reply', async () => {
	const mail = page.locator('.today-item[data-kind="mail"]').filter({ hasText: SEED.mail_subject }).first();
	await mail.getByRole('button', { name: 'Reply' }).click();
	const dialog = page.getByRole('dialog');
	await dialog.waitFor();
	const subject = await dialog.getByLabel('Subject').inputValue();
	expect(/^Re:/i.test(subject) && subject.includes(SEED.mail_subject.replace(/^Re:\s*/i, '')), `subject ${subject}`);
	await shot(page, 'today-reply');
	await page.keyboard.press('Escape');
	await dialog.waitFor({ state: 'detached' });
	expect(new URL(page.url()).pathname === '/today', `left Today for ${page.url()}`);
});

await step('open_goes_to_the_thing', async () => {
	const mail = page.locator('.today-item[data-kind="mail"]').filter({ hasText: SEED.mail_subject }).first();
	await mail.locator('.today-title').click();
	await page.waitForURL(`**/mail/threads/${SEED.mail_thread}`);
	// the conversation marks its mail read as it opens; then it leaves Today
	const z = encodeURIComponent(await zone());
	for (let i = 0; i < 40 && (await api(`/today?timezone=${z}`)).body.items.some((x) => x.key === `thread:${SEED.mail_thread}`); i++)
		await page.waitForTimeout(200);
	await page.goBack();
	await heading(page, 'Today').waitFor();
	await page.reload();
	await feed().waitFor();
	expect(!(await item(`thread:${SEED.mail_thread}`).count()), 'the conversation read is still on Today');
	await item(`meeting:${SEED.meeting}`).getByRole('button', { name: 'Open' }).click();
	await page.waitForURL(`**/calendar?*meeting=${SEED.meeting}*`);
	await page.goBack();
	await heading(page, 'Today').waitFor();
});

await step('done_removes_a_task', async () => {
	await item(`task:${SEED.late}`).getByRole('button', { name: 'Done' }).click();
	await item(`task:${SEED.late}`).waitFor({ state: 'detached' });
	const { body } = await api(`/tasks/${SEED.late}`);
	expect(body.status === 'done', `task is ${body.status}`);
	await page.reload();
	await feed().waitFor();
	expect(!(await item(`task:${SEED.late}`).count()), 'the done task came back');
});

await step('done_marks_a_notification_read', async () => {
	const n = page.locator('.today-item[data-kind="notification"]').filter({ hasText: 'Prepare the quarterly forecast' });
	const id = Number((await n.getAttribute('data-key')).split(':')[1]);
	await n.getByRole('button', { name: 'Done' }).click();
	await n.waitFor({ state: 'detached' });
	const { body } = await api('/notifications');
	expect(body.items.find((x) => x.id === id).read === true, 'the notification is still unread');
});

await step('snooze_hides_until_its_time', async () => {
	const t = item(`task:${SEED.due}`);
	await t.getByRole('button', { name: /^Snooze/ }).click();
	await page.getByRole('menuitem', { name: 'Later today' }).click();
	await t.waitFor({ state: 'detached' });
	await page.getByText(/Snoozed until/).first().waitFor();
	const mail = page.locator('.today-item[data-kind="mail"]').last();
	const thread = (await mail.getAttribute('data-key')).split(':')[1];
	await mail.getByRole('button', { name: /^Snooze/ }).click();
	await page.getByRole('menuitem', { name: 'Tomorrow morning' }).click();
	await item(`thread:${thread}`).waitFor({ state: 'detached' });
	// Kept on the server: gone after a reload, and the feed says until when.
	await page.reload();
	await feed().waitFor();
	expect(!(await item(`task:${SEED.due}`).count()) && !(await item(`thread:${thread}`).count()), 'a snoozed item is back after a reload');
	const { body } = await api(`/today?timezone=${encodeURIComponent(await zone())}`);
	expect(body.counts.snoozed === 2, `snoozed ${body.counts.snoozed}`);
	// Until tomorrow morning: snoozing again answers the stored time, 08:00 tomorrow here.
	const r = await api(`/today/snoozes/thread/${thread}`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': await csrf() },
		data: { until: 'tomorrow', timezone: await zone() },
	});
	expect(r.status === 200 && r.body.until === body.tomorrow_morning, `until ${JSON.stringify(r.body)} vs ${body.tomorrow_morning}`);
	const local = await page.evaluate((u) => [new Date(u).getHours(), new Date(u).getMinutes()], r.body.until);
	expect(local[0] === 8 && local[1] === 0, `tomorrow morning is ${local}`);
});

await step('undo_a_snooze', async () => {
	const n = page.locator('.today-item[data-kind="mention"]').first();
	const key = await n.getAttribute('data-key');
	await n.getByRole('button', { name: /^Snooze/ }).click();
	await page.getByRole('menuitem', { name: 'Later today' }).click();
	await item(key).waitFor({ state: 'detached' });
	await page.locator('.toast').filter({ hasText: 'Snoozed until' }).last().getByRole('button', { name: 'Undo' }).click();
	await item(key).waitFor();
});

async function csrf() {
	const s = await api('/session');
	return s.body.csrf_token;
}

await step('load_time', async () => {
	const t0 = Date.now();
	await page.goto(URL_ + '/today');
	await feed().waitFor();
	const ms = Date.now() - t0;
	console.log(`# today_load_ms=${ms} (page load to the feed shown, demo data, asan build)`);
});

await step('phone_and_dark', async () => {
	await page.setViewportSize({ width: 390, height: 844 });
	await feed().waitFor();
	const wide = await page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth + 1);
	expect(!wide, 'the page scrolls sideways on a phone');
	await shot(page, 'today-phone');
	await page.setViewportSize({ width: 1280, height: 800 });
	await page.emulateMedia({ colorScheme: 'dark' });
	await shot(page, 'today-dark');
	await page.emulateMedia({ colorScheme: 'light' });
});

await step('james_sees_none_of_marias_items', async () => {
	await page.context().clearCookies();
	await loginAs(SEED.james);
	await feed().waitFor();
	await item(`task:${SEED.jtask}`).waitFor();
	for (const key of [`task:${SEED.due}`, `meeting:${SEED.meeting}`]) expect(!(await item(key).count()), `James sees ${key}`);
	expect(!(await page.locator('.today-item[data-kind="mention"]').count()), 'James sees a mention of María');
	expect(!(await page.getByText('Prepare the quarterly forecast').count()), 'James sees María’s notification');
	await shot(page, 'today-james');
});

await done();
