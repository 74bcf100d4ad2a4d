// Takes the README's screenshot of the sandbox console (docs/sandbox-console.png) with a few
// messages in it, driving the page as a person would. Needs the build and Debian's chromium:
//   npm run build && node scripts/sandbox-screenshot.js [out.png]
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

const root = resolve(import.meta.dirname, '..');
const out = resolve(process.argv[2] ?? join(root, 'docs/sandbox-console.png'));
const mainJs = join(root, 'dist/sample-app/main.js');
// The same switches as the browser test (test/support/browser.ts): no calls out on a closed network.
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

if (!existsSync(mainJs)) throw new Error(`${mainJs} is missing: run "npm run build" first`);
if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium is missing: apt-get install -y chromium');

const app = spawn(process.execPath, [mainJs], { cwd: root, env: { ...process.env, PORT: '0', MANAGEMENT_PORT: '0', NO_COLOR: '1', CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '' } });
const profile = mkdtempSync(join(tmpdir(), 'otp-screenshot-'));
let context;
try {
  const url = await new Promise((done, fail) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error(`the sample app did not start:\n${output}`)), 20_000);
    app.stdout.on('data', (chunk) => {
      output += chunk;
      // The console is on the management port, named on the same line as the callback port.
      const port = /listening on http:\/\/localhost:\d+.*?management on http:\/\/localhost:(\d+)/.exec(output)?.[1];
      if (port) {
        clearTimeout(timer);
        done(`http://127.0.0.1:${port}`);
      }
    });
    app.once('exit', () => fail(new Error(`the sample app exited:\n${output}`)));
  });

  context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 1040 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto(`${url}/sandbox`);
  await page.locator('#connection[data-state="live"]').waitFor();

  const stepUp = async (card, method, code) => {
    await page.getByLabel('Card').selectOption(card);
    await page.getByRole('button', { name: '1. Request card digitization' }).click();
    await page.getByRole('radio', { name: new RegExp(method) }).check();
    await page.getByLabel(/^Code/).fill(code);
    const before = await page.locator('#exchanges li').count();
    await page.getByRole('button', { name: '2. Send OTP' }).click();
    await page.locator('#exchanges li').nth(before).waitFor();
  };
  const sms = (code) => page.locator('#entries .entry-sms', { has: page.locator('mark.code', { hasText: code }) });

  await stepUp('card-gb-0002', 'otpBySMS', '93846120');
  await sms('93846120').getByRole('button', { name: 'Undelivered' }).click();
  await sms('93846120').locator('[data-status="undelivered"]').waitFor();

  await stepUp('card-gb-0001', 'otpByEmail', '640215');
  await page.locator('#entries .entry-email').first().waitFor();

  await page.getByLabel('requests with').selectOption('insufficient-balance');
  await page.getByRole('button', { name: 'Fail', exact: true }).click();
  await stepUp('card-gb-0001', 'otpBySMS', '118273');
  await page.locator('#entries .entry-failure').first().waitFor();

  await stepUp('card-gb-0001', 'otpBySMS', '305172');
  await sms('305172').getByRole('button', { name: 'Delivered', exact: true }).click();
  await sms('305172').locator('[data-status="delivered"]').waitFor();
  await page.locator('h1').scrollIntoViewIfNeeded();

  await page.screenshot({ path: out });
  console.log(`wrote ${out}`);
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  app.kill('SIGTERM');
}
