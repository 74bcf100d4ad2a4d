import { firstValueFrom, filter, take, toArray, timeout, type Observable } from 'rxjs';
import {
  IdvMethodsService,
  OtpDeliveryEvents,
  OtpStore,
  OtpTokenizationEvents,
  StoreUnavailableError,
  VirtualCardChangeHandler,
  type VirtualCardChangeEvent,
} from 'nestjs-otp-delivery';
import { MemoryOtpStore } from '../../libs/otp-delivery/src/store/index.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const NOTIFY = '/issuer/igwapi/v2.0/notifyVirtualCardChange';
const TOKEN_INFO = { dpan: '5204731600014792', expiry: '1229' };

describe('classic notifyVirtualCardChange over HTTP', () => {
  let harness: CallbackHarness;
  const handled: VirtualCardChangeEvent[] = [];
  const published: VirtualCardChangeEvent[] = [];
  let failHandler = false;

  beforeAll(async () => {
    harness = await startCallbackApp({
      extraProviders: [
        {
          provide: VirtualCardChangeHandler,
          useValue: {
            handle: (event: VirtualCardChangeEvent) => {
              if (failHandler) throw new Error('token vault unavailable');
              handled.push(event);
            },
          } satisfies VirtualCardChangeHandler,
        },
      ],
    });
    harness.app.get(OtpTokenizationEvents).virtualCardChanges$.subscribe((event) => published.push(event));
  });

  beforeEach(() => {
    handled.length = 0;
    published.length = 0;
    failHandler = false;
    harness.sandbox.clear();
    harness.sandbox.setLatency(0);
  });

  afterAll(() => harness.close());

  const activation = {
    issuerCardRefId: 'card-jp-0001',
    virtualCardId: 'vc-0001',
    walletProviderId: 'APPLE_PAY',
    tokenStorageId: 'ts-0001',
    isPrimary: true,
    action: 'ACTIVATE',
    source: 'TSP',
    tokenInfo: TOKEN_INFO,
    somethingNew: 'ignored',
  };
  const notify = (body: unknown, correlationId: string) => postJson(harness.url + NOTIFY, body, classicHeaders(correlationId));

  it('publishes one typed event on the stream and to the handler; tokenInfo only as a secret', async () => {
    expect(await notify(activation, 'corr-vcc-1')).toEqual({ status: 200, body: {} });
    expect(published).toHaveLength(1);
    expect(handled).toEqual(published);
    const event = published[0]!;
    expect(event).toMatchObject({
      action: 'ACTIVATE',
      issuerCardRefId: 'card-jp-0001',
      virtualCardId: 'vc-0001',
      walletProviderId: 'APPLE_PAY',
      source: 'TSP',
      correlationId: 'corr-vcc-1',
      isPrimary: true,
    });
    expect(JSON.stringify(event)).not.toContain(TOKEN_INFO.dpan);
    expect(String(event.tokenInfo)).toBe('[redacted]');
    expect(JSON.parse(event.tokenInfo!.reveal())).toEqual(TOKEN_INFO);
  });

  it('answers duplicates 200 without publishing them again', async () => {
    expect((await notify(activation, 'corr-vcc-2')).status).toBe(200);
    const repeats = await Promise.all([notify(activation, 'corr-vcc-2'), notify(activation, 'corr-vcc-2')]);
    expect(repeats.map((r) => r.status)).toEqual([200, 200]);
    expect(published).toHaveLength(1);
    // Another action on the same token is a new notification.
    expect((await notify({ ...activation, action: 'SUSPEND' }, 'corr-vcc-2')).status).toBe(200);
    expect(published.map((e) => e.action)).toEqual(['ACTIVATE', 'SUSPEND']);
  });

  it('accepts an action it does not know yet', async () => {
    expect((await notify({ ...activation, action: 'REPLACE_DEVICE' }, 'corr-vcc-3')).status).toBe(200);
    expect(published[0]!.action).toBe('REPLACE_DEVICE');
  });

  it('validates the body: 111 and 112 naming the field, nothing published', async () => {
    const { isPrimary: _dropped, ...noPrimary } = activation;
    expect(await notify(noPrimary, 'corr-vcc-4')).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: isPrimary' } });
    expect(await notify({ ...activation, virtualCardId: 'v'.repeat(65) }, 'corr-vcc-4')).toEqual({
      status: 400,
      body: { responseCode: 112, errorMessage: 'Invalid parameter format: virtualCardId' },
    });
    expect(published).toHaveLength(0);
  });

  it('answers 921 when the issuer handler fails, and processes the platform retry', async () => {
    failHandler = true;
    expect(await notify(activation, 'corr-vcc-5')).toEqual({ status: 500, body: { responseCode: 921, errorMessage: 'Unexpected server error' } });
    expect(published).toHaveLength(0);
    failHandler = false;
    expect((await notify(activation, 'corr-vcc-5')).status).toBe(200);
    expect(published).toHaveLength(1);
  });

  it.each([
    ['DELETE', 'corr-vcc-6'],
    ['delete_from_app', 'corr-vcc-7'],
  ])('%s during enrolment stops the pending OTP delivery of that session', async (action, correlationId) => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    const failures = firstValueFrom(
      (harness.app.get(OtpDeliveryEvents).events$ as Observable<{ type: string; reason?: string; correlationId?: string }>).pipe(
        filter((event) => event.correlationId === correlationId && event.type === 'failed'),
        take(1),
        toArray(),
        timeout(10_000),
      ),
    );
    harness.sandbox.setLatency(2_000);
    const pending = postJson(
      `${harness.url}/issuer/igwapi/v2.0/sendOTP`,
      { issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: sms!.id },
      classicHeaders(correlationId),
    );
    await waitUntil(() => harness.sandbox.requests.length === 1);
    expect(await notify({ ...activation, action }, correlationId)).toEqual({ status: 200, body: {} });
    // Published as Thales writes it: a handler comparing with 'DELETE' sees it.
    expect(published.map((event) => event.action)).toEqual([action.toUpperCase()]);
    expect(await pending).toEqual({ status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } });
    expect((await failures)[0]).toMatchObject({ type: 'failed', reason: 'cancelled' });
  });
});

