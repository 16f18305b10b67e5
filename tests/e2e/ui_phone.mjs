// Parley on a phone and in the dark (tests/integration/test_ui_phone.sh seeds
// it): at 390x844 with touch and a mobile viewport, no main screen scrolls
// sideways (a mobile browser widens the layout to fit what overflows, so the
// width is compared with the phone's 390 px, not with innerWidth alone), the
// deals board scrolls inside itself, a menu button opens the sections (below
// 1152 px; no width scrolls the page sideways), the
// calendar shows an agenda (also a view on wide screens); dark mode follows the
// system, the System / Light / Dark switch in Settings overrides it and is
// remembered, and its text colours keep a readable contrast; Settings is split
// into tabs whose tab is in the URL.
import { clockNow, done, expect, heading, login, openBrowser, SEED, shot, state, step, URL_, watch } from './harness.mjs';

const PHONE = 390;
const page = await openBrowser();
const p2 = (n) => String(n).padStart(2, '0');
const ymd = (d) => `${d.getFullYear()}-${p2(d.getMonth() + 1)}-${p2(d.getDate())}`;
const TODAY = ymd(clockNow());

await step('login', async () => {
	await login(page);
});

// A phone of its own, logged in with the desktop page's cookie.
async function phone(extra = {}) {
	const ctx = await state.browser.newContext({
		viewport: { width: PHONE, height: 844 },
		storageState: await state.context.storageState(),
		isMobile: true,
		hasTouch: true,
		...extra,
	});
	const p = await ctx.newPage();
	watch(p);
	p.setDefaultTimeout(8000);
	return p;
}

const widths = (p) =>
	p.evaluate(() => ({ scroll: document.scrollingElement.scrollWidth, inner: window.innerWidth, x: window.scrollX }));

async function noSideways(p, what) {
	const w = await widths(p);
	expect(w.scroll <= PHONE && w.inner <= PHONE, `${what}: the page is ${w.scroll} px wide (layout ${w.inner} px) on a ${PHONE} px phone`);
}

let ph;
await step('no_main_screen_scrolls_sideways_at_390', async () => {
	ph = await phone();
	const screens = [
		['/inbox', 'Inbox'],
		['/contacts', 'Contacts'],
		[`/contacts/${SEED.ada}`, /Ada Lovelace/],
		['/companies', 'Companies'],
		[`/companies/${SEED.acme}`, /Acme Robotics/],
		['/deals', 'Deals'],
		[`/deals/${SEED.deal}`, /Acme expansion number 1/],
		['/tasks', 'Tasks'],
		['/calendar', 'Calendar'],
		['/templates', 'Templates'],
		['/automation', 'Automation'],
		['/settings', 'Settings'],
	];
	const bad = [];
	for (const [path, h] of screens) {
		await ph.goto(URL_ + path);
		await heading(ph, h).waitFor();
		if (path === '/deals') await ph.locator('[data-deal]').first().waitFor();
		await ph.waitForTimeout(150);
		const w = await widths(ph);
		if (w.scroll > PHONE || w.inner > PHONE) bad.push(`${path} ${w.scroll}px`);
	}
	expect(!bad.length, `wider than the phone: ${bad.join(', ')}`);
});

await step('board_scrolls_inside_itself', async () => {
	await ph.goto(URL_ + '/deals');
	await ph.locator('[data-deal]').first().waitFor();
	await noSideways(ph, 'the deals board');
	const board = ph.getByRole('list', { name: 'Pipeline' });
	const box = await board.boundingBox();
	expect(box.x >= 0 && box.x + box.width <= PHONE, `the board is not within the screen: ${JSON.stringify(box)}`);
	const m = await board.evaluate((b) => ({ sw: b.scrollWidth, cw: b.clientWidth }));
	expect(m.sw > m.cw, `the board does not scroll: ${m.sw} <= ${m.cw}`);
	// A swipe on the board moves the board, never the page.
	await board.evaluate((b) => b.scrollBy({ left: 600, behavior: 'instant' }));
	await ph.waitForTimeout(300);
	const left = await board.evaluate((b) => b.scrollLeft);
	expect(left > 0, 'the board did not scroll');
	expect((await widths(ph)).x === 0, 'the page scrolled sideways');
	// One column is most of the screen: the next one peeks in as a hint.
	const col = await ph.locator('[data-stage]').first().boundingBox();
	expect(col.width >= 240 && col.width < PHONE - 20, `a column is ${col.width} px wide`);
	await board.evaluate((b) => b.scrollTo({ left: 0, behavior: 'instant' }));
	await ph.waitForTimeout(300);
	await ph.screenshot({ path: `${process.env.OUT_DIR}/phone-board.png` });
});

