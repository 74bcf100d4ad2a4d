import { randomUUID } from 'node:crypto';
import { IdvMethodsService, OtpTokenizationEvents, type StoreOptions, type VirtualCardChangeEvent } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './smtp-capture.js';
import { baseOptions, classicHeaders, ISSUER_ID, postJson, startCallbackApp, type CallbackHarness } from './callback-app.js';

/**
 * Two Nest apps ("replicas") sharing one Redis store, the callbacks mounted on both: what
 * idempotency and method ids must hold whichever replica each request lands on. `store` answers
 * the store options of the Redis under test (one node or a cluster); a fresh key prefix is used
 * unless it names one.
 */
export function replicaScenarios(store: () => StoreOptions): void {
  let sandbox: CmSandbox;
  let smtp: SmtpCapture;
  let replicas: CallbackHarness[];
  const published: VirtualCardChangeEvent[] = [];

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    smtp = await SmtpCapture.start();
    const options = { keyPrefix: `tok-e2e-${randomUUID()}:`, ...store() };
    const start = () => startCallbackApp({ sandbox, smtp, options: (s, m) => ({ ...baseOptions(s, m), store: options }) });
    replicas = [await start(), await start()];
    for (const replica of replicas) replica.app.get(OtpTokenizationEvents).virtualCardChanges$.subscribe((event) => published.push(event));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.close()));
    await sandbox.close();
    await smtp.close();
  });

  it('a method id minted on one replica is accepted on the other; concurrent repeats across both send one SMS', async () => {
    const [sms] = await replicas[0]!.app.get(IdvMethodsService).forCard('card-gb-0001');
    sandbox.setLatency(300);
    const headers = classicHeaders(`corr-replicas-${randomUUID()}`);
    const body = { issuerCardRefId: 'card-gb-0001', otpValue: '424242', otpMethodId: sms!.id };
    const answers = await Promise.all(Array.from({ length: 6 }, (_, i) => postJson(replicas[i % 2]!.url + '/issuer/igwapi/v2.0/sendOTP', body, headers)));
    sandbox.setLatency(0);
    expect(answers).toEqual(Array.from({ length: 6 }, () => ({ status: 200, body: {} })));
    expect(sandbox.outbox).toHaveLength(1);
    expect(sandbox.outbox[0]!.text).toContain('424242');
  });

  it('a notifyVirtualCardChange delivered to both replicas is published once', async () => {
    const body = { issuerCardRefId: 'card-gb-0001', virtualCardId: 'vc-r', walletProviderId: 'ANDROID_PAY', tokenStorageId: 'ts-r', isPrimary: true, action: 'ACTIVATE' };
    const headers = classicHeaders(`corr-replicas-${randomUUID()}`);
    const answers = await Promise.all(replicas.map((replica) => postJson(replica.url + '/issuer/igwapi/v2.0/notifyVirtualCardChange', body, headers)));
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    expect(published.filter((event) => event.virtualCardId === 'vc-r')).toHaveLength(1);
  });

  describe('a DELETE on one replica, then late sends of its enrolment on the other', () => {
    let late: CallbackHarness[];
    beforeAll(async () => {
      // Two sends per card and per number: a late send that counted would leave the other enrolment's refused.
      const options = { ...store(), keyPrefix: `tok-ended-${randomUUID()}:` };
      const start = () =>
        startCallbackApp({
          sandbox,
          smtp,
          options: (s, m) => {
            const base = baseOptions(s, m);
            return { ...base, store: options, limits: { ...base.limits, perCard: { max: 2, windowSeconds: 3600 }, perDestination: { max: 2, windowSeconds: 3600 } } };
          },
        });
      late = [await start(), await start()];
      sandbox.clear();
    });

    afterAll(async () => {
      await Promise.all(late.map((replica) => replica.close()));
    });

    it('the other replica answers 911 to a late sendOTP and a late D1 Deliver OTP, sending and counting nothing', async () => {
      const [a, b] = late as [CallbackHarness, CallbackHarness];
      const [sms] = await b.app.get(IdvMethodsService).forCard('card-jp-0001');
      const enrolment = `corr-ended-${randomUUID()}`;
      const sendOtp = (correlationId: string, otpValue: string) =>
        postJson(b.url + '/issuer/igwapi/v2.0/sendOTP', { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId: sms!.id }, classicHeaders(correlationId));
      const refused = { status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } };

      expect(await sendOtp(enrolment, '135790')).toEqual({ status: 200, body: {} });
      expect(sandbox.outbox).toHaveLength(1);
      const notifyDelete = await postJson(
        a.url + '/issuer/igwapi/v2.0/notifyVirtualCardChange',
        { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc-ended', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts-ended', isPrimary: true, action: 'DELETE' },
        classicHeaders(enrolment),
      );
      expect(notifyDelete).toEqual({ status: 200, body: {} });

      // A repeat of the send answered before the DELETE still gets its first answer.
      expect(await sendOtp(enrolment, '135790')).toEqual({ status: 200, body: {} });
      // A new code of the enrolment, late, on the replica that never saw the DELETE; then its repeat.
      expect(await sendOtp(enrolment, '135791')).toEqual(refused);
      expect(await sendOtp(enrolment, '135791')).toEqual(refused);
      const deliverD1 = await postJson(
        `${b.url}/banking/d1/v1/issuers/${ISSUER_ID}/consumers/cons_yamada_taro/otp`,
        { otp: { value: '135792' }, deliveryChannel: 'SMS' },
        { 'content-type': 'application/json', 'x-correlation-id': enrolment },
      );
      expect(deliverD1).toEqual(refused);
      expect(sandbox.requests).toHaveLength(1);
      expect(sandbox.outbox).toHaveLength(1);

      // Nothing was counted: the card's and the number's second send is still there for another enrolment.
      expect(await sendOtp(`corr-other-${randomUUID()}`, '135793')).toEqual({ status: 200, body: {} });
      expect(sandbox.outbox).toHaveLength(2);
    });
  });
}
