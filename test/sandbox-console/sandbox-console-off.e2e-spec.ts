import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpSink } from '../delivery/support/smtp-sink.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

/** Every console route, each of which must be absent when the console is off. */
const CONSOLE_ROUTES: [string, string][] = [
  ['GET', '/sandbox'],
  ['GET', '/sandbox/'],
  ['GET', '/sandbox/console.js'],
  ['GET', '/sandbox/console.css'],
  ['GET', '/sandbox/api/state'],
  ['GET', '/sandbox/api/events'],
  ['GET', '/sandbox/api/emails/m1/html'],
  ['POST', '/sandbox/api/try/digitization'],
  ['POST', '/sandbox/api/try/send-otp'],
  ['POST', '/sandbox/api/messages/abc/receipts'],
  ['POST', '/sandbox/api/faults/fail-next'],
  ['POST', '/sandbox/api/faults/latency'],
  ['POST', '/sandbox/api/faults/drop-next'],
  ['DELETE', '/sandbox/api/faults'],
];

/** What every console route answers on `baseUrl`. */
async function statusesAt(baseUrl: string): Promise<[string, number][]> {
  const answers: [string, number][] = [];
  for (const [method, path] of CONSOLE_ROUTES) {
    const response = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
    await response.body?.cancel();
    answers.push([`${method} ${path}`, response.status]);
  }
  return answers;
}

/** The console routes on both ports: the management port (where the console lives when on) and the callback port (never). */
async function statusesOf(app: SampleAppProcess): Promise<[string, number][]> {
  return [...(await statusesAt(app.managementUrl)), ...(await statusesAt(app.url))];
}

/**
 * The console sends step-ups and receipts and shows codes: it must not exist next to a real
 * CM.com account or SMTP server. The built sample app runs here with a CM product token (pointed
 * at a CM sandbox started by the test, so the app still boots) and a real SMTP server.
 */
describe('the sample app with real dependencies has no sandbox console', () => {
  let cm: CmSandbox;
  let smtp: SmtpSink;
  const started: SampleAppProcess[] = [];

  beforeAll(async () => {
    [cm, smtp] = await Promise.all([CmSandbox.start(), SmtpSink.start()]);
  });

  afterAll(async () => {
    await Promise.all(started.map((app) => app.stop()));
    await Promise.all([cm?.close(), smtp?.close()]);
  });

  const start = async (env: NodeJS.ProcessEnv) => {
    const app = await startSampleApp({ REDIS_URL: '', ...env });
    started.push(app);
    return app;
  };

  it('answers 404 on every console route with a CM product token and an SMTP URL, and announces no console', async () => {
    const app = await start({ CM_PRODUCT_TOKEN: cm.productToken, CM_OTP_URL: cm.url, CM_MESSAGING_URL: cm.url, SMTP_URL: smtp.url });
    const absent = CONSOLE_ROUTES.map(([method, path]): [string, number] => [`${method} ${path}`, 404]);
    expect(await statusesOf(app)).toEqual([...absent, ...absent]);
    expect(app.output()).not.toContain('Sandbox console:');
    // The app itself is up: the 404s are the console's absence, not a dead app.
    expect((await fetch(`${app.managementUrl}/health/live`)).status).toBe(200);
  });

  it('keeps the console off while only one of the two is a sandbox, and says why', async () => {
    const app = await start({ CM_PRODUCT_TOKEN: '', SMTP_URL: smtp.url });
    expect((await statusesOf(app)).filter(([, status]) => status !== 404)).toEqual([]);
    expect(app.output()).toContain('sandbox console: off (it runs only while CM.com and email are both sandboxes)');
  });
});
