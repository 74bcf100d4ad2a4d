import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { waitForSendRequest } from '../support/cm-requests.js';
import { describeRedis } from '../support/redis.js';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { classicHeaders, postJson } from '../tokenization/support/callback-app.js';

const DEADLINE_MS = 1500;
/** The idempotency lease: the delivery deadline plus the library's 2 s margin. */
const LEASE_MS = DEADLINE_MS + 2000;
const CLASSIC = '/issuer/igwapi/v2.0';

/**
 * What RELIABILITY.md promises about a crash: two sample-app processes on one real Redis, one killed
 * (SIGKILL) while CM holds its SMS request. The platform's retry on the other replica is answered
 * within lease + deadline, and the cardholder gets at most one more SMS than without the crash.
 */
describeRedis('a replica killed while CM holds its request', (redis) => {
  let sandbox: CmSandbox;
  let replicas: SampleAppProcess[] = [];

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    const env = {
      CM_PRODUCT_TOKEN: sandbox.productToken,
      CM_OTP_URL: sandbox.url,
      CM_MESSAGING_URL: sandbox.url,
      REDIS_URL: redis().url,
      OTP_METHOD_ID_SECRET: 'crash-test-secret-shared-by-both-replicas',
      DELIVERY_DEADLINE_MS: String(DEADLINE_MS),
    };
    replicas = await Promise.all([startSampleApp(env), startSampleApp(env)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.stop()));
    await sandbox?.close();
  });

  it('answers the retry on the other replica within lease + deadline, with one more SMS at most', async () => {
    const [doomed, survivor] = replicas as [SampleAppProcess, SampleAppProcess];
    const headers = classicHeaders('corr-replica-crash');
    const decision = await postJson(`${doomed.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-jp-0001' }, classicHeaders('corr-rcd'));
    const sms = (decision.body as { idvMethodList: { id: string; type: string }[] }).idvMethodList.find((method) => method.type === 'otpBySMS')!;
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '860214', otpMethodId: sms.id };

    // CM holds the first replica's request long past its death.
    sandbox.setLatency(LEASE_MS + DEADLINE_MS);
    const first = postJson(`${doomed.url}${CLASSIC}/sendOTP`, body, headers).catch((error: unknown) => error);
    await waitForSendRequest(sandbox);
    doomed.child.kill('SIGKILL');
    await once(doomed.child, 'exit');
    expect(await first).toMatchObject({ message: 'fetch failed' }); // the platform saw the connection drop
    sandbox.setLatency(0);

    const started = Date.now();
    const retry = await postJson(`${survivor.url}${CLASSIC}/sendOTP`, body, headers);
    const elapsed = Date.now() - started;
    expect(retry).toEqual({ status: 200, body: {} });
    // The survivor waited for the dead owner's lease to end (it was claimed), then sent within the deadline.
    expect(elapsed).toBeGreaterThan(LEASE_MS - 1500);
    expect(elapsed).toBeLessThan(LEASE_MS + DEADLINE_MS + 500);

    // CM answers the held request in the end: it reached CM, so the cardholder gets it too.
    const until = Date.now() + LEASE_MS + DEADLINE_MS + 2000;
    while (sandbox.outbox.length < 2 && Date.now() < until) await sleep(50);
    await sleep(200);
    const texts = sandbox.outbox.map((message) => message.text);
    expect(texts).toHaveLength(2);
    expect(texts.every((text) => text.includes('860214'))).toBe(true);

    // A later retry is answered from the stored outcome: no third SMS.
    expect(await postJson(`${survivor.url}${CLASSIC}/sendOTP`, body, headers)).toEqual({ status: 200, body: {} });
    expect(sandbox.outbox).toHaveLength(2);
  }, 30_000);
});
