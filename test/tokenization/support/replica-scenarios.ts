import { randomUUID } from 'node:crypto';
import { IdvMethodsService, OtpTokenizationEvents, type StoreOptions, type VirtualCardChangeEvent } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './smtp-capture.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './callback-app.js';

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
}
