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

  it('runs a whole step-up: requestCardDigitization, sendOTP by SMS and email, codes delivered unchanged', async () => {
    const headers = { 'content-type': 'application/json', 'x-correlation-id': 'sample-flow-1', 'x-issuer-id': 'ISSUER0001' };
    const post = (path: string, body: unknown) => fetch(`${app.url}/issuer/igwapi/v2.0/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

    const decision = (await (await post('requestCardDigitization', { issuerCardRefId: 'card-jp-0001' })).json()) as { levelOfTrust: string; idvMethodList: unknown };
    expect(decision).toMatchObject({ levelOfTrust: 'yellow' });
    const methods = decision.idvMethodList as Array<{ id: string; type: string; value: string }>;
    expect(methods.map((m) => [m.type, m.value])).toEqual([
      ['otpBySMS', '********5678'],
      ['otpByEmail', 'ta*********@example.jp'],
    ]);

    const sms = await post('sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue: '305172', otpMethodId: methods[0]!.id, walletProviderId: 'APPLE_PAY' });
    expect([sms.status, await sms.json()]).toEqual([200, {}]);
    const sandboxUrl = /CM\.com: SANDBOX at (http:\/\/[^ ]+)/.exec(app.output())?.[1];
    const outbox = (await (await fetch(`${sandboxUrl}/__sandbox/outbox`)).json()) as Array<{ to: string; text: string }>;
    expect(outbox).toEqual([expect.objectContaining({ to: '00819012345678', text: expect.stringContaining('305172') })]);

    const email = await post('sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue: '417283', otpMethodId: methods[1]!.id, walletProviderId: 'APPLE_PAY' });
    expect(email.status).toBe(200);
    expect(app.output()).toMatch(/\[EMAIL OUTBOX\] not sent \(sandbox\) to=ta\*+@example\.jp/);
  });

  it('serves Prometheus metrics with the deliveries it made', async () => {
    const text = await (await fetch(`${app.url}/metrics`)).text();
    expect(text).toMatch(/otp_delivery_deliveries_total\{channel="sms",outcome="sent"\} 1/);
  });

  it('delivers to the English sample cardholder in English, inside the sample allow-list of countries', async () => {
    const headers = { 'content-type': 'application/json', 'x-correlation-id': 'sample-flow-2', 'x-issuer-id': 'ISSUER0001' };
    const post = (path: string, body: unknown) => fetch(`${app.url}/issuer/igwapi/v2.0/${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
    const decision = (await (await post('requestCardDigitization', { issuerCardRefId: 'card-gb-0001' })).json()) as { idvMethodList: Array<{ id: string; type: string }> };
    const smsMethod = decision.idvMethodList.find((method) => method.type === 'otpBySMS');

    const sms = await post('sendOTP', { issuerCardRefId: 'card-gb-0001', otpValue: '00098765', otpMethodId: smsMethod?.id, walletProviderId: 'GOOGLE_PAY' });
    expect([sms.status, await sms.json()]).toEqual([200, {}]);
    const sandboxUrl = /CM\.com: SANDBOX at (http:\/\/[^ ]+)/.exec(app.output())?.[1];
    const outbox = (await (await fetch(`${sandboxUrl}/__sandbox/outbox`)).json()) as Array<{ to: string; text: string }>;
    expect(outbox.at(-1)).toEqual(expect.objectContaining({ to: '00447400123456', text: expect.stringMatching(/00098765.*Google Pay|Google Pay.*00098765/s) }));
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
