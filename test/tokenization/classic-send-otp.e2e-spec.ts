import { hash } from 'node:crypto';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { CardholderContactResolver, IdvMethodsService, OTP_CALLER_GUARD, OtpStore, setCallerIdentity, type IdvMethod } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './support/smtp-capture.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';
import { rawHttp } from '../support/raw-http.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
let correlation = 0;
const nextCorrelationId = () => `corr-send-${Date.now()}-${(correlation += 1)}`;

describe('classic sendOTP over HTTP (CM sandbox + real SMTP)', () => {
  let sandbox: CmSandbox;
  let smtp: SmtpCapture;
  let harness: CallbackHarness;
  let jpMethods: IdvMethod[];
  let gbMethods: IdvMethod[];

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    smtp = await SmtpCapture.start();
    harness = await startCallbackApp({ sandbox, smtp });
    const idv = harness.app.get(IdvMethodsService);
    jpMethods = await idv.forCard('card-jp-0001');
    gbMethods = await idv.forCard('card-gb-0001');
  });

  afterEach(() => {
    sandbox.clear();
    smtp.clear();
    sandbox.setLatency(0);
  });

  afterAll(async () => {
    await harness.close();
    await sandbox.close();
    await smtp.close();
  });

  const send = (body: Record<string, unknown>, headers = classicHeaders(nextCorrelationId())) => postJson(harness.url + SEND_OTP, body, headers);
  const expectNothingSent = () => {
    expect(sandbox.outbox).toHaveLength(0);
    expect(sandbox.requests).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);
  };

  it('sends the Japanese cardholder an SMS in Japanese with the code unchanged (leading zeros kept)', async () => {
    const answer = await send({ issuerCardRefId: 'card-jp-0001', otpValue: '012345', otpMethodId: jpMethods[0]!.id, walletProviderId: 'APPLE_PAY' });
    expect(answer).toEqual({ status: 200, body: {} });
    expect(sandbox.outbox).toHaveLength(1);
    const sms = sandbox.outbox[0]!;
    expect(sms.to).toBe('00819012345678');
    expect(sms.text).toContain('012345');
    expect(sms.text).toContain('認証コード');
    expect(sms.text).toContain('4242');
    expect(sms.encoding).toBe('UCS-2');
  });

  it('sends the English cardholder an SMS in English with an 8-digit code unchanged', async () => {
    const answer = await send({ issuerCardRefId: 'card-gb-0001', otpValue: '00098765', otpMethodId: gbMethods[0]!.id, walletProviderId: 'ANDROID_PAY' });
    expect(answer).toEqual({ status: 200, body: {} });
    expect(sandbox.outbox).toHaveLength(1);
    expect(sandbox.outbox[0]!.to).toBe('00447400123456');
    expect(sandbox.outbox[0]!.text).toContain('00098765 is your code');
    expect(sandbox.outbox[0]!.text).toContain('1881');
    expect(sandbox.outbox[0]!.encoding).toBe('GSM-7');
  });

  it('sends by email through a real SMTP server when the email method is chosen', async () => {
    const answer = await send({ issuerCardRefId: 'card-jp-0001', otpValue: '654321', otpMethodId: jpMethods[1]!.id });
    expect(answer).toEqual({ status: 200, body: {} });
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.to).toMatchObject({ value: [{ address: 'taro.yamada@example.jp' }] });
    expect(smtp.messages[0]!.text).toContain('654321');
    expect(smtp.messages[0]!.subject).toContain('認証コード');
    expect(sandbox.outbox).toHaveLength(0);
  });

  describe('refusals send nothing', () => {
    const valid = () => ({ issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: jpMethods[0]!.id });

    it('111 when x-correlation-id is missing', async () => {
      const { 'x-correlation-id': _dropped, ...headers } = classicHeaders('x');
      expect(await send(valid(), headers)).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: x-correlation-id' } });
      expectNothingSent();
    });

    it('111 when x-issuer-id is missing', async () => {
      const { 'x-issuer-id': _dropped, ...headers } = classicHeaders('x');
      expect(await send(valid(), headers)).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: x-issuer-id' } });
      expectNothingSent();
    });

    it('111 when otpValue is missing', async () => {
      const { otpValue: _dropped, ...body } = valid();
      expect(await send(body)).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: otpValue' } });
      expectNothingSent();
    });

    it('112 for a malformed otpValue, without echoing it', async () => {
      const answer = await send({ ...valid(), otpValue: '12<script>' });
      expect(answer).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otpValue' } });
      expect(JSON.stringify(answer.body)).not.toContain('12<script>');
      expectNothingSent();
    });

    it('112 for an x-correlation-id longer than 64 and an x-issuer-id that is not 10 characters', async () => {
      expect((await send(valid(), classicHeaders('c'.repeat(65)))).body).toEqual({ responseCode: 112, errorMessage: 'Invalid parameter format: x-correlation-id' });
      expect((await send(valid(), classicHeaders('c', 'SHORT'))).body).toEqual({ responseCode: 112, errorMessage: 'Invalid parameter format: x-issuer-id' });
      expectNothingSent();
    });

    it('112 for an x-issuer-id or x-correlation-id on two lines (Node joins them into `a, b`)', async () => {
      for (const [name, lines] of [
        ['x-issuer-id', ['x-issuer-id: ISSUER0001', 'x-issuer-id: ISSUER0001', `x-correlation-id: ${nextCorrelationId()}`]],
        ['x-correlation-id', ['x-issuer-id: ISSUER0001', 'x-correlation-id: twice-1', 'x-correlation-id: twice-1']],
      ] as const) {
        const answer = await rawHttp(harness.url, [`POST ${SEND_OTP} HTTP/1.1`, 'Host: localhost', 'Content-Type: application/json', ...lines], JSON.stringify(valid()));
        expect([name, answer.status, JSON.parse(answer.body)]).toEqual([name, 400, { responseCode: 112, errorMessage: `Invalid parameter format: ${name}` }]);
      }
      expectNothingSent();
    });

    it('403 for another issuer id', async () => {
      expect(await send(valid(), classicHeaders('c', 'ISSUER0002'))).toEqual({ status: 403, body: { errorMessage: 'x-issuer-id does not match this issuer' } });
      expectNothingSent();
    });

    it('accepts and ignores unknown fields', async () => {
      expect(await send({ ...valid(), tokenRequestor: { id: '40010030273' }, somethingNew: [1, 2] })).toEqual({ status: 200, body: {} });
      expect(sandbox.outbox).toHaveLength(1);
    });

    it('501 for an unknown method id, another card\'s method id and an unknown card', async () => {
      const unknownMethod = { responseCode: 501, errorMessage: 'Invalid otpMethodId' };
      expect(await send({ ...valid(), otpMethodId: 'AAAAAAAAAAAAAAAA' })).toEqual({ status: 400, body: unknownMethod });
      expect(await send({ ...valid(), otpMethodId: gbMethods[0]!.id })).toEqual({ status: 400, body: unknownMethod });
      expect(await send({ ...valid(), issuerCardRefId: 'card-unknown' })).toEqual({ status: 400, body: unknownMethod });
      expectNothingSent();
    });
  });

  it('911 when CM rejects the message; the error says nothing of the code or number', async () => {
    sandbox.failNext(1, { status: 400, body: { details: 'No recipients', errorCode: 303, messages: [] } });
    const answer = await send({ issuerCardRefId: 'card-jp-0001', otpValue: '777777', otpMethodId: jpMethods[0]!.id });
    expect(answer).toEqual({ status: 400, body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' } });
    expect(sandbox.outbox).toHaveLength(0);
  });

  it('a sequential repeat answers the first outcome and sends nothing more', async () => {
    const headers = classicHeaders(nextCorrelationId());
    const body = { issuerCardRefId: 'card-gb-0001', otpValue: '246810', otpMethodId: gbMethods[0]!.id };
    expect(await send(body, headers)).toEqual({ status: 200, body: {} });
    expect(await send(body, headers)).toEqual({ status: 200, body: {} });
    expect(sandbox.outbox).toHaveLength(1);
    // Another code in the same session is a new request.
    expect(await send({ ...body, otpValue: '135790' }, headers)).toEqual({ status: 200, body: {} });
    expect(sandbox.outbox).toHaveLength(2);
  });

  it('a repeated failure answers the stored 911 without calling CM again', async () => {
    const headers = classicHeaders(nextCorrelationId());
    const body = { issuerCardRefId: 'card-gb-0001', otpValue: '112233', otpMethodId: gbMethods[0]!.id };
    sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
    expect((await send(body, headers)).body).toMatchObject({ responseCode: 911 });
    const requestsAfterFirst = sandbox.requests.length;
    expect((await send(body, headers)).body).toMatchObject({ responseCode: 911 });
    expect(sandbox.requests).toHaveLength(requestsAfterFirst);
  });

  it('concurrent repeats send exactly one SMS and all answer 200', async () => {
    sandbox.setLatency(300);
    const headers = classicHeaders(nextCorrelationId());
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '998877', otpMethodId: jpMethods[0]!.id };
    const answers = await Promise.all(Array.from({ length: 5 }, () => send(body, headers)));
    expect(answers).toEqual(Array.from({ length: 5 }, () => ({ status: 200, body: {} })));
    expect(sandbox.outbox).toHaveLength(1);
    expect(sandbox.requests).toHaveLength(1);
  });
});

