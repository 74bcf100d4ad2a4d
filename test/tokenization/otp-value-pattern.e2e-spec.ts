import { IdvMethodsService, type IdvMethod } from 'nestjs-otp-delivery';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const DELIVER_OTP = '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_emily_clarke/otp';

/**
 * The code to deliver (classic `otpValue`, D1 `otp.value`) is digits only, 4 to 10, unless the
 * issuer configures `tokenization.otpValuePattern`: `AB123456` used to go out as an SMS.
 */
describe('the code the platform asks to deliver', () => {
  let correlation = 0;
  const nextCorrelationId = () => `pattern-${(correlation += 1)}`;

  async function start(otpValuePattern?: RegExp | string): Promise<{ harness: CallbackHarness; gbSms: IdvMethod }> {
    const harness = await startCallbackApp({
      options: (sandbox, smtp) => {
        const base = baseOptions(sandbox, smtp);
        return otpValuePattern === undefined ? base : { ...base, tokenization: { ...base.tokenization, otpValuePattern } };
      },
    });
    const [gbSms] = await harness.app.get(IdvMethodsService).forCard('card-gb-0001');
    return { harness, gbSms: gbSms! };
  }

  const sendOtp = (harness: CallbackHarness, gbSms: IdvMethod, otpValue: string) =>
    postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-gb-0001', otpValue, otpMethodId: gbSms.id }, classicHeaders(nextCorrelationId()));
  const deliverOtp = (harness: CallbackHarness, value: string) =>
    postJson(harness.url + DELIVER_OTP, { otp: { value }, deliveryChannel: 'SMS' }, { 'content-type': 'application/json', 'x-correlation-id': nextCorrelationId() });

  describe('by default: digits only, 4 to 10', () => {
    let harness: CallbackHarness;
    let gbSms: IdvMethod;

    beforeAll(async () => {
      ({ harness, gbSms } = await start());
    });

    afterEach(() => harness.sandbox.clear());

    afterAll(async () => {
      await harness.close();
    });

    it.each(['AB123456', 'abcdef', '123', '12345678901', '１２３４５６'])('refuses %j with 112 naming the field, classic and D1, nothing sent', async (code) => {
      expect(await sendOtp(harness, gbSms, code)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otpValue' } });
      expect(await deliverOtp(harness, code)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otp.value' } });
      expect(harness.sandbox.requests).toHaveLength(0);
    });

    it.each(['0123', '00098765', '1234567890'])('delivers %j unchanged, classic and D1', async (code) => {
      expect(await sendOtp(harness, gbSms, code)).toEqual({ status: 200, body: {} });
      expect((await deliverOtp(harness, code)).status).toBe(204);
      expect(harness.sandbox.outbox.map((sms) => sms.text.includes(`${code} is your code`))).toEqual([true, true]);
    });
  });

  describe('with a configured pattern', () => {
    let harness: CallbackHarness;
    let gbSms: IdvMethod;

    beforeAll(async () => {
      ({ harness, gbSms } = await start('[A-Z0-9]{8}'));
    });

    afterEach(() => harness.sandbox.clear());

    afterAll(async () => {
      await harness.close();
    });

    it('delivers what the pattern allows, classic and D1', async () => {
      expect(await sendOtp(harness, gbSms, 'AB123456')).toEqual({ status: 200, body: {} });
      expect((await deliverOtp(harness, 'CD654321')).status).toBe(204);
      expect(harness.sandbox.outbox.map((sms) => sms.text.slice(0, sms.text.indexOf(' is your code')).split(' ').pop())).toEqual(['AB123456', 'CD654321']);
    });

    it('refuses what it does not, whole value, nothing sent', async () => {
      for (const code of ['ab123456', 'AB1234567', '123456']) {
        expect(await sendOtp(harness, gbSms, code)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otpValue' } });
        expect(await deliverOtp(harness, code)).toEqual({ status: 400, body: { responseCode: 112, errorMessage: 'Invalid parameter format: otp.value' } });
      }
      expect(harness.sandbox.requests).toHaveLength(0);
    });
  });
});
