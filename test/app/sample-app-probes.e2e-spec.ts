import { connect } from 'node:net';
import { once } from 'node:events';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { waitForSendRequest } from '../support/cm-requests.js';
import { startHungRedisServer } from '../support/redis-hung-server.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { classicHeaders, postJson } from '../tokenization/support/callback-app.js';

const CLASSIC = '/issuer/igwapi/v2.0';

/** Times a probe: its status, body and how long it took. */
async function probe(url: string): Promise<{ status: number; body: Record<string, unknown>; ms: number }> {
  const started = performance.now();
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  const body = (await response.json()) as Record<string, unknown>;
  return { status: response.status, body, ms: performance.now() - started };
}

/**
 * Kubernetes gives a probe 1 s by default. Here every dependency hangs: a TCP server that accepts
 * connections and never answers stands for CM.com, the SMTP server and Redis.
 */
describe('the sample app probes with every dependency hung', () => {
  let hung: Awaited<ReturnType<typeof startHungRedisServer>>;
  let app: SampleAppProcess;

  beforeAll(async () => {
    hung = await startHungRedisServer();
    const address = `127.0.0.1:${hung.port}`;
    app = await startSampleApp({
      CM_PRODUCT_TOKEN: '4d6b1a5e-0000-4000-8000-000000000001',
      CM_OTP_URL: `http://${address}`,
      CM_MESSAGING_URL: `http://${address}`,
      SMTP_URL: `smtp://${address}`,
      REDIS_URL: `redis://${address}`,
      OTP_METHOD_ID_SECRET: 'probes-test-secret-shared-by-replicas-01',
      // Below the 800 ms default so that "within 1 s" keeps its margin on a loaded CI machine.
      HEALTH_TIMEOUT_MS: '500',
    });
  }, 30_000);

  afterAll(async () => {
    await app?.stop();
    await hung?.close();
  });

  it('answers liveness at once, readiness (the store only) and the dependencies within 1 s, naming what timed out', async () => {
    const liveness = await probe(`${app.managementUrl}/health/live`);
    expect(liveness.status).toBe(200);
    expect(liveness.ms).toBeLessThan(500);

    const readiness = await probe(`${app.managementUrl}/health/ready`);
    expect(readiness).toMatchObject({ status: 503, body: { error: { store: { status: 'down', failMode: 'closed' } } } });
    expect(Object.keys(readiness.body.details as object).sort()).toEqual(['callbacks', 'store']);
    expect(readiness.ms).toBeLessThan(1000);

    const dependencies = await probe(`${app.managementUrl}/health/dependencies`);
    expect(dependencies).toMatchObject({
      status: 503,
      body: { error: { cm: { status: 'down', message: expect.stringMatching(/timeout/i) }, smtp: { status: 'down' }, store: { status: 'down' } } },
    });
    expect(dependencies.ms).toBeLessThan(1000);
  });

  it('answers a sendOTP 921 while the store hangs, and its error line carries the correlation id', async () => {
    const decision = await postJson(`${app.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-jp-0001' }, classicHeaders('hung-store-1'));
    const otpMethodId = (decision.body as { idvMethodList: { id: string }[] }).idvMethodList[0]!.id;
    const answer = await postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '305172', otpMethodId }, classicHeaders('hung-store-1'));
    expect(answer).toMatchObject({ status: 500, body: { responseCode: 921 } });
    await app.waitForOutput(/"correlationId":"hung-store-1"[^\n]*"route":"\/issuer\/igwapi\/v2.0\/sendOTP"/);
    const error = app.logRecords().find((record) => record.level === 'error' && record.msg === 'OTP store unavailable: tokenization callbacks answer 921 (retryable) until it is back');
    expect(error).toMatchObject({ correlationId: 'hung-store-1', answersNotLogged: 0 });
    // The outage is logged at most once a minute, however many callbacks it refuses.
    for (let i = 2; i <= 4; i += 1) {
      const again = await postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '30517' + i, otpMethodId }, classicHeaders(`hung-store-${i}`));
      expect(again.status).toBe(500);
    }
    await app.waitForOutput(/"correlationId":"hung-store-4"[^\n]*"route":"\/issuer\/igwapi\/v2.0\/sendOTP"/);
    expect(app.logRecords().filter((record) => String(record.msg).startsWith('OTP store unavailable'))).toHaveLength(1);
    expect(app.stdout()).not.toContain('305172');
  });
});

/** SIGTERM under load: readiness goes down at once, the callbacks in flight finish, then both ports close. */
describe('the sample app shutting down', () => {
  let cm: CmSandbox;
  let app: SampleAppProcess;

  beforeAll(async () => {
    cm = await CmSandbox.start();
    app = await startSampleApp({
      CM_PRODUCT_TOKEN: cm.productToken,
      CM_OTP_URL: cm.url,
      CM_MESSAGING_URL: cm.url,
      REDIS_URL: '',
      SHUTDOWN_DELAY_MS: '1000',
    });
  }, 30_000);

  afterAll(async () => {
    if (app?.child.exitCode === null) app.child.kill('SIGKILL');
    await cm?.close();
  });

  it('answers readiness 503 from the signal on, keeps serving through the delay, drains the sendOTP in flight, and exits 0', async () => {
    const decision = await postJson(`${app.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-gb-0001' }, classicHeaders('drain-1'));
    const otpMethodId = (decision.body as { idvMethodList: { id: string; type: string }[] }).idvMethodList.find((method) => method.type === 'otpBySMS')!.id;
    cm.setLatency(1800);
    const inFlight = postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-gb-0001', otpValue: '48291577', otpMethodId }, classicHeaders('drain-1'));
    await waitForSendRequest(cm);

    const exited = once(app.child, 'exit');
    app.child.kill('SIGTERM');
    await app.waitForOutput(/SIGTERM received, closing in 1000 ms/);
    const readiness = await probe(`${app.managementUrl}/health/ready`);
    expect(readiness).toMatchObject({ status: 503, body: { error: { callbacks: { status: 'down', reason: 'shutting down' } } } });
    expect((await probe(`${app.managementUrl}/health/live`)).status).toBe(200);
    // A repeated signal (an orchestrator's, a second Ctrl-C) neither kills the drain nor closes twice.
    app.child.kill('SIGTERM');
    app.child.kill('SIGINT');
    await app.waitForOutput(/SIGINT received again: still closing/);
    // Within the delay the callback port still answers new calls, each closing its connection after it.
    const late = await fetch(`${app.url}${CLASSIC}/requestCardDigitization`, { method: 'POST', headers: classicHeaders('drain-2'), body: JSON.stringify({ issuerCardRefId: 'card-gb-0001' }) });
    expect(late.status).toBe(200);
    expect(late.headers.get('connection')).toBe('close');
    await late.text();

    expect(await inFlight).toEqual({ status: 200, body: {} });
    expect(cm.outbox.map((message) => message.text)).toEqual([expect.stringContaining('48291577')]);
    const [code] = (await exited) as [number | null];
    expect(code).toBe(0);
    expect(app.output()).not.toContain('still open after');
    await app.waitForOutput(/"msg":"closed"/);
    expect(app.output().match(/"msg":"closed"/g)).toHaveLength(1);
  });
});

/** A client that never finishes its request must not hold the shutdown until the watchdog (exit 1). */
describe('the sample app shutting down with a stalled client', () => {
  it('cuts the stalled request after the drain (twice the deadline + 2.5 s) and exits 0', async () => {
    const app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: '', REDIS_URL: '', DELIVERY_DEADLINE_MS: '1000' });
    try {
      const { port } = new URL(app.url);
      const stalled = connect(Number(port), '127.0.0.1');
      await once(stalled, 'connect');
      stalled.on('error', () => undefined);
      // Headers and 5 bytes of a 100-byte body, and then nothing.
      stalled.write(`POST ${CLASSIC}/sendOTP HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"iss`);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const exited = once(app.child, 'exit');
      const started = Date.now();
      app.child.kill('SIGTERM');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      // The drain (4.5 s here), not the watchdog (10 s after it).
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(app.output()).not.toContain('still open after');
      stalled.destroy();
    } finally {
      if (app.child.exitCode === null) app.child.kill('SIGKILL');
    }
  }, 20_000);
});
