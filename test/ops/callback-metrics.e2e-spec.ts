import { IdvMethodsService, OtpMetrics } from 'nestjs-otp-delivery';
import { freePort } from '../support/free-port.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from '../tokenization/support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

describe('operator metrics of the callbacks', () => {
  it('counts every answer by callback, status and responseCode, and the idempotent repeats', async () => {
    const harness = await startCallbackApp({ options: (s, m) => ({ ...baseOptions(s, m), metrics: { enabled: true } }) });
    try {
      const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
      const body = { issuerCardRefId: 'card-jp-0001', otpValue: '482913', otpMethodId: sms!.id };
      await postJson(harness.url + SEND_OTP, body, classicHeaders('metrics-1'));
      await postJson(harness.url + SEND_OTP, body, classicHeaders('metrics-1'));
      await postJson(harness.url + SEND_OTP, { ...body, otpMethodId: 'sAAAAAAAAAAAAAAAA' }, classicHeaders('metrics-2'));
      await postJson(harness.url + SEND_OTP, { ...body, otpValue: 'AB12' }, classicHeaders('metrics-3'));
      await postJson(harness.url + SEND_OTP, body, classicHeaders('metrics-4', 'ISSUER0002'));
      const text = await harness.app.get(OtpMetrics).metrics();
      expect(text).toContain('otp_delivery_callback_answers_total{callback="sendOTP",status="200",response_code="none"} 2');
      expect(text).toContain('otp_delivery_callback_answers_total{callback="sendOTP",status="400",response_code="501"} 1');
      expect(text).toContain('otp_delivery_callback_answers_total{callback="sendOTP",status="400",response_code="112"} 1');
      expect(text).toContain('otp_delivery_callback_answers_total{callback="sendOTP",status="403",response_code="none"} 1');
      expect(text).toContain('otp_delivery_idempotent_repeats_total{callback="sendOTP"} 1');
    } finally {
      await harness.close();
    }
  });

  it('counts the 921s and the store errors of a store outage', async () => {
    const port = await freePort();
    let harness: CallbackHarness | undefined;
    try {
      harness = await startCallbackApp({
        options: (s, m) => ({ ...baseOptions(s, m), metrics: { enabled: true }, store: { type: 'redis', redisUrl: `redis://127.0.0.1:${port}`, commandTimeoutMs: 200 } }),
      });
      const answer = await postJson(harness.url + SEND_OTP, { issuerCardRefId: 'card-jp-0001', otpValue: '482913', otpMethodId: 'sAAAAAAAAAAAAAAAA' }, classicHeaders('outage-1'));
      expect(answer).toEqual({ status: 500, body: { responseCode: 921, errorMessage: 'Unexpected server error' } });
      const text = await harness.app.get(OtpMetrics).metrics();
      expect(text).toContain('otp_delivery_callback_answers_total{callback="sendOTP",status="500",response_code="921"} 1');
      expect(text).toMatch(/otp_delivery_store_errors_total\{operation="setIfAbsent"\} [1-9]/);
    } finally {
      await harness?.close();
    }
  });
});
