import { setTimeout as sleep } from 'node:timers/promises';
import { startHungRedisServer } from '../support/redis-hung-server.js';
import { closedPort, post, until, type Answer } from './support/http.js';
import { classicHeaders, messagingRequests, SEND_OTP, startReliabilityApp, type ReliabilityApp } from './support/reliability-app.js';

/**
 * The fault matrix of issue 7: with the CM sandbox injecting each fault, and with SMTP and Redis
 * down, every sendOTP answers the right Thales code within the delivery deadline, never makes a
 * second CM call (no retry of a call that may have reached CM, also not when the platform repeats
 * the request), and falls back to email only when the issuer configured it.
 */

/** Delivery deadline of the suites' apps; a fault answer must come before DEADLINE_MS + MARGIN_MS. */
const DEADLINE_MS = 1_500;
const MARGIN_MS = 1_000;
const WITHIN = DEADLINE_MS + MARGIN_MS;

/** Every Business Messaging error code CM documents (cm-com.md). */
const CM_ERROR_CODES = [101, 102, 103, 201, 202, 203, 301, 302, 303, 304, 305, 401, 402, 403, 500, 999];

let sequence = 0;
const correlationId = () => `fault-${process.pid}-${(sequence += 1)}`;

/** CM's error body for one rejected message, as Business Messaging answers it. */
function cmRejection(errorCode: number): unknown {
  return {
    details: `Sandbox rejection ${errorCode}`,
    errorCode,
    messages: [{ to: '00819012345678', status: 'Rejected', reference: null, parts: 0, messageDetails: `Rejected (${errorCode})`, messageErrorCode: errorCode }],
  };
}

const OPERATION_FAILED = { responseCode: 911, errorMessage: expect.any(String) };
const UNEXPECTED = { responseCode: 921, errorMessage: expect.any(String) };

