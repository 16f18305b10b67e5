// bench/today.sh's page figure: log in as $EMAIL in headless chromium, then
// load /today $RUNS times and print the median time from navigation to the
// feed (or its empty state) shown. A figure, not a test.
import { createRequire } from 'node:module';

const require = createRequire(new URL('../web/package.json', import.meta.url));
const { chromium } = require('playwright-core');
const url = process.env.PARLEY_URL;
const runs = Number(process.env.RUNS || 5);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
await page.goto(url + '/');
await page.getByLabel('Email').fill(process.env.EMAIL);
await page.getByLabel('Password').fill(process.env.PASSWORD);
await page.getByRole('button', { name: 'Log in' }).click();
const shown = () => page.locator('.today-feed, .today-page .empty').first().waitFor();
await shown();
const times = [];
for (let i = 0; i < runs; i++) {
	const t0 = Date.now();
	await page.goto(url + '/today');
	await shown();
	times.push(Date.now() - t0);
}
times.sort((a, b) => a - b);
console.log(`the page (/today to the feed shown, ${runs} loads): median ${times[(runs - 1) >> 1]} ms, slowest ${times[runs - 1]} ms`);
await browser.close();
