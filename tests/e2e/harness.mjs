// What every browser suite shares: chromium launched the same way, one
// "ok NAME" / "not ok NAME # why" line per step, screenshots in $OUT_DIR,
// console errors and CSP violations collected for a final check, logging in.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(new URL('../../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');

export const URL_ = process.env.PARLEY_URL;
export const OUT = process.env.OUT_DIR;
export const EMAIL = process.env.UI_EMAIL;
export const PASSWORD = process.env.UI_PASSWORD;
export const SEED = JSON.parse(process.env.SEED || '{}');
const STEP_TIMEOUT = Number(process.env.STEP_TIMEOUT || 15000);
// A moved clock (PARLEY_TEST_NOW in tests/lib/lib.sh): the server runs that
// many seconds ahead (or behind); the page gets Playwright's clock, installed
// at the same instant and running on from there, and the suites take "now"
// from clockNow(), never from new Date().
const SHIFT_MS = Number(process.env.PARLEY_TEST_SHIFT || 0) * 1000;
export const clockNow = () => new Date(Date.now() + SHIFT_MS);
// The browser's time zone: $TZ when it names one (Europe/Berlin), else the machine's.
const ZONE = /^[A-Za-z]+(\/[A-Za-z0-9_+-]+)*$/.test(process.env.TZ || '') ? process.env.TZ : undefined;

let failed = 0;
export const problems = []; // console errors and CSP violations, checked at the end
export const state = { page: null, browser: null, context: null };

export async function step(name, fn, timeout = STEP_TIMEOUT) {
	try {
		await Promise.race([
			fn(),
			new Promise((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeout} ms`)), timeout)),
		]);
		console.log(`ok ${name}`);
	} catch (e) {
		failed++;
		const msg = String((e && e.message) || e).split('\n')[0].slice(0, 300);
		console.log(`not ok ${name} # ${msg}`);
		if (state.page) await state.page.screenshot({ path: join(OUT, `failed-${name}.png`) }).catch(() => {});
	}
}

export function expect(cond, what) {
	if (!cond) throw new Error(what);
}

export const shot = (p, name) => p.screenshot({ path: join(OUT, `${name}.png`), fullPage: true });

export function watch(p) {
	p.on('console', (m) => {
		if (m.type() === 'error' && !/status of (400|401|404|409)/.test(m.text())) problems.push(`console: ${m.text()}`);
	});
	p.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
}

export const heading = (p, text) => p.getByRole('heading', { level: 1, name: text });

// A browser and a 1280x800 page, watched. launch() gives chromium a fresh
// --user-data-dir of its own (a temporary profile, removed on close).
export async function openBrowser() {
	state.browser = await chromium.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
		],
	});
	state.context = await state.browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: ZONE });
	if (SHIFT_MS) await state.context.clock.install({ time: clockNow() });
	await state.context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) =>
			console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`),
		);
	});
	state.page = await state.context.newPage();
	watch(state.page);
	state.page.setDefaultTimeout(8000);
	return state.page;
}

// Logs in as $UI_EMAIL, lands on Today (the home page), and goes on to the inbox.
export async function login(p) {
	await p.goto(URL_ + '/');
	await p.getByLabel('Email').fill(EMAIL);
	await p.getByLabel('Password').fill(PASSWORD);
	await p.getByRole('button', { name: 'Log in' }).click();
	await heading(p, 'Today').waitFor();
	await p.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Inbox', exact: true }).click();
	await heading(p, 'Inbox').waitFor();
}

// The last step of every suite, then the exit status.
export async function done() {
	await step('no_console_errors_or_csp_violations', async () => {
		expect(!problems.length, problems.slice(0, 3).join(' | '));
	});
	await state.browser.close();
	process.exit(failed ? 1 : 0);
}