describe('fault matrix: sendOTP against CM faults, SMTP down and Redis down', () => {
  describe('without fallback (the default)', () => {
    let app: ReliabilityApp;
    beforeAll(async () => {
      app = await startReliabilityApp(() => ({ delivery: { deadlineMs: DEADLINE_MS } }));
    });
    afterEach(() => {
      app.sandbox.clear();
      app.smtp.clear();
    });
    afterAll(async () => {
      await app.close();
    });

    const smsBody = () => ({ issuerCardRefId: 'card-jp-0001', otpValue: '482913', otpMethodId: app.methods.jp[0]!.id });
    /** Sends, then repeats the identical request as the platform would, and answers both. */
    const sendTwice = async (body = smsBody()): Promise<[Answer, Answer]> => {
      const headers = classicHeaders(correlationId());
      const first = await post(app.url + SEND_OTP, body, headers, WITHIN);
      const repeat = await post(app.url + SEND_OTP, body, headers, WITHIN);
      return [first, repeat];
    };
    const expectFailedOnceWithoutFallback = (first: Answer, repeat: Answer) => {
      expect(first).toEqual({ status: 400, body: OPERATION_FAILED });
      expect(repeat).toEqual(first);
      expect(messagingRequests(app.sandbox)).toBe(1);
      expect(app.smtp.messages).toHaveLength(0);
    };

    it('a healthy send answers 200 once and a repeat is answered without a second send', async () => {
      const [first, repeat] = await sendTwice();
      expect(first).toEqual({ status: 200, body: {} });
      expect(repeat).toEqual(first);
      expect(app.sandbox.outbox).toHaveLength(1);
      expect(messagingRequests(app.sandbox)).toBe(1);
    });

    it('HTTP 500 from CM: 911, one CM call, no retry, no fallback', async () => {
      app.sandbox.failNext(1, { status: 500 });
      expectFailedOnceWithoutFallback(...(await sendTwice()));
      expect(app.sandbox.outbox).toHaveLength(0);
    });

    it('HTTP 502 with a non-JSON body: 911, one CM call', async () => {
      app.sandbox.failNext(1, { status: 502, body: '<html>Bad gateway</html>' });
      expectFailedOnceWithoutFallback(...(await sendTwice()));
    });

    it.each(CM_ERROR_CODES)('HTTP 400 with CM errorCode %i: 911, one CM call, nothing sent', async (code) => {
      app.sandbox.failNext(1, { status: 400, body: cmRejection(code) });
      expectFailedOnceWithoutFallback(...(await sendTwice()));
      expect(app.sandbox.outbox).toHaveLength(0);
    });

    it('HTTP 200 with errorCode 201 (partial failure) is no success: 911', async () => {
      app.sandbox.failNext(1, { status: 200, body: cmRejection(201) });
      expectFailedOnceWithoutFallback(...(await sendTwice()));
    });

    it('a dropped connection after CM read the request: 911, not retried (CM may have sent it)', async () => {
      app.sandbox.dropNext(1);
      expectFailedOnceWithoutFallback(...(await sendTwice()));
    });

    it('CM answering after the deadline: 911 within the deadline, and the late message is the only one', async () => {
      app.sandbox.setLatency(DEADLINE_MS + 1_000);
      const [first, repeat] = await sendTwice();
      expectFailedOnceWithoutFallback(first, repeat);
      // CM got the request and sends it late: the outbox then holds exactly that one message.
      await until(() => app.sandbox.outbox.length > 0, 5_000, 'the late message');
      await sleep(100);
      expect(app.sandbox.outbox).toHaveLength(1);
      expect(messagingRequests(app.sandbox)).toBe(1);
    });

    it('slow answers within the deadline: 200, one send each, concurrent repeats wait for the first outcome', async () => {
      app.sandbox.setLatency(300);
      const headers = classicHeaders(correlationId());
      const body = smsBody();
      const answers = await Promise.all([1, 2, 3, 4].map(() => post(app.url + SEND_OTP, body, headers, WITHIN)));
      for (const answer of answers) expect(answer).toEqual({ status: 200, body: {} });
      expect(app.sandbox.outbox).toHaveLength(1);
      expect(messagingRequests(app.sandbox)).toBe(1);
    });

    it('a fault on one request does not leak into the next one', async () => {
      app.sandbox.failNext(1, { status: 500 });
      const [failed] = await sendTwice();
      const [next] = await sendTwice({ ...smsBody(), otpValue: '555111' });
      expect(failed.status).toBe(400);
      expect(next).toEqual({ status: 200, body: {} });
      expect(app.sandbox.outbox).toHaveLength(1);
      expect(app.sandbox.outbox[0]!.text).toContain('555111');
    });
  });

  describe('with sms -> email fallback configured by the issuer', () => {
    let app: ReliabilityApp;
    beforeAll(async () => {
      app = await startReliabilityApp(() => ({
        delivery: { deadlineMs: DEADLINE_MS, fallback: { sms: ['email'] }, allowEmailFallbackForSms: true },
      }));
    });
    afterEach(() => {
      app.sandbox.clear();
      app.smtp.clear();
    });
    afterAll(async () => {
      await app.close();
    });

    const smsBody = () => ({ issuerCardRefId: 'card-jp-0001', otpValue: '731904', otpMethodId: app.methods.jp[0]!.id });

    it.each([
      ['HTTP 500', () => app.sandbox.failNext(1, { status: 500 })],
      ['HTTP 400 with CM errorCode 402 (blacklisted)', () => app.sandbox.failNext(1, { status: 400, body: cmRejection(402) })],
      ['a dropped connection', () => app.sandbox.dropNext(1)],
    ])('%s: the code goes out once by email to the cardholder, 200', async (_fault, inject) => {
      inject();
      const headers = classicHeaders(correlationId());
      const first = await post(app.url + SEND_OTP, smsBody(), headers, WITHIN);
      const repeat = await post(app.url + SEND_OTP, smsBody(), headers, WITHIN);
      expect(first).toEqual({ status: 200, body: {} });
      expect(repeat).toEqual(first);
      expect(messagingRequests(app.sandbox)).toBe(1);
      expect(app.sandbox.outbox).toHaveLength(0);
      expect(app.smtp.messages).toHaveLength(1);
      expect(app.smtp.messages[0]!.to).toMatchObject({ value: [{ address: 'taro.yamada@example.jp' }] });
      expect(app.smtp.messages[0]!.text).toContain('731904');
    });

    it('a healthy SMS send does not touch email', async () => {
      const answer = await post(app.url + SEND_OTP, smsBody(), classicHeaders(correlationId()), WITHIN);
      expect(answer).toEqual({ status: 200, body: {} });
      expect(app.sandbox.outbox).toHaveLength(1);
      expect(app.smtp.messages).toHaveLength(0);
    });

    it('a timeout does not fall back (the SMS may still arrive): 911 within the deadline, no email', async () => {
      app.sandbox.setLatency(DEADLINE_MS + 1_000);
      const answer = await post(app.url + SEND_OTP, smsBody(), classicHeaders(correlationId()), WITHIN);
      expect(answer).toEqual({ status: 400, body: OPERATION_FAILED });
      expect(messagingRequests(app.sandbox)).toBe(1);
      expect(app.smtp.messages).toHaveLength(0);
    });
  });

  describe('SMTP down', () => {
    let app: ReliabilityApp;
    beforeAll(async () => {
      const port = await closedPort();
      app = await startReliabilityApp(() => ({
        email: { smtpUrl: `smtp://127.0.0.1:${port}`, from: 'MyBank <otp@mybank.example>', pool: false, connectionTimeoutMs: 500 },
        delivery: { deadlineMs: DEADLINE_MS },
      }));
    });
    afterEach(() => {
      app.sandbox.clear();
    });
    afterAll(async () => {
      await app.close();
    });

    it('the email method answers 911 within the deadline; a repeat does not try again', async () => {
      const body = { issuerCardRefId: 'card-jp-0001', otpValue: '246810', otpMethodId: app.methods.jp[1]!.id };
      const headers = classicHeaders(correlationId());
      const first = await post(app.url + SEND_OTP, body, headers, WITHIN);
      const repeat = await post(app.url + SEND_OTP, body, headers, WITHIN);
      expect(first).toEqual({ status: 400, body: OPERATION_FAILED });
      expect(repeat).toEqual(first);
      // No fallback configured: the SMS channel is not used instead.
      expect(messagingRequests(app.sandbox)).toBe(0);
    });

    it('the SMS method is unaffected', async () => {
      const body = { issuerCardRefId: 'card-jp-0001', otpValue: '135790', otpMethodId: app.methods.jp[0]!.id };
      const answer = await post(app.url + SEND_OTP, body, classicHeaders(correlationId()), WITHIN);
      expect(answer).toEqual({ status: 200, body: {} });
      expect(app.sandbox.outbox).toHaveLength(1);
    });
  });

  describe.each([
    ['refused (nothing listens)', async () => ({ port: await closedPort(), close: async () => undefined })],
    ['hung (accepts, never answers)', startHungRedisServer],
  ])('Redis %s', (_kind, startRedisStandIn) => {
    let app: ReliabilityApp;
    let redis: { port: number; close(): Promise<void> };
    beforeAll(async () => {
      redis = await startRedisStandIn();
      app = await startReliabilityApp(() => ({
        store: { type: 'redis', redisUrl: `redis://127.0.0.1:${redis.port}`, commandTimeoutMs: 200 },
        delivery: { deadlineMs: DEADLINE_MS },
      }));
    });
    afterAll(async () => {
      await app.close();
      await redis.close();
    });

    it('sendOTP answers 500 with 921 (retryable) within the deadline and sends nothing', async () => {
      const body = { issuerCardRefId: 'card-jp-0001', otpValue: '975310', otpMethodId: app.methods.jp[0]!.id };
      const headers = classicHeaders(correlationId());
      const first = await post(app.url + SEND_OTP, body, headers, WITHIN);
      const retry = await post(app.url + SEND_OTP, body, headers, WITHIN);
      expect(first).toEqual({ status: 500, body: UNEXPECTED });
      expect(retry).toEqual(first);
      expect(app.sandbox.requests).toHaveLength(0);
      expect(app.smtp.messages).toHaveLength(0);
    });
  });
});
