import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './support/smtp-capture.js';
import { postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const BASE = '/banking/d1/v1/issuers';

describe('D1 callbacks over HTTP', () => {
  let sandbox: CmSandbox;
  let smtp: SmtpCapture;
  let harness: CallbackHarness;
  let correlation = 0;
  const nextCorrelationId = () => `corr_d1_${Date.now()}_${(correlation += 1)}`;

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    smtp = await SmtpCapture.start();
    harness = await startCallbackApp({ sandbox, smtp });
  });

  afterEach(() => {
    sandbox.clear();
    smtp.clear();
  });

  afterAll(async () => {
    await harness.close();
    await sandbox.close();
    await smtp.close();
  });

  const getConsumer = async (path: string, headers: Record<string, string> = {}) => {
    const response = await fetch(harness.url + path, { headers });
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const deliver = (consumerId: string, body: unknown, correlationId = nextCorrelationId(), issuerId = 'ISSUER0001') =>
    postJson(`${harness.url}${BASE}/${issuerId}/consumers/${consumerId}/otp`, body, { 'content-type': 'application/json', 'x-correlation-id': correlationId });
  const expectNothingSent = () => {
    expect(sandbox.requests).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);
  };

  describe('Get Consumer Information', () => {
    it('answers consumerInfo from the resolver', async () => {
      expect(await getConsumer(`${BASE}/ISSUER0001/consumers/cons_yamada_taro`, { 'x-correlation-id': 'abc_123' })).toEqual({
        status: 200,
        body: {
          language: 'ja-JP',
          firstName: 'Taro',
          lastName: 'Yamada',
          email: 'taro.yamada@example.jp',
          mobilePhoneNumber: { countryCode: '81', phoneNumber: '9012345678' },
        },
      });
      // Personal data: no cache on the way may keep it.
      expect((await fetch(`${harness.url}${BASE}/ISSUER0001/consumers/cons_yamada_taro`)).headers.get('cache-control')).toBe('no-store');
      expect((await getConsumer(`${BASE}/ISSUER0001/consumers/cons_emily_clarke?cardId=card-gb-0002`)).body).toMatchObject({
        language: 'en-GB',
        middleName: 'Rose',
        mobilePhoneNumber: { countryCode: '44', phoneNumber: '7400123456' },
      });
    });

    it('404 for an unknown consumer or a card that is not theirs', async () => {
      expect((await getConsumer(`${BASE}/ISSUER0001/consumers/cons_nobody`)).status).toBe(404);
      expect((await getConsumer(`${BASE}/ISSUER0001/consumers/cons_yamada_taro?cardId=card-gb-0001`)).status).toBe(404);
    });

    it('112 for path, query and header values outside their patterns; 403 for another issuer', async () => {
      expect(await getConsumer(`${BASE}/ISSUER0001/consumers/bad.consumer`)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: consumerId' } });
      expect((await getConsumer(`${BASE}/ISSUER0001/consumers/cons_yamada_taro?cardId=${'x'.repeat(49)}`)).body).toMatchObject({ responseCode: 112, errorMessage: 'Invalid parameter format: cardId' });
      expect((await getConsumer(`${BASE}/ISSUER0001/consumers/cons_yamada_taro`, { 'x-correlation-id': 'has space' })).body).toMatchObject({ responseCode: 112 });
      expect((await getConsumer(`${BASE}/ISSUER01/consumers/cons_yamada_taro`)).body).toMatchObject({ responseCode: 112, errorMessage: 'Invalid parameter format: issuerId' });
      expect((await getConsumer(`${BASE}/ISSUER0002/consumers/cons_yamada_taro`)).status).toBe(403);
    });
  });

  describe('Deliver OTP', () => {
    it('answers 204 and sends the SMS with the code unchanged and the PAN suffix given', async () => {
      const answer = await deliver('cons_yamada_taro', { otp: { value: '004321', reason: 'CARD-DIGITIZATION' }, deliveryChannel: 'SMS', panSuffix: '9999' });
      expect(answer).toEqual({ status: 204, body: undefined });
      expect(sandbox.outbox).toHaveLength(1);
      expect(sandbox.outbox[0]!.to).toBe('00819012345678');
      expect(sandbox.outbox[0]!.text).toContain('004321');
      expect(sandbox.outbox[0]!.text).toContain('9999');
    });

    it('answers 204 and sends the email through SMTP', async () => {
      expect(await deliver('cons_emily_clarke', { otp: { value: '55667788' }, deliveryChannel: 'EMAIL' })).toEqual({ status: 204, body: undefined });
      expect(smtp.messages).toHaveLength(1);
      expect(smtp.messages[0]!.text).toContain('55667788');
      expect(smtp.messages[0]!.to).toMatchObject({ value: [{ address: 'emily.clarke@example.co.uk' }] });
    });

    it('a repeat answers 204 again and sends nothing more', async () => {
      const id = nextCorrelationId();
      const body = { otp: { value: '314159' }, deliveryChannel: 'SMS' };
      expect((await deliver('cons_emily_clarke', body, id)).status).toBe(204);
      expect((await deliver('cons_emily_clarke', body, id)).status).toBe(204);
      expect(sandbox.outbox).toHaveLength(1);
    });

    it('refuses bad input, an unknown consumer and another issuer, sending nothing', async () => {
      expect(await deliver('cons_yamada_taro', { deliveryChannel: 'SMS' })).toEqual({ status: 400, body: { responseCode: 111, errorMessage: 'Missing mandatory parameter: otp' } });
      expect(await deliver('cons_yamada_taro', { otp: { value: '12' }, deliveryChannel: 'SMS' })).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otp.value' } });
      expect((await deliver('cons_yamada_taro', { otp: { value: '123456' }, deliveryChannel: 'FAX' })).body).toMatchObject({ responseCode: 112 });
      // class-validator would check an array's elements for a nested object: `otp` must be one object.
      for (const otp of [[{ value: '123456' }], [], ['123456'], '123456', 123456]) {
        expect(await deliver('cons_emily_clarke', { otp, deliveryChannel: 'EMAIL' })).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otp' } });
      }
      // Any case of the ASCII names, but not the letters that `toUpperCase` turns into them (U+017F, U+0131).
      for (const deliveryChannel of ['\u017Fms', 'ema\u0131l', 'SMS\u0000', ' SMS']) {
        expect(await deliver('cons_emily_clarke', { otp: { value: '123456' }, deliveryChannel })).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: deliveryChannel' } });
      }
      expect((await deliver('cons_nobody', { otp: { value: '123456' }, deliveryChannel: 'SMS' })).status).toBe(404);
      expect((await deliver('cons_yamada_taro', { otp: { value: '123456' }, deliveryChannel: 'SMS' }, undefined, 'ISSUER0002')).status).toBe(403);
      expectNothingSent();
    });

    it('911 when CM rejects the message', async () => {
      sandbox.failNext(1, { status: 400, body: { details: 'Rejected', errorCode: 403, messages: [] } });
      expect(await deliver('cons_yamada_taro', { otp: { value: '123456' }, deliveryChannel: 'SMS' })).toEqual({
        status: 400,
        body: { responseCode: 911, errorMessage: 'The OTP could not be delivered' },
      });
      expect(sandbox.outbox).toHaveLength(0);
    });
  });
});
