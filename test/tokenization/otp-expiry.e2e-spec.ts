import { IdvMethodsService, OtpStore } from 'nestjs-otp-delivery';
import { CallbackIdempotency } from '../../libs/otp-delivery/src/tokenization/callback-idempotency.service.js';
import { IDEMPOTENCY_PREFIX } from '../../libs/otp-delivery/src/tokenization/tokenization.constants.js';
import { baseOptions, callbackAppPerSuite, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const DELIVER_OTP = '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp';
const EXPIRED = { status: 400, body: { responseCode: 911, errorMessage: 'The OTP has expired' } };

/** An ISO 8601 instant `seconds` from now (negative: in the past). */
const inSeconds = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();

/**
 * A code past its `expirationDate` used to be sent with the fallback validity ("expires in 5 min").
 * Now nothing is sent for a code with less than `minRemainingValiditySeconds` left, and a message
 * never announces more validity than the code has.
 */
describe('the expiry of the code the platform asks to deliver', () => {
  const suite = callbackAppPerSuite();
  let correlation = 0;
  const nextCorrelationId = () => `expiry-${(correlation += 1)}`;

  const sendOtp = (expirationDate: string | number | undefined, otpValue = '86420975') =>
    postJson(suite.harness.url + SEND_OTP, { issuerCardRefId: 'card-gb-0001', otpValue, otpMethodId: suite.gbSms.id, expirationDate }, classicHeaders(nextCorrelationId()));
  const deliverOtp = (expirationDate: string | number | undefined, value = '86420975') =>
    postJson(suite.harness.url + DELIVER_OTP, { otp: { value, expirationDate }, deliveryChannel: 'SMS' }, { 'content-type': 'application/json', 'x-correlation-id': nextCorrelationId() });
  /** The minutes the only SMS sent announces. */
  const announcedMinutes = () => {
    expect(suite.harness.sandbox.outbox).toHaveLength(1);
    return Number(/It expires in (\d+) min/.exec(suite.harness.sandbox.outbox[0]!.text)?.[1]);
  };

  it.each([
    ['an ISO date a minute ago', () => inSeconds(-60)],
    ['epoch seconds an hour ago', () => Math.floor(Date.now() / 1000) - 3600],
    ['epoch milliseconds 30 s from now (under the 60 s minimum)', () => String(Date.now() + 30_000)],
  ])('refuses %s with 400/911 "The OTP has expired", classic and D1, nothing sent', async (_name, expirationDate) => {
    expect(await sendOtp(expirationDate())).toEqual(EXPIRED);
    expect(await deliverOtp(expirationDate())).toEqual(EXPIRED);
    expect(suite.harness.sandbox.requests).toHaveLength(0);
    expect(suite.harness.smtp.messages).toHaveLength(0);
  });

  it('answers a repeat of a delivered code with the delivery, not "expired", once its time has run out', async () => {
    // 62 s left: delivered (the minimum is 60 s); 2.5 s later the platform retries the very same request.
    const request = { issuerCardRefId: 'card-gb-0001', otpValue: '97531864', otpMethodId: suite.gbSms.id, expirationDate: inSeconds(62) };
    const headers = classicHeaders(nextCorrelationId());
    const body = { otp: { value: '97531864', expirationDate: request.expirationDate }, deliveryChannel: 'SMS' };
    const d1Headers = { 'content-type': 'application/json', 'x-correlation-id': nextCorrelationId() };
    expect(await postJson(suite.harness.url + SEND_OTP, request, headers)).toEqual({ status: 200, body: {} });
    expect((await postJson(suite.harness.url + DELIVER_OTP, body, d1Headers)).status).toBe(204);
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    expect(await postJson(suite.harness.url + SEND_OTP, request, headers)).toEqual({ status: 200, body: {} });
    expect((await postJson(suite.harness.url + DELIVER_OTP, body, d1Headers)).status).toBe(204);
    expect(suite.harness.sandbox.outbox).toHaveLength(2);
    // A new request with that date is refused as before.
    expect(await sendOtp(request.expirationDate)).toEqual(EXPIRED);
  });

  it('answers a concurrent repeat with the first outcome once it comes, even when the code expired meanwhile', async () => {
    // CM holds the first send 3 s; the platform retries after 2 s, with 59.5 s left (under the 60 s minimum).
    const request = { issuerCardRefId: 'card-gb-0001', otpValue: '97531865', otpMethodId: suite.gbSms.id, expirationDate: inSeconds(61.5) };
    const headers = classicHeaders(nextCorrelationId());
    suite.harness.sandbox.setLatency(3_000);
    try {
      const first = postJson(suite.harness.url + SEND_OTP, request, headers);
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(await postJson(suite.harness.url + SEND_OTP, request, headers)).toEqual({ status: 200, body: {} });
      expect(await first).toEqual({ status: 200, body: {} });
      expect(suite.harness.sandbox.outbox).toHaveLength(1);
    } finally {
      suite.harness.sandbox.clearFaults();
    }
  });

  it('announces the whole minutes left, rounded down', async () => {
    expect(await sendOtp(inSeconds(10 * 60 + 30))).toEqual({ status: 200, body: {} });
    expect(announcedMinutes()).toBe(10);
    suite.harness.sandbox.clear();
    expect((await deliverOtp(inSeconds(119))).status).toBe(204);
    expect(announcedMinutes()).toBe(1);
  });

  it('announces the fallback (tokenization.otpExpirySeconds, 300) for an absent or unreadable date, never more', async () => {
    expect(await sendOtp(undefined)).toEqual({ status: 200, body: {} });
    expect(announcedMinutes()).toBe(5);
    suite.harness.sandbox.clear();
    // Read as epoch milliseconds before: year 2611, so an hour was announced.
    expect(await sendOtp('20261122063000')).toEqual({ status: 200, body: {} });
    expect(announcedMinutes()).toBe(5);
  });

  describe('with tokenization.minRemainingValiditySeconds: 180', () => {
    let strict: CallbackHarness;

    beforeAll(async () => {
      strict = await startCallbackApp({
        options: (sandbox, smtp) => {
          const base = baseOptions(sandbox, smtp);
          return { ...base, tokenization: { ...base.tokenization, minRemainingValiditySeconds: 180 } };
        },
      });
    });

    afterAll(async () => {
      await strict.close();
    });

    it('refuses a code with two minutes left and delivers one with four', async () => {
      const [sms] = await strict.app.get(IdvMethodsService).forCard('card-gb-0001');
      const send = (expirationDate: string) =>
        postJson(strict.url + SEND_OTP, { issuerCardRefId: 'card-gb-0001', otpValue: '86420975', otpMethodId: sms!.id, expirationDate }, classicHeaders(nextCorrelationId()));
      expect(await send(inSeconds(120))).toEqual(EXPIRED);
      expect(strict.sandbox.requests).toHaveLength(0);
      expect(await send(inSeconds(240))).toEqual({ status: 200, body: {} });
      expect(strict.sandbox.outbox).toHaveLength(1);
    });
  });

  describe('a request that waits out a crashed owner of the same request', () => {
    let short: CallbackHarness;

    beforeAll(async () => {
      // A lease of 2.5 s (deadline 0.5 s + 2 s), so the wait fits a test.
      short = await startCallbackApp({
        options: (sandbox, smtp) => {
          const base = baseOptions(sandbox, smtp);
          // One send per card: a refusal that counted would leave none.
          return { ...base, delivery: { deadlineMs: 500 }, limits: { ...base.limits, perCard: { max: 1, windowSeconds: 3600 } } };
        },
      });
    });

    afterAll(async () => {
      await short.close();
    });

    it('is refused when the code expired while it waited, nothing sent', async () => {
      const [sms] = await short.app.get(IdvMethodsService).forCard('card-gb-0001');
      const request = { issuerCardRefId: 'card-gb-0001', otpValue: '86420911', otpMethodId: sms!.id, expirationDate: inSeconds(61.5) };
      const correlationId = nextCorrelationId();
      // The owner that died mid-send: its claim stays until its lease ends.
      const idempotency = short.app.get(CallbackIdempotency);
      const key = idempotency.key(IDEMPOTENCY_PREFIX.sendOtp, ['classic', 'ISSUER0001', correlationId, request.issuerCardRefId, request.otpMethodId, request.otpValue]);
      expect(await short.app.get<OtpStore>(OtpStore).setIfAbsent(key, 'pending:crashed-owner', 2_500)).toBe(true);
      // Valid on arrival (61.5 s left), under the 60 s minimum once the lease has ended.
      const started = Date.now();
      expect(await postJson(short.url + SEND_OTP, request, classicHeaders(correlationId))).toEqual(EXPIRED);
      expect(Date.now() - started).toBeGreaterThanOrEqual(2_400);
      expect(short.sandbox.requests).toHaveLength(0);
      // Nothing was counted: the card's one send is still there.
      expect(await postJson(short.url + SEND_OTP, { ...request, otpValue: '86420912', expirationDate: inSeconds(300) }, classicHeaders(nextCorrelationId()))).toEqual({ status: 200, body: {} });
    });
  });
});
