import { randomUUID } from 'node:crypto';
import { CardholderContactResolver, IdvMethodsService, OtpDeliveryService, SecretValue, type CardholderContact, type StoreOptions } from 'nestjs-otp-delivery';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';
import { describeRedis } from '../support/redis.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const D1_OTP = '/banking/d1/v1/issuers/ISSUER0001/consumers';
const NOT_DELIVERED = { status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } };
const REFUSED = { status: 400, body: { responseCode: 164, errorMessage: 'Refused by fraud and rate controls' } };

/** Contact fields of the wrong type an issuer's resolver may answer (a numeric column, a JSON number). */
const WRONG_TYPES: ReadonlyArray<[string, Partial<Record<keyof CardholderContact, unknown>>]> = [
  ['locale', { locale: 81 }],
  ['panLastFour', { panLastFour: 1234 }],
];

/**
 * A resolver that answers wrong-typed fields must cost no send budget: the request is refused
 * before its limits are counted, so the next good send of the card and number still goes through.
 * Each budget here is one send, per card and per destination.
 */
function scenarios(store: () => StoreOptions): void {
  let harness: CallbackHarness;
  /** What the resolver answers next, for any card or consumer. */
  let answer: CardholderContact;
  let number = 0;
  // A number and a card of their own per test (the store's key prefix is the suite's): the budgets
  // of one test never touch another's.
  const fresh = () => {
    number += 1;
    const contact: CardholderContact = { phoneNumber: `+81901234${String(number).padStart(4, '0')}`, email: `limits-${number}@example.com`, locale: 'en', panLastFour: '4242' };
    return { contact, card: `card-limits-${randomUUID().slice(0, 8)}`, consumer: `cons_limits_${randomUUID().slice(0, 8)}` };
  };

  beforeAll(async () => {
    harness = await startCallbackApp({
      options: (sandbox, smtp) => ({
        ...baseOptions(sandbox, smtp),
        // SMS only: a D1 request for an email is one the app cannot deliver.
        email: undefined,
        channels: { email: false },
        store: { keyPrefix: `limits-e2e-${randomUUID()}:`, ...store() },
        limits: { perCard: { max: 1, windowSeconds: 3600 }, perDestination: { max: 1, windowSeconds: 3600 } },
      }),
      extraProviders: [
        {
          provide: CardholderContactResolver,
          useValue: { resolveByCard: async () => answer, resolveByConsumer: async () => answer } satisfies CardholderContactResolver,
        },
      ],
    });
  });

  afterEach(() => {
    harness.sandbox.clear();
    harness.smtp.clear();
  });

  afterAll(() => harness.close());

  const classic = async (card: string, contact: CardholderContact, otpValue: string) => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard(card, contact, { channels: ['sms'] });
    return postJson(harness.url + SEND_OTP, { issuerCardRefId: card, otpValue, otpMethodId: sms!.id }, classicHeaders(`corr-limits-${randomUUID()}`));
  };
  const d1 = (consumer: string, otpValue: string, deliveryChannel = 'SMS') =>
    postJson(`${harness.url}${D1_OTP}/${consumer}/otp`, { otp: { value: otpValue }, deliveryChannel }, { 'content-type': 'application/json', 'x-correlation-id': `corr_limits_${randomUUID().slice(0, 8)}` });

  it.each(WRONG_TYPES)('classic sendOTP: a contact whose %s has the wrong type is refused (911) and counts nothing', async (_field, wrong) => {
    const { contact, card } = fresh();
    answer = { ...contact, ...wrong } as CardholderContact;
    expect(await classic(card, contact, '111111')).toEqual(NOT_DELIVERED);
    // A second request for the same card and number is refused the same way, counting nothing either.
    expect(await classic(card, contact, '222222')).toEqual(NOT_DELIVERED);
    expect(harness.sandbox.requests).toHaveLength(0);
    answer = contact;
    expect(await classic(card, contact, '333333')).toEqual({ status: 200, body: {} });
    expect(harness.sandbox.outbox).toHaveLength(1);
    // The budget of one send was the good send's: the next one is refused.
    expect(await classic(card, contact, '444444')).toEqual(REFUSED);
    expect(harness.sandbox.outbox).toHaveLength(1);
  });

  it.each(WRONG_TYPES)('D1 Deliver OTP: a contact whose %s has the wrong type is refused (911) and counts nothing', async (_field, wrong) => {
    const { contact, consumer } = fresh();
    answer = { ...contact, ...wrong } as CardholderContact;
    expect(await d1(consumer, '111111')).toEqual(NOT_DELIVERED);
    expect(await d1(consumer, '222222')).toEqual(NOT_DELIVERED);
    expect(harness.sandbox.requests).toHaveLength(0);
    answer = contact;
    expect((await d1(consumer, '333333')).status).toBe(204);
    expect(harness.sandbox.outbox).toHaveLength(1);
    expect((await d1(consumer, '444444')).body).toEqual(REFUSED.body);
    expect(harness.sandbox.outbox).toHaveLength(1);
  });

  it('D1 Deliver OTP: a request for a channel the app does not have is refused (911) and counts nothing', async () => {
    const { contact, consumer } = fresh();
    answer = contact;
    expect(await d1(consumer, '111111', 'EMAIL')).toEqual(NOT_DELIVERED);
    expect(await d1(consumer, '222222', 'EMAIL')).toEqual(NOT_DELIVERED);
    expect((await d1(consumer, '333333')).status).toBe(204);
    expect((await d1(consumer, '444444')).body).toEqual(REFUSED.body);
    expect(harness.sandbox.outbox).toHaveLength(1);
  });

  it('deliver(): a context field of the wrong type is rejected and counts nothing', async () => {
    const { contact, card } = fresh();
    const delivery = harness.app.get(OtpDeliveryService);
    const request = { code: new SecretValue('123456'), channel: 'sms', destination: contact.phoneNumber!, cardRef: card };
    for (const context of [{ locale: 81 }, { panLastFour: 1234 }, { expiresInSeconds: 0 }]) {
      await expect(delivery.deliver({ ...request, context: context as never })).rejects.toMatchObject({ name: 'OtpDeliveryError', reason: 'rejected' });
    }
    expect(harness.sandbox.requests).toHaveLength(0);
    await expect(delivery.deliver({ ...request, context: { locale: 'en' } })).resolves.toMatchObject({ channel: 'sms' });
    await expect(delivery.deliver({ ...request, context: { locale: 'en' } })).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'rate-limited' });
    expect(harness.sandbox.outbox).toHaveLength(1);
  });

  it('deliver(): a cardRef or clientId of the wrong type is rejected naming the field, and counts nothing', async () => {
    const { contact, card } = fresh();
    const delivery = harness.app.get(OtpDeliveryService);
    const request = { code: new SecretValue('123456'), channel: 'sms', destination: contact.phoneNumber!, cardRef: card };
    await expect(delivery.deliver({ ...request, cardRef: 4242 as never })).rejects.toMatchObject({ reason: 'rejected', message: expect.stringContaining('cardRef must be a string') });
    await expect(delivery.deliver({ ...request, clientId: { app: 1 } as never })).rejects.toMatchObject({ reason: 'rejected', message: expect.stringContaining('clientId must be a string') });
    expect(harness.sandbox.requests).toHaveLength(0);
    await expect(delivery.deliver(request)).resolves.toMatchObject({ channel: 'sms' });
    expect(harness.sandbox.outbox).toHaveLength(1);
  });

  it('deliver(): a null cardRef or clientId (a nullable column) is read as absent, not an unexpected error', async () => {
    const delivery = harness.app.get(OtpDeliveryService);
    const requestTo = (destination: string) => ({ code: new SecretValue('123456'), channel: 'sms', destination, cardRef: null as never, clientId: null as never });
    const [first, second] = [fresh().contact.phoneNumber!, fresh().contact.phoneNumber!];
    await expect(delivery.deliver(requestTo(first))).resolves.toMatchObject({ channel: 'sms' });
    // No card: two numbers never share a per-card budget (of one here) under a card named "null".
    await expect(delivery.deliver(requestTo(second))).resolves.toMatchObject({ channel: 'sms' });
    // Still counted per destination: the next send to a number is refused.
    await expect(delivery.deliver(requestTo(first))).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'rate-limited' });
    expect(harness.sandbox.outbox).toHaveLength(2);
  });

  it('deliver(): a caller cannot skip the limits by flagging its first hop as counted', async () => {
    const { contact, card } = fresh();
    const delivery = harness.app.get(OtpDeliveryService);
    // What a plain-JavaScript caller can pass: the callbacks' internal flag on a public request.
    const request = { code: new SecretValue('123456'), channel: 'sms', destination: contact.phoneNumber!, cardRef: card, firstHopCounted: true } as never;
    await expect(delivery.deliver(request)).resolves.toMatchObject({ channel: 'sms' });
    await expect(delivery.deliver(request)).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'rate-limited' });
    expect(harness.sandbox.outbox).toHaveLength(1);
  });
}

describe('a wrong-typed contact counts no limits (memory store)', () => {
  scenarios(() => ({ type: 'memory' }));
});

describeRedis('a wrong-typed contact counts no limits (Redis store)', (redis) => {
  scenarios(() => ({ type: 'redis', redisUrl: redis().url }));
});
