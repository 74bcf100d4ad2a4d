import { Agent, fetch as undiciFetch } from 'undici';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { IdvMethodsService, OTP_CALLER_GUARD } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './support/smtp-capture.js';
import { createTestPki, type TestPki } from './support/certificates.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness } from './support/callback-app.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

describe('caller authentication of the callbacks', () => {
  let sandbox: CmSandbox;
  let smtp: SmtpCapture;
  let pki: TestPki;

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    smtp = await SmtpCapture.start();
    pki = await createTestPki();
  });

  afterEach(() => {
    sandbox.clear();
    smtp.clear();
  });

  afterAll(async () => {
    await sandbox.close();
    await smtp.close();
  });

  const withAuth = (auth: Record<string, unknown>) => (s: CmSandbox, m: SmtpCapture) => {
    const base = baseOptions(s, m);
    return { ...base, tokenization: { ...base.tokenization, auth } };
  };

  async function smsBody(harness: CallbackHarness) {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    return { issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: sms!.id };
  }

  describe('mutual TLS (Node terminates TLS)', () => {
    let harness: CallbackHarness;
    const agents: Agent[] = [];
    const agent = (options: Record<string, unknown>) => {
      const created = new Agent({ connect: { ca: pki.ca.cert, servername: 'localhost', ...options } });
      agents.push(created);
      return created;
    };

    beforeAll(async () => {
      harness = await startCallbackApp({
        sandbox,
        smtp,
        options: withAuth({ mode: 'mtls' }),
        // The handshake asks for a client certificate and verifies it against the platform's CA;
        // rejectUnauthorized: false lets the guard answer 401 in the Thales shape instead of a reset.
        httpsOptions: { key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' },
      });
    });

    afterAll(async () => {
      await Promise.all(agents.map((a) => a.close()));
      await harness.close();
    });

    const call = async (dispatcher: Agent, issuerId = 'ISSUER0001') => {
      const response = await undiciFetch(harness.url + SEND_OTP, {
        method: 'POST',
        headers: classicHeaders(`corr-mtls-${Math.random()}`, issuerId),
        body: JSON.stringify(await smsBody(harness)),
        dispatcher,
      });
      return { status: response.status, body: (await response.json()) as unknown };
    };

    it('accepts a client certificate issued by the platform CA and sends the SMS', async () => {
      expect(await call(agent({ key: pki.client.key, cert: pki.client.cert }))).toEqual({ status: 200, body: {} });
      expect(sandbox.outbox).toHaveLength(1);
    });

    it('refuses a caller without a client certificate (401), sending nothing', async () => {
      expect(await call(agent({}))).toEqual({ status: 401, body: { errorMessage: 'A verified client certificate is required' } });
      expect(sandbox.requests).toHaveLength(0);
      expect(smtp.messages).toHaveLength(0);
    });

    it('refuses a certificate from another CA (401), sending nothing', async () => {
      expect((await call(agent({ key: pki.rogueClient.key, cert: pki.rogueClient.cert }))).status).toBe(401);
      expect(sandbox.requests).toHaveLength(0);
    });

    it('refuses a verified caller naming another issuer (403), sending nothing', async () => {
      expect(await call(agent({ key: pki.client.key, cert: pki.client.cert }), 'ISSUER0002')).toEqual({
        status: 403,
        body: { errorMessage: 'x-issuer-id does not match this issuer' },
      });
      expect(sandbox.requests).toHaveLength(0);
    });
  });

  it('in mtls mode, refuses every call to an app that is not on TLS (401)', async () => {
    const harness = await startCallbackApp({ sandbox, smtp, options: withAuth({ mode: 'mtls' }) });
    try {
      expect((await postJson(harness.url + SEND_OTP, await smsBody(harness), classicHeaders('corr-plain'))).status).toBe(401);
      expect(sandbox.requests).toHaveLength(0);
    } finally {
      await harness.close();
    }
  });

  it('in trusted-proxy mode, accepts only what the ingress marks verified', async () => {
    const harness = await startCallbackApp({ sandbox, smtp, options: withAuth({ mode: 'trusted-proxy' }) });
    try {
      const body = await smsBody(harness);
      const escapedCert = encodeURIComponent(pki.client.cert);
      const send = (extra: Record<string, string>) => postJson(harness.url + SEND_OTP, body, { ...classicHeaders(`corr-proxy-${Math.random()}`), ...extra });
      expect((await send({})).status).toBe(401);
      expect((await send({ 'x-client-verify': 'FAILED:unable to verify', 'x-client-cert': escapedCert })).status).toBe(401);
      expect((await send({ 'x-client-verify': 'SUCCESS' })).status).toBe(401);
      expect(sandbox.requests).toHaveLength(0);
      expect(await send({ 'x-client-verify': 'SUCCESS', 'x-client-cert': escapedCert })).toEqual({ status: 200, body: {} });
      expect(sandbox.outbox).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });

  it('lets the issuer replace the caller guard through DI; the issuer id check stays', async () => {
    @Injectable()
    class ApiKeyCallerGuard implements CanActivate {
      canActivate(context: ExecutionContext): boolean {
        return context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-api-key'] === 'let-me-in';
      }
    }
    const harness = await startCallbackApp({ sandbox, smtp, options: withAuth({ mode: 'mtls' }), extraProviders: [{ provide: OTP_CALLER_GUARD, useClass: ApiKeyCallerGuard }] });
    try {
      const body = await smsBody(harness);
      expect(await postJson(harness.url + SEND_OTP, body, classicHeaders('corr-guard-1'))).toEqual({ status: 403, body: { errorMessage: 'Forbidden' } });
      expect((await postJson(harness.url + SEND_OTP, body, { ...classicHeaders('corr-guard-2', 'ISSUER0002'), 'x-api-key': 'let-me-in' })).status).toBe(403);
      expect(sandbox.requests).toHaveLength(0);
      expect((await postJson(harness.url + SEND_OTP, body, { ...classicHeaders('corr-guard-3'), 'x-api-key': 'let-me-in' })).status).toBe(200);
      expect(sandbox.outbox).toHaveLength(1);
    } finally {
      await harness.close();
    }
  });
});
