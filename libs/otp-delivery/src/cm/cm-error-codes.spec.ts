import { CmSandbox } from '../testing/cm-sandbox/cm-sandbox.js';
import { resolveOtpDeliveryOptions, type ResolvedOtpDeliveryOptions } from '../options/resolve-options.js';
import { CmMessagingClient } from './cm-messaging.client.js';
import { CmOtpService } from './cm-otp.service.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import { CmHttpClient } from './cm-http.client.js';
import { CmError, type CmFailureReason } from './cm.error.js';
import type { CmOptions } from './cm-options.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';

/** Every documented CM code, answered by the sandbox over HTTP, and what the caller gets. */
describe('CM error mapping (over HTTP, from the sandbox)', () => {
  let sandbox: CmSandbox;
  const clients: CmHttpClient[] = [];

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await sandbox.close();
  });
  beforeEach(() => sandbox.clear());

  const build = (otpApiVersion: 'v1' | 'v2') => {
    const { http, options } = cmHttpClientFor({ productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url, otpApiVersion });
    clients.push(http);
    const store = new MemoryOtpStore();
    return { messaging: new CmMessagingClient(http), otp: new CmOtpService(http, options.otp, new OtpSendControls(store, options.limits, options.store), store) };
  };
  const sms = { to: '+819012345678', text: 'Code 123456', reference: 'r1' };

  describe('Business Messaging errorCode', () => {
    it.each<[number, number, CmFailureReason, boolean]>([
      [101, 400, 'unauthorized', false],
      [102, 400, 'rejected', false],
      [103, 400, 'unauthorized', false],
      [202, 400, 'rejected', false],
      [203, 400, 'rejected', false],
      [301, 400, 'rejected', false],
      [302, 400, 'rejected', false],
      [303, 400, 'rejected', false],
      [304, 400, 'rejected', false],
      [305, 400, 'rejected', false],
      [401, 400, 'rejected', false],
      [402, 400, 'rejected', false],
      [403, 400, 'rejected', false],
      [500, 500, 'unavailable', false],
      [999, 400, 'unavailable', false],
    ])('errorCode %i (HTTP %i) -> %s, retryable %p', async (errorCode, status, reason, retryable) => {
      sandbox.failNext(1, { status, body: { details: `CM says ${errorCode}`, errorCode, messages: [] } });
      const error = (await build('v1').messaging.send(sms).catch((e: unknown) => e)) as CmError;
      expect(error).toBeInstanceOf(CmError);
      expect(error).toMatchObject({ status, cmErrorCode: errorCode, cmMessage: `CM says ${errorCode}`, reason, retryable });
    });

    it('errorCode 201 (partial failure) reports the rejected message’s own code', async () => {
      sandbox.failNext(1, {
        status: 200,
        body: { details: 'Created 1 message(s)', errorCode: 201, messages: [{ status: 'Accepted' }, { status: 'Rejected', messageErrorCode: 401, messageDetails: 'Spam' }] },
      });
      await expect(build('v1').messaging.send(sms)).rejects.toMatchObject({ status: 200, cmErrorCode: 401, cmMessage: 'Spam', reason: 'rejected', retryable: false });
    });

    it('errorCode 201 without message details stays 201', async () => {
      sandbox.failNext(1, { status: 200, body: { details: 'Some failed', errorCode: 201, messages: [] } });
      await expect(build('v1').messaging.send(sms)).rejects.toMatchObject({ cmErrorCode: 201, reason: 'rejected', retryable: false });
    });

    it('errorCode 0 is success only when every message is Accepted', async () => {
      await expect(build('v1').messaging.send(sms)).resolves.toMatchObject({ reference: 'r1' });
      sandbox.failNext(1, { status: 200, body: { details: '', errorCode: 0, messages: [] } });
      await expect(build('v1').messaging.send(sms)).rejects.toMatchObject({ cmErrorCode: 0, reason: 'rejected', retryable: false });
      sandbox.failNext(1, { status: 200, body: { details: '', errorCode: '0', messages: [{ status: 'Accepted' }] } });
      await expect(build('v1').messaging.send(sms)).resolves.toMatchObject({ reference: 'r1' });
    });
  });

  describe('OTP v1 HTTP statuses', () => {
    it.each<[number, CmFailureReason, boolean]>([
      [400, 'rejected', false],
      [401, 'unauthorized', false],
      [422, 'unavailable', true],
      [500, 'unavailable', false],
    ])('generate answered %i -> %s, retryable %p', async (status, reason, retryable) => {
      sandbox.failNext(1, { status, body: { status, message: `v1 says ${status}` } });
      const error = (await build('v1').otp.generate({ to: '+819012345678' }).catch((e: unknown) => e)) as CmError;
      expect(error).toBeInstanceOf(CmError);
      expect(error).toMatchObject({ status, cmErrorCode: undefined, cmMessage: `v1 says ${status}`, reason, retryable });
    });

    it('reads a non-JSON error text and never fails on an odd body', async () => {
      sandbox.failNext(1, { status: 500, body: '<html>oops</html>' });
      await expect(build('v1').otp.generate({ to: '+819012345678' })).rejects.toMatchObject({ status: 500, cmMessage: '<html>oops</html>' });
      sandbox.failNext(1, { status: 200, body: { unexpected: true } });
      await expect(build('v1').otp.generate({ to: '+819012345678' })).rejects.toMatchObject({ status: 200, reason: 'rejected', retryable: false });
    });

    it('verify: a 500 is an error, not a verdict', async () => {
      sandbox.failNext(1, { status: 500, body: { message: 'boom' } });
      await expect(build('v1').otp.verify('id-1', '123456')).rejects.toMatchObject({ status: 500, reason: 'unavailable' });
    });
  });

  describe('OTP v2 error codes', () => {
    it.each<[number, number, CmFailureReason, boolean]>([
      [1000, 500, 'unavailable', false],
      [1001, 400, 'rejected', false],
      ...[2000, 2001, 2002, 2003, 2004, 2005, 2006, 2007, 2008, 2009].map((code): [number, number, CmFailureReason, boolean] => [code, 400, 'rejected', false]),
      [3001, 404, 'rejected', false],
      [3002, 400, 'rejected', false],
      [3003, 400, 'rejected', false],
      [3004, 400, 'rejected', false],
      [3005, 400, 'rejected', false],
      [3006, 403, 'rejected', false],
      [4001, 500, 'unavailable', true],
    ])('create answered errorCode %i (HTTP %i) -> %s, retryable %p', async (errorCode, status, reason, retryable) => {
      sandbox.failNext(1, { status, body: { errorCode, message: `v2 says ${errorCode}` } });
      const error = (await build('v2').otp.generate({ to: '+819012345678' }).catch((e: unknown) => e)) as CmError;
      expect(error).toBeInstanceOf(CmError);
      expect(error).toMatchObject({ status, cmErrorCode: errorCode, cmMessage: `v2 says ${errorCode}`, reason, retryable });
    });

    it.each([
      [{ code: 2003, message: 'bad to' }],
      [{ error: { code: 2003, message: 'bad to' } }],
      [{ errors: [{ code: '2003', message: 'bad to' }] }],
    ])('reads the code from the envelope %j', async (body) => {
      sandbox.failNext(1, { status: 400, body });
      await expect(build('v2').otp.generate({ to: '+819012345678' })).rejects.toMatchObject({ cmErrorCode: 2003, cmMessage: 'bad to' });
    });

    it.each([
      [404, { errorCode: 3001, message: 'x' }, 'not-found'],
      [400, { errorCode: 3002, message: 'x' }, 'expired'],
      [400, { errorCode: 3003, message: 'x' }, 'already-verified'],
      [400, { errorCode: 3004, message: 'x' }, 'too-many-attempts'],
      [404, {}, 'not-found'],
      [400, { message: 'OTP expired' }, 'expired'],
      [400, { message: 'OTP already verified' }, 'already-verified'],
      [400, { message: 'Too many attempts' }, 'too-many-attempts'],
      [200, { verified: false }, 'wrong-code'],
    ])('verify answered %i %j -> %s', async (status, body, reason) => {
      sandbox.failNext(1, { status, body });
      await expect(build('v2').otp.verify('id-1', '123456')).resolves.toEqual({ verified: false, reason });
    });

    it('verify: other failures are errors with the code redacted', async () => {
      sandbox.failNext(1, { status: 500, body: { errorCode: 1000, message: 'code 123456 failed' } });
      await expect(build('v2').otp.verify('id-1', '123456')).rejects.toMatchObject({ cmErrorCode: 1000, cmMessage: 'code [redacted] failed' });
    });
  });
});

/** A CmHttpClient on given CM options, without Nest (as an issuer without DI would build it). */
function cmHttpClientFor(cm: CmOptions, more: OtpDeliveryModuleOptions = {}): { http: CmHttpClient; options: ResolvedOtpDeliveryOptions } {
  const options = resolveOtpDeliveryOptions({ ...more, cm });
  return { http: new CmHttpClient(options.cm), options };
}