await step('menu_button_opens_the_sections', async () => {
	await ph.goto(URL_ + '/contacts');
	await heading(ph, 'Contacts').waitFor();
	const nav = ph.getByRole('navigation', { name: 'Main' });
	const button = ph.getByRole('button', { name: 'Menu', exact: true });
	expect(await button.isVisible(), 'no Menu button on a phone');
	expect((await button.getAttribute('aria-expanded')) === 'false', 'the menu starts open');
	await button.click();
	expect((await button.getAttribute('aria-expanded')) === 'true', 'aria-expanded is not true when open');
	const names = ['Inbox', 'Contacts', 'Companies', 'Deals', 'Tasks', 'Calendar', 'Templates', 'Automation', 'Settings'];
	for (const n of names) {
		const link = nav.getByRole('link', { name: n, exact: true });
		expect(await link.isVisible(), `${n} is not shown`);
		const b = await link.boundingBox();
		expect(b.x >= 0 && b.x + b.width <= PHONE && b.y >= 0 && b.y + b.height <= 844, `${n} is off screen: ${JSON.stringify(b)}`);
	}
	await noSideways(ph, 'the open menu');
	await shot(ph, 'phone-menu');
	// Escape closes it and gives the focus back to the button.
	await ph.keyboard.press('Escape');
	expect((await button.getAttribute('aria-expanded')) === 'false', 'Escape did not close the menu');
	expect(await button.evaluate((b) => b === document.activeElement), 'the focus did not go back to the Menu button');
	// A section chosen from the menu opens and the menu closes.
	await button.click();
	await nav.getByRole('link', { name: 'Automation', exact: true }).click();
	await heading(ph, 'Automation').waitFor();
	expect((await button.getAttribute('aria-expanded')) === 'false', 'the menu stayed open after choosing a section');
	expect(!(await nav.getByRole('link', { name: 'Templates', exact: true }).isVisible()), 'the sections still cover the screen');
});

