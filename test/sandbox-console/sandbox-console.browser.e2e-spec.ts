import type { Locator, Page } from 'playwright-core';
import { describeBrowser, launchChromium, type TestBrowser } from '../support/browser.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

/**
 * The sandbox console driven in real headless Chromium against the built sample app on embedded
 * defaults, as an engineer would use it: run a step-up from the form, see the SMS and its code,
 * simulate CM's receipt, inject a CM failure and see the platform get 911.
 */
describeBrowser('the sandbox console in a browser', () => {
  let app: SampleAppProcess;
  let browser: TestBrowser;
  let page: Page;
  const pageProblems: string[] = [];

  beforeAll(async () => {
    [app, browser] = await Promise.all([startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '' }), launchChromium()]);
    page = await browser.context.newPage();
    page.setDefaultTimeout(15_000);
    // A refused inline script or style (CSP), a failed request or a script error shows up here.
    page.on('console', (message) => {
      if (message.type() === 'error') pageProblems.push(message.text());
    });
    page.on('pageerror', (error) => pageProblems.push(error.message));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const sendOtp = async (code: string) => {
    await page.getByLabel(/^Code/).fill(code);
    await page.getByRole('button', { name: '2. Send OTP' }).click();
  };
  const exchange = (text: string): Locator => page.locator('#exchanges li', { hasText: text }).first();

  it('is announced at startup with its URL, on the management port', () => {
    const port = /Sandbox console: http:\/\/localhost:(\d+)\/sandbox/.exec(app.output())?.[1];
    expect(`http://127.0.0.1:${port}`).toBe(app.managementUrl);
  });

  it('runs a step-up from the form and shows the SMS with its code, encoding and part count', async () => {
    await page.goto(`${app.managementUrl}/sandbox`);
    await page.locator('#connection[data-state="live"]').waitFor();
    await page.getByLabel('Card').selectOption('card-gb-0001');
    await page.getByRole('button', { name: '1. Request card digitization' }).click();
    await exchange('requestCardDigitization: POST /issuer/igwapi/v2.0/requestCardDigitization → 200').waitFor();

    await page.getByRole('radio', { name: /otpBySMS/ }).check();
    await sendOtp('482915');
    await exchange('sendOTP: POST /issuer/igwapi/v2.0/sendOTP → 200').waitFor();

    const sms = page.locator('#entries .entry-sms', { has: page.locator('mark.code', { hasText: '482915' }) });
    await sms.waitFor();
    expect(await sms.locator('[data-field="text"]').textContent()).toMatch(/^MyBank: 482915 is your code to add your card ending 1881 to Apple Pay/);
    expect(await sms.locator('[data-field="to"]').textContent()).toBe('********3456');
    expect(await sms.locator('[data-field="encoding"]').textContent()).toBe('GSM-7');
    expect(await sms.locator('[data-field="parts"]').textContent()).toBe('1');
    expect(await sms.locator('[data-field="status"]').textContent()).toBe('Accepted by CM');
    expect(await page.locator('#announcer').textContent()).toMatch(/sendOTP answered 200|New SMS to \*+3456, code 482915/);
  });

  it('simulates CM\'s "delivered" receipt and shows the status the library\'s event reports', async () => {
    const sms = page.locator('#entries .entry-sms', { has: page.locator('mark.code', { hasText: '482915' }) });
    await sms.getByRole('button', { name: 'Delivered', exact: true }).click();
    await exchange('status report: POST /cm/status-reports → 200').waitFor();
    await sms.locator('[data-field="status"][data-status="delivered"]').waitFor();
    expect(await sms.locator('[data-field="status"]').textContent()).toBe('Delivered');
    // The real endpoint counted it, as it counts CM's own reports.
    expect(await (await fetch(`${app.managementUrl}/metrics`)).text()).toMatch(/otp_delivery_status_reports_total\{status="delivered"\} 1/);
  });

  it('shows the email in a sandboxed frame with the code marked', async () => {
    await page.getByRole('radio', { name: /otpByEmail/ }).check();
    await sendOtp('7305194');
    const email = page.locator('#entries .entry-email', { has: page.locator('mark.code', { hasText: '7305194' }) });
    await email.waitFor();
    expect(await email.locator('iframe').getAttribute('sandbox')).toBe('');
    await page.frameLocator('#entries .entry-email iframe').first().locator('mark', { hasText: '7305194' }).waitFor();
  });

  it('fails the next CM request with a chosen error and shows the sendOTP answering 911', async () => {
    await page.getByLabel('requests with').selectOption({ label: 'errorCode 102, insufficient balance (HTTP 400)' });
    await page.getByRole('button', { name: 'Fail', exact: true }).click();
    await page.locator('#fault-state', { hasText: 'The next 1 request(s) fail (HTTP 400).' }).waitFor();

    await page.getByRole('radio', { name: /otpBySMS/ }).check();
    await sendOtp('771204');
    await exchange('sendOTP: POST /issuer/igwapi/v2.0/sendOTP → 400, responseCode 911').waitFor();
    await page.locator('#entries .entry-failure', { hasText: 'SMS to ********3456' }).first().waitFor();
    await page.locator('#fault-state', { hasText: 'No fault injected.' }).waitFor();
    expect(pageProblems).toEqual([]);
  });

  it('lets the app close on SIGTERM while the page still listens for updates', async () => {
    expect(await app.stop()).toBe(0);
    expect(app.output()).not.toContain('still open after');
    await page.locator('#connection[data-state="offline"]').waitFor();
  });
});