describe('a sendOTP that arrives after the DELETE of its enrolment (delayed or retried)', () => {
  let harness: CallbackHarness;
  beforeAll(async () => {
    // One send per card: a refused send that counted would leave nothing for the next.
    harness = await startCallbackApp({
      options: (sandbox, smtp) => {
        const base = baseOptions(sandbox, smtp);
        return { ...base, limits: { ...base.limits, perCard: { max: 1, windowSeconds: 3600 } } };
      },
    });
  });
  afterAll(async () => {
    await harness.close();
  });

  it('sends nothing and counts nothing, while another enrolment still sends', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    const sendOtp = (correlationId: string, otpValue: string) =>
      postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId: sms!.id }, classicHeaders(correlationId));
    const notifyDelete = (correlationId: string) =>
      postJson(
        `${harness.url}/issuer/igwapi/v2.0/notifyVirtualCardChange`,
        { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc-0009', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts-0009', isPrimary: true, source: 'TSP', action: 'DELETE' },
        classicHeaders(correlationId),
      );
    expect(await notifyDelete('corr-vcc-ended')).toEqual({ status: 200, body: {} });
    expect(await sendOtp('corr-vcc-ended', '246810')).toEqual({ status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } });
    expect(harness.sandbox.requests).toHaveLength(0);
    // D1's Deliver OTP of the same enrolment (its correlation id) likewise.
    const deliverD1 = await postJson(
      `${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp`,
      { otp: { value: '246812' }, deliveryChannel: 'SMS' },
      { 'content-type': 'application/json', 'x-correlation-id': 'corr-vcc-ended' },
    );
    expect(deliverD1).toEqual({ status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } });
    expect(harness.sandbox.requests).toHaveLength(0);
    // Nothing was counted: the card's one send is still there for another enrolment.
    expect(await sendOtp('corr-vcc-other', '246811')).toEqual({ status: 200, body: {} });
    expect(harness.sandbox.outbox).toHaveLength(1);
  });
});