await step('calendar_agenda_on_a_phone', async () => {
	await ph.goto(URL_ + '/calendar');
	await heading(ph, 'Calendar').waitFor();
	const agenda = ph.getByRole('region', { name: 'Agenda' });
	await agenda.waitFor();
	expect((await ph.getByRole('button', { name: 'Agenda', exact: true, pressed: true }).count()) === 1, 'Agenda is not the pressed view');
	const day = agenda.getByRole('group', { name: new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' }).format(clockNow()) });
	expect((await day.getAttribute('aria-current')) === 'date', 'today is not marked');
	const kick = day.getByRole('button', { name: /Kick-off with Ada/ });
	await kick.waitFor();
	await day.getByRole('button', { name: /Call: Pricing call/ }).waitFor();
	// In order, and as wide as the screen allows (not a seventh of it).
	const k = await kick.boundingBox();
	const c = await day.getByRole('button', { name: /Pricing call/ }).boundingBox();
	expect(k.y < c.y, 'the 9:00 meeting is not above the 15:00 call');
	expect(k.width > PHONE * 0.6, `a meeting is only ${k.width} px wide`);
	await noSideways(ph, 'the agenda');
	await ph.screenshot({ path: `${process.env.OUT_DIR}/phone-agenda.png` });
	await kick.click();
	await ph.getByRole('dialog', { name: 'Meeting' }).waitFor();
	expect(new URL(ph.url()).searchParams.get('view') === 'agenda', 'opening a meeting lost the agenda view');
	await ph.keyboard.press('Escape');
	await ph.getByRole('dialog').waitFor({ state: 'detached' });
	// The week is still there when asked for.
	await ph.getByRole('button', { name: 'Week', exact: true }).click();
	await ph.locator('.cal-week').waitFor();
	await ph.context().close();
});

await step('agenda_is_a_view_on_wide_screens', async () => {
	await page.goto(`${URL_}/calendar?date=${TODAY}`);
	await page.locator('.cal-week').waitFor();
	await page.getByRole('button', { name: 'Agenda', exact: true }).click();
	const agenda = page.getByRole('region', { name: 'Agenda' });
	await agenda.getByRole('button', { name: /Kick-off with Ada/ }).waitFor();
	expect(new URL(page.url()).searchParams.get('view') === 'agenda', 'the view is not in the URL');
	expect(!(await page.getByRole('button', { name: 'Menu', exact: true }).isVisible()), 'the Menu button shows on a wide screen');
	await page.getByRole('button', { name: 'Next week' }).click();
	await agenda.getByRole('button', { name: /Kick-off with Ada/ }).waitFor({ state: 'detached' });
	await page.getByText('No meetings this week.').waitFor();
});

await step('top_bar_fits_every_width', async () => {
	// Tablets and small laptops too: the sections are either all in view or behind Menu.
	await page.goto(URL_ + '/contacts');
	await heading(page, 'Contacts').waitFor();
	const bad = [];
	for (const w of [320, 600, 800, 1000, 1024, 1100, 1152, 1280, 1440]) {
		await page.setViewportSize({ width: w, height: 800 });
		await page.waitForTimeout(100);
		const r = await page.evaluate(() => {
			const links = [...document.querySelectorAll('#main-nav a')].map((a) => a.getBoundingClientRect());
			const menu = document.querySelector('.menu-toggle').getBoundingClientRect();
			return {
				scroll: document.scrollingElement.scrollWidth,
				menu: menu.width > 0,
				shown: links.filter((l) => l.width > 0 && l.left >= 0 && l.right <= innerWidth).length,
				all: links.length,
			};
		});
		if (r.scroll > w) bad.push(`${w}: the page is ${r.scroll} px wide`);
		if (!r.menu && r.shown < r.all) bad.push(`${w}: ${r.all - r.shown} sections out of view and no Menu button`);
		if (r.menu && r.shown) bad.push(`${w}: a Menu button beside sections in view`);
	}
	await page.setViewportSize({ width: 1280, height: 800 });
	expect(!bad.length, bad.join('; '));
});

// ---- dark mode ----
// WCAG contrast of the palette's text pairs, read from the CSS variables.
const contrast = (p) =>
	p.evaluate(() => {
		const v = (n) => getComputedStyle(document.documentElement).getPropertyValue(n).trim();
		const rgb = (c) => {
			const h = c.replace('#', '');
			const f = h.length === 3 ? h.split('').map((x) => x + x) : h.match(/../g);
			return f.map((x) => parseInt(x, 16) / 255);
		};
		const lum = (c) => {
			const [r, g, b] = rgb(c).map((x) => (x <= 0.03928 ? x / 12.92 : ((x + 0.055) / 1.055) ** 2.4));
			return 0.2126 * r + 0.7152 * g + 0.0722 * b;
		};
		const ratio = (a, b) => {
			const [x, y] = [lum(v(a)), lum(v(b))].sort((m, n) => n - m);
			return (x + 0.05) / (y + 0.05);
		};
		const pairs = [
			['--text', '--bg'],
			['--text', '--panel'],
			['--muted', '--panel'],
			['--muted', '--bg'],
			['--accent', '--panel'],
			['--accent', '--accent-soft'],
			['--accent-ink', '--accent'],
			['--danger', '--danger-soft'],
			['--danger', '--panel'],
			['--ok', '--ok-soft'],
			['--warn', '--warn-soft'],
		];
		return { bg: v('--bg'), low: pairs.map(([a, b]) => [a, b, ratio(a, b)]).filter((x) => !(x[2] >= 4.5)) };
	});
const pageBg = (p) => p.evaluate(() => getComputedStyle(document.body).backgroundColor || getComputedStyle(document.documentElement).backgroundColor);
const isDark = async (p) => {
	const c = await p.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
	const [r, g, b] = c.match(/\d+/g).map(Number);
	return 0.2126 * r + 0.7152 * g + 0.0722 * b < 80;
};

let dark;
await step('dark_mode_follows_the_system', async () => {
	const ctx = await state.browser.newContext({ viewport: { width: 1280, height: 800 }, storageState: await state.context.storageState(), colorScheme: 'dark' });
	dark = await ctx.newPage();
	watch(dark);
	dark.setDefaultTimeout(8000);
	await dark.goto(URL_ + '/deals');
	await dark.locator('[data-deal]').first().waitFor();
	expect(await isDark(dark), `the page is light on a dark system: ${await pageBg(dark)}`);
	const c = await contrast(dark);
	expect(!c.low.length, `low contrast in dark mode: ${JSON.stringify(c.low)}`);
	const card = await dark.locator('.deal-card').first().evaluate((e) => getComputedStyle(e).backgroundColor);
	expect(!/255, 255, 255/.test(card), `a deal card is still white in dark mode: ${card}`);
	await shot(dark, 'dark-mode');
	await dark.goto(`${URL_}/contacts/${SEED.ada}`);
	await dark.locator('.tl-list').waitFor();
	await shot(dark, 'dark-mode-contact');
	await dark.emulateMedia({ colorScheme: 'light' });
	await dark.waitForTimeout(100);
	expect(!(await isDark(dark)), 'the page stayed dark when the system turned light');
	const l = await contrast(dark);
	expect(!l.low.length, `low contrast in light mode: ${JSON.stringify(l.low)}`);
	await dark.emulateMedia({ colorScheme: 'dark' });
});

await step('appearance_switch_is_remembered', async () => {
	await dark.goto(URL_ + '/settings');
	await heading(dark, 'Settings').waitFor();
	const group = dark.getByRole('radiogroup', { name: 'Appearance' });
	expect(await group.getByLabel('System').isChecked(), 'System is not the first choice');
	await group.getByLabel('Light').check();
	expect(!(await isDark(dark)), 'Light did not turn the page light');
	await dark.reload();
	await heading(dark, 'Settings').waitFor();
	expect(!(await isDark(dark)), 'Light was forgotten after a reload');
	expect(await dark.getByRole('radiogroup', { name: 'Appearance' }).getByLabel('Light').isChecked(), 'the switch does not show Light');
	await dark.emulateMedia({ colorScheme: 'light' });
	await dark.getByRole('radiogroup', { name: 'Appearance' }).getByLabel('Dark').check();
	expect(await isDark(dark), 'Dark did not turn the page dark on a light system');
	await dark.getByRole('radiogroup', { name: 'Appearance' }).getByLabel('System').check();
	expect(!(await isDark(dark)), 'System did not follow the light system');
	await dark.emulateMedia({ colorScheme: 'dark' });
	await dark.waitForTimeout(100);
	expect(await isDark(dark), 'System did not follow the system turning dark');
	await dark.context().close();
});

// ---- settings tabs ----
await step('settings_tabs_in_the_url', async () => {
	await page.goto(URL_ + '/settings');
	await heading(page, 'Settings').waitFor();
	const tabs = page.getByRole('tablist', { name: 'Settings' });
	expect((await tabs.getByRole('tab', { selected: true }).innerText()).trim() === 'Account', 'Account is not the first tab');
	await page.getByRole('tabpanel', { name: 'Account' }).getByRole('radiogroup', { name: 'Appearance' }).waitFor();
	await tabs.getByRole('tab', { name: 'API tokens' }).click();
	await page.getByRole('tabpanel', { name: 'API tokens' }).getByLabel('Token name').waitFor();
	expect(new URL(page.url()).searchParams.get('tab') === 'tokens', `the tab is not in the URL: ${page.url()}`);
	expect((await page.getByRole('radiogroup', { name: 'Appearance' }).count()) === 0, 'the Account tab is still shown');
	// A link to a tab opens it.
	await page.goto(URL_ + '/settings?tab=pipeline');
	await page.getByRole('tabpanel', { name: 'Pipeline' }).getByRole('heading', { name: 'Deal pipeline' }).waitFor();
	await page.goto(URL_ + '/settings/mail/sales');
	await page.getByRole('tabpanel', { name: 'Mail accounts' }).getByText('No mailbox connected.').waitFor();
	// Arrow keys move between tabs (and the URL follows).
	await page.goto(URL_ + '/settings?tab=users');
	await tabs.getByRole('tab', { name: 'Users' }).focus();
	await page.keyboard.press('ArrowRight');
	await page.getByRole('tabpanel', { name: 'API tokens' }).waitFor();
	expect(new URL(page.url()).searchParams.get('tab') === 'tokens', 'the arrow key did not change the URL');
	await page.goBack();
	await page.getByRole('tabpanel', { name: 'Users' }).waitFor();
	await page.goto(URL_ + '/settings?tab=users');
	await page.getByRole('tabpanel', { name: 'Users' }).getByRole('button', { name: 'Add user' }).waitFor();
	await page.goto(URL_ + '/settings');
	await page.getByRole('tabpanel', { name: 'Account' }).getByRole('radiogroup', { name: 'Appearance' }).waitFor();
	await shot(page, 'settings-tabs');
});

await done();
