import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { startSampleApp, type SampleAppProcess } from '../support/sample-app-process.js';
import { SmtpCapture } from '../tokenization/support/smtp-capture.js';
import { classicHeaders, postJson } from '../tokenization/support/callback-app.js';

const CLASSIC = '/issuer/igwapi/v2.0';

/** The methods the app offers for the Japanese sample card (it has a mobile number and an address). */
async function offeredMethods(app: SampleAppProcess): Promise<{ id: string; type: string }[]> {
  const decision = await postJson(`${app.url}${CLASSIC}/requestCardDigitization`, { issuerCardRefId: 'card-jp-0001' }, classicHeaders('half-1'));
  return (decision.body as { idvMethodList: { id: string; type: string }[] }).idvMethodList;
}

/**
 * With one provider real, the app serves real cardholders: the other channel used to fall back to
 * its sandbox, which answered 200 to a send, delivered nothing and printed the real code in the log.
 * Now it is switched off, and no longer offered.
 */
describe('the sample app with one provider real and the other unset (or blank)', () => {
  it('offers SMS only with a real CM.com and no SMTP_URL: no email outbox prints codes', async () => {
    const cm = await CmSandbox.start();
    const app = await startSampleApp({ CM_PRODUCT_TOKEN: cm.productToken, CM_OTP_URL: cm.url, CM_MESSAGING_URL: cm.url, SMTP_URL: '', REDIS_URL: '' });
    try {
      const methods = await offeredMethods(app);
      expect(methods.map((method) => method.type)).toEqual(['otpBySMS']);
      expect(await postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '60441712', otpMethodId: methods[0]!.id }, classicHeaders('half-1'))).toEqual({ status: 200, body: {} });
      expect(cm.outbox).toHaveLength(1);
      await app.waitForOutput(/email: off \(SMTP_URL is unset/);
      expect(app.output()).not.toMatch(/EMAIL OUTBOX|60441712/);
    } finally {
      await app.stop();
      await cm.close();
    }
  });

  it('offers email only with a real SMTP server and no CM_PRODUCT_TOKEN: no CM sandbox prints codes', async () => {
    const smtp = await SmtpCapture.start();
    const app = await startSampleApp({ CM_PRODUCT_TOKEN: '', SMTP_URL: smtp.url, REDIS_URL: '' });
    try {
      const methods = await offeredMethods(app);
      expect(methods.map((method) => method.type)).toEqual(['otpByEmail']);
      expect(await postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '60441713', otpMethodId: methods[0]!.id }, classicHeaders('half-2'))).toEqual({ status: 200, body: {} });
      expect(smtp.messages).toHaveLength(1);
      await app.waitForOutput(/SMS: off \(CM_PRODUCT_TOKEN is unset/);
      expect(app.output()).not.toMatch(/CM SANDBOX|60441713/);
    } finally {
      await app.stop();
      await smtp.close();
    }
  });

  it('counts a blank variable as unset, as the README says: both sandboxes and the memory store, as on the defaults', async () => {
    const app = await startSampleApp({ CM_PRODUCT_TOKEN: ' ', SMTP_URL: ' \t', REDIS_URL: '  ', CM_SENDER: ' ', DELIVERY_DEADLINE_MS: ' ', OTP_ENGINE: ' ' });
    try {
      await app.waitForOutput(/CM\.com: SANDBOX at/);
      await app.waitForOutput(/email: SANDBOX in-memory outbox/);
      await app.waitForOutput(/store: in memory/);
      const methods = await offeredMethods(app);
      expect(methods.map((method) => method.type)).toEqual(['otpBySMS', 'otpByEmail']);
      expect(await postJson(`${app.url}${CLASSIC}/sendOTP`, { issuerCardRefId: 'card-jp-0001', otpValue: '60441714', otpMethodId: methods[0]!.id }, classicHeaders('blank-1'))).toEqual({ status: 200, body: {} });
      await app.waitForOutput(/\[CM SANDBOX\] messaging sms .* from MyBank/);
    } finally {
      await app.stop();
    }
  });
});
