import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';

/** `npm start` on embedded defaults: no CM.com account, no SMTP server, no Redis. */
describe('the sample issuer app on embedded defaults', () => {
  let app: SampleAppProcess;

  beforeAll(async () => {
    app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '' });
  });

  afterAll(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
  });

  it('serves readiness and liveness with 200', async () => {
    const readiness = await fetch(`${app.url}/health`);
    expect(readiness.status).toBe(200);
    expect(await readiness.json()).toMatchObject({ status: 'ok' });
    expect((await fetch(`${app.url}/health/live`)).status).toBe(200);
  });

  it('closes every connection on SIGTERM and exits on its own with code 0', async () => {
    const code = await app.stop();
    expect(app.output()).toContain('SIGTERM received, closing');
    expect(app.output()).not.toContain('still open after');
    expect(code).toBe(0);
  });
});

describe('the sample issuer app with a bad environment', () => {
  it('refuses to boot and names every bad variable', async () => {
    const start = startSampleApp({ ISSUER_ID: 'short', PORT: 'not-a-port', REDIS_URL: 'http://nope' });
    const message = await start.catch((error: Error) => error.message);
    expect(message).toMatch(/ISSUER_ID must be longer than or equal to 10 characters/);
    expect(message).toMatch(/PORT must/);
    expect(message).toMatch(/REDIS_URL must be a URL/);
  });
});