describe('classic sendOTP: an unexpected failure answers 921', () => {
  let harness: CallbackHarness;

  beforeAll(async () => {
    harness = await startCallbackApp({
      extraProviders: [
        {
          provide: CardholderContactResolver,
          useValue: {
            resolveByCard: async () => {
              throw new Error('card system down for +81 90-1234-5678');
            },
            resolveByConsumer: async () => null,
          } satisfies CardholderContactResolver,
        },
      ],
    });
  });

  afterAll(() => harness.close());

  it('answers HTTP 500 with 921, sends nothing, and lets a retry run again', async () => {
    const headers = classicHeaders('corr-921');
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: 'AAAAAAAAAAAAAAAA' };
    const expected = { status: 500, body: { responseCode: 921, errorMessage: 'Unexpected server error' } };
    expect(await postJson(harness.url + SEND_OTP, body, headers)).toEqual(expected);
    // Not stored: the platform's retry reaches the resolver again (and fails again here).
    expect(await postJson(harness.url + SEND_OTP, body, headers)).toEqual(expected);
    expect(harness.sandbox.outbox).toHaveLength(0);
    expect(harness.smtp.messages).toHaveLength(0);
  });
});

describe('classic sendOTP: fraud and rate controls answer 164 and send nothing', () => {
  let harness: CallbackHarness;
  let jpSms: IdvMethod;
  let gbSms: IdvMethod;

  beforeAll(async () => {
    harness = await startCallbackApp({
      options: (sandbox, smtp) => {
        const base = baseOptions(sandbox, smtp);
        return { ...base, limits: { perCard: { max: 1, windowSeconds: 3600 }, allowedCountries: ['JP'] } };
      },
    });
    const idv = harness.app.get(IdvMethodsService);
    [jpSms] = await idv.forCard('card-jp-0001');
    // The GB number is outside the allow-list, so this app never offers it; an app without the
    // allow-list (the same key: a replica configured before the change) minted its id.
    const unrestricted = await startCallbackApp({ sandbox: harness.sandbox, smtp: harness.smtp });
    [gbSms] = await unrestricted.app.get(IdvMethodsService).forCard('card-gb-0001');
    await unrestricted.close();
  });

  afterAll(() => harness.close());

  const refused = { status: 400, body: { responseCode: 164, errorMessage: 'Refused by fraud and rate controls' } };

  it('offers no SMS method for a number outside the allowed countries', async () => {
    const methods = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
    expect(methods.map((method) => method.type)).toEqual(['otpByEmail']);
  });

  it('refuses a destination outside the allowed countries', async () => {
    expect(await postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-gb-0001', otpValue: '123456', otpMethodId: gbSms.id }, classicHeaders('corr-164-country'))).toEqual(refused);
    // D1 takes the same path: the consumer's GB number is refused too.
    const d1 = await postJson(`${harness.url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp`, { otp: { value: '123456' }, deliveryChannel: 'SMS' }, { 'content-type': 'application/json', 'x-correlation-id': 'corr-164-country-d1' });
    expect(d1).toEqual(refused);
    expect(harness.sandbox.requests).toHaveLength(0);
    // A refused send counts nowhere: no per-card or per-destination unit was taken.
    const store = harness.app.get<OtpStore>(OtpStore);
    const counter = (kind: string, value: string) => store.get(`rl:${kind}:${hash('sha256', value, 'base64url')}`);
    expect(await Promise.all([counter('card', 'card-gb-0001'), counter('card', 'cons_emily_clarke'), counter('dest', '+447400123456')])).toEqual([null, null, null]);
  });

  it('refuses the send after the per-card limit, and a repeat of the refused request too', async () => {
    const body = { issuerCardRefId: 'card-jp-0001', otpValue: '111111', otpMethodId: jpSms.id };
    expect(await postJson(harness.url + SEND_OTP, body, classicHeaders('corr-164-rate'))).toEqual({ status: 200, body: {} });
    expect(harness.sandbox.outbox).toHaveLength(1);
    const second = { ...body, otpValue: '222222' };
    expect(await postJson(harness.url + SEND_OTP, second, classicHeaders('corr-164-rate'))).toEqual(refused);
    expect(await postJson(harness.url + SEND_OTP, second, classicHeaders('corr-164-rate'))).toEqual(refused);
    expect(harness.sandbox.outbox).toHaveLength(1);
    expect(harness.sandbox.requests).toHaveLength(1);
  });
});

describe('classic sendOTP: the per-caller limit counts each verified caller on its own', () => {
  /** A replacement caller guard that verifies an API key and records which caller it was. */
  @Injectable()
  class ApiKeyCallerGuard implements CanActivate {
    canActivate(context: ExecutionContext): boolean {
      const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
      const key = request.headers['x-api-key'];
      if (key !== 'platform-a' && key !== 'platform-b') return false;
      setCallerIdentity(request, { id: key });
      return true;
    }
  }
  let harness: CallbackHarness;

  beforeAll(async () => {
    harness = await startCallbackApp({
      options: (sandbox, smtp) => ({ ...baseOptions(sandbox, smtp), limits: { ...baseOptions(sandbox, smtp).limits, perClient: { max: 2, windowSeconds: 60 } } }),
      extraProviders: [{ provide: OTP_CALLER_GUARD, useClass: ApiKeyCallerGuard }],
    });
  });

  afterAll(() => harness.close());

  it('refuses the third send of one caller while another caller still sends', async () => {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    const send = (caller: string, n: number) =>
      postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue: `55555${n}`, otpMethodId: sms!.id }, { ...classicHeaders(`corr-client-${caller}-${n}`), 'x-api-key': caller });
    expect((await send('platform-a', 1)).status).toBe(200);
    expect((await send('platform-a', 2)).status).toBe(200);
    expect(await send('platform-a', 3)).toEqual({ status: 400, body: { responseCode: 164, errorMessage: 'Refused by fraud and rate controls' } });
    expect((await send('platform-b', 4)).status).toBe(200);
    expect(harness.sandbox.outbox).toHaveLength(3);
  });
});