describe('a DELETE on one replica of a store of your own, then late sends on another', () => {
  const DELETE_BODY = { issuerCardRefId: 'card-jp-0001', virtualCardId: 'vc-0010', walletProviderId: 'APPLE_PAY', tokenStorageId: 'ts-0010', isPrimary: true, action: 'DELETE' };
  const refused = { status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } };

  /** Two apps sharing one store object, as replicas share a store of the issuer's that lacks the optional steps given. */
  async function replicasSharing(store: OtpStore): Promise<[CallbackHarness, CallbackHarness]> {
    const start = () =>
      startCallbackApp({
        extraProviders: [{ provide: OtpStore, useValue: store }],
        options: (sandbox, smtp) => {
          const base = baseOptions(sandbox, smtp);
          return { ...base, limits: { ...base.limits, perCard: { max: 1, windowSeconds: 3600 }, perDestination: { max: 1, windowSeconds: 3600 } } };
        },
      });
    return [await start(), await start()];
  }

  it.each([
    ['with claimAndConsumeUnless', () => new MemoryOtpStore()],
    ['without it (the mark read before the claim)', () => Object.assign(new MemoryOtpStore(), { claimAndConsumeUnless: undefined })],
    ['without claimAndConsume at all', () => Object.assign(new MemoryOtpStore(), { claimAndConsume: undefined, abandonClaim: undefined, claimAndConsumeUnless: undefined })],
  ])('%s: 911, nothing sent, nothing counted', async (_name, makeStore) => {
    const [a, b] = await replicasSharing(makeStore());
    try {
      const [sms] = await b.app.get(IdvMethodsService).forCard('card-jp-0001');
      const sendOtp = (correlationId: string, otpValue: string) =>
        postJson(`${b.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId: sms!.id }, classicHeaders(correlationId));
      expect(await postJson(`${a.url}${NOTIFY}`, DELETE_BODY, classicHeaders('corr-vcc-shared'))).toEqual({ status: 200, body: {} });
      expect(await sendOtp('corr-vcc-shared', '112233')).toEqual(refused);
      const deliverD1 = await postJson(
        `${b.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro/otp`,
        { otp: { value: '112234' }, deliveryChannel: 'SMS' },
        { 'content-type': 'application/json', 'x-correlation-id': 'corr-vcc-shared' },
      );
      expect(deliverD1).toEqual(refused);
      expect(b.sandbox.requests).toHaveLength(0);
      // The card's and the number's one send is still there for another enrolment.
      expect(await sendOtp('corr-vcc-shared-other', '112235')).toEqual({ status: 200, body: {} });
      expect(b.sandbox.outbox).toHaveLength(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a store that cannot take the mark: 921 with nothing published, this replica\'s delivery stopped all the same, and the retry marks it', async () => {
    let refuseMarks = true;
    class MarkRefusingStore extends MemoryOtpStore {
      override async set(key: string, value: string, ttlMs: number): Promise<void> {
        if (refuseMarks && key.startsWith('tok:ended:')) throw new StoreUnavailableError('set', { sent: true });
        return super.set(key, value, ttlMs);
      }
    }
    const [a, b] = await replicasSharing(new MarkRefusingStore());
    const published: VirtualCardChangeEvent[] = [];
    a.app.get(OtpTokenizationEvents).virtualCardChanges$.subscribe((event) => published.push(event));
    try {
      const { pending } = await sendHeldAtCm(a, 'corr-vcc-unmarked', '445566');
      expect(await notifyDelete(a, 'corr-vcc-unmarked', DELETE_BODY)).toEqual(UNEXPECTED_ERROR);
      expect(published).toHaveLength(0);
      expect(await pending).toEqual(refused);
      a.sandbox.setLatency(0);
      // The platform retries the 921: the mark is taken, the change published once, and the other replica refuses.
      refuseMarks = false;
      expect(await notifyDelete(a, 'corr-vcc-unmarked', DELETE_BODY)).toEqual({ status: 200, body: {} });
      expect(published).toHaveLength(1);
      expect(await sendOtpOf(b, 'corr-vcc-unmarked', '445567')).toEqual(refused);
      expect(b.sandbox.outbox).toHaveLength(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("a store that is down for the DELETE itself (its claim fails: 921): this replica's delivery in flight is stopped all the same", async () => {
    let storeDown = true;
    class NotifyRefusingStore extends MemoryOtpStore {
      override async setIfAbsent(key: string, value: string, ttlMs: number): Promise<boolean> {
        if (storeDown && key.startsWith('tok:vcc:')) throw new StoreUnavailableError('setIfAbsent', { sent: false });
        return super.setIfAbsent(key, value, ttlMs);
      }
    }
    const [a, b] = await replicasSharing(new NotifyRefusingStore());
    try {
      const { pending } = await sendHeldAtCm(a, 'corr-vcc-store-down', '556677');
      expect(await notifyDelete(a, 'corr-vcc-store-down', DELETE_BODY)).toEqual(UNEXPECTED_ERROR);
      expect(await pending).toEqual(refused);
      a.sandbox.setLatency(0);
      storeDown = false;
      expect(await notifyDelete(a, 'corr-vcc-store-down', DELETE_BODY)).toEqual({ status: 200, body: {} });
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

const UNEXPECTED_ERROR = { status: 500, body: { responseCode: 921, errorMessage: 'Unexpected server error' } };

/** A classic sendOTP of card-jp-0001 under `correlationId`. */
async function sendOtpOf(harness: CallbackHarness, correlationId: string, otpValue: string) {
  const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
  return postJson(`${harness.url}/issuer/igwapi/v2.0/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue, otpMethodId: sms!.id }, classicHeaders(correlationId));
}

/** A sendOTP held at CM (2 s of sandbox latency), once CM has its request: its answer, still pending. */
async function sendHeldAtCm(harness: CallbackHarness, correlationId: string, otpValue: string) {
  harness.sandbox.setLatency(2_000);
  const pending = sendOtpOf(harness, correlationId, otpValue);
  await waitUntil(() => harness.sandbox.requests.length === 1);
  // Wrapped: an async function's returned promise would be awaited, answer and all.
  return { pending };
}

/** The notification with `body` (a DELETE's) for the enrolment `correlationId`. */
function notifyDelete(harness: CallbackHarness, correlationId: string, body: object) {
  return postJson(`${harness.url}${NOTIFY}`, body, classicHeaders(correlationId));
}

async function waitUntil(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error('condition not met');
}
