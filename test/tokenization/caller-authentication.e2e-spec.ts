import { X509Certificate } from 'node:crypto';
import type { Server as TlsServer, TLSSocket } from 'node:tls';
import { postJsonWithLines } from '../support/raw-http.js';
import { Agent, fetch as undiciFetch } from 'undici';
import { Controller, Get, Injectable, Module, Req, UseFilters, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { IdvMethodsService, OTP_CALLER_GUARD, OtpDeliveryConfigError, callerIdentityOf } from 'nestjs-otp-delivery';
import { CallbackExceptionFilter } from '../../libs/otp-delivery/src/tokenization/callback-exception.filter.js';
import { CallerAuthenticationGuard } from '../../libs/otp-delivery/src/tokenization/guards/caller-authentication.guard.js';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './support/smtp-capture.js';
import { createTestPki, escapedCertificate, type Pem, type TestPki } from './support/certificates.js';
import { baseOptions, classicHeaders, postJson, startCallbackApp, type CallbackHarness, type HarnessOptions } from './support/callback-app.js';
import { CapturedLogs } from '../support/capture-logs.js';

const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';
const CONSUMER_INFO = '/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro';
const PROBE = '/test/caller';
const MTLS_REQUIRED = 'A verified client certificate is required (tokenization.auth.mode mtls)';
const PROXY_REQUIRED = 'A client certificate verified by a trusted proxy is required (tokenization.auth.mode trusted-proxy)';
const FORWARDED_INVALID = 'The forwarded client certificate is unreadable or outside its validity period (tokenization.auth.mode trusted-proxy)';
const NOT_ALLOWED = "The client certificate is not on this issuer's allow-list";
const PROXY_SECRET = 'ingress-shared-secret-0123456789abcdef';
const BOOT_WARNING = 'does not ask for client certificates';

/** A route behind the callbacks' caller guard that answers the identity the guard recorded on the request. */
@Controller('test/caller')
@UseGuards(CallerAuthenticationGuard)
@UseFilters(CallbackExceptionFilter)
class CallerProbeController {
  @Get()
  identity(@Req() request: object) {
    return { identity: callerIdentityOf(request) ?? null };
  }
}

@Module({ controllers: [CallerProbeController] })
class CallerProbeModule {}

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
  const identityOf = (pem: Pem) => {
    const certificate = new X509Certificate(pem.cert);
    return { id: certificate.fingerprint256, subject: certificate.subject.split('\n').join(', ') };
  };
  const expectNothingSent = () => {
    expect(sandbox.requests).toHaveLength(0);
    expect(smtp.messages).toHaveLength(0);
  };

  async function smsBody(harness: CallbackHarness) {
    const [sms] = await harness.app.get(IdvMethodsService).forCard('card-jp-0001');
    return { issuerCardRefId: 'card-jp-0001', otpValue: '123456', otpMethodId: sms!.id };
  }

  describe.each(['express', 'fastify'] as const)('on %s', (adapter) => {
    /** Boots the app with the caller probe next to the callbacks. */
    const start = (auth: Record<string, unknown>, extra: Partial<HarnessOptions> = {}) =>
      startCallbackApp({ sandbox, smtp, adapter, options: withAuth(auth), imports: [CallerProbeModule], ...extra });

    describe('mode mtls (Node terminates TLS)', () => {
      // The handshake asks for a client certificate and verifies it against the platform's CA;
      // rejectUnauthorized: false lets the guard answer 401 in the Thales shape instead of a reset.
      const httpsOptions = () => ({ key: pki.server.key, cert: pki.server.cert, ca: pki.ca.cert, requestCert: true, rejectUnauthorized: false, minVersion: 'TLSv1.2' });
      const agents: Agent[] = [];
      const agent = (client?: Pem) => {
        const created = new Agent({ connect: { ca: pki.ca.cert, servername: 'localhost', ...(client ? { key: client.key, cert: client.cert } : {}) } });
        agents.push(created);
        return created;
      };
      const send = async (harness: CallbackHarness, client: Pem | undefined, issuerId = 'ISSUER0001') => {
        const response = await undiciFetch(harness.url + SEND_OTP, {
          method: 'POST',
          headers: classicHeaders(`corr-mtls-${Math.random()}`, issuerId),
          body: JSON.stringify(await smsBody(harness)),
          dispatcher: agent(client),
        });
        return { status: response.status, body: (await response.json()) as unknown };
      };
      const probe = async (harness: CallbackHarness, client: Pem | undefined) => {
        const response = await undiciFetch(harness.url + PROBE, { dispatcher: agent(client) });
        return { status: response.status, body: (await response.json()) as unknown };
      };

      afterAll(async () => {
        await Promise.all(agents.map((a) => a.close()));
      });

      describe('without allow-lists', () => {
        let harness: CallbackHarness;
        const logs = new CapturedLogs();

        beforeAll(async () => {
          harness = await start({ mode: 'mtls' }, { httpsOptions: httpsOptions(), configure: (app) => app.useLogger(logs) });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('accepts a client certificate issued by the platform CA, sends the SMS, and records its fingerprint as the caller', async () => {
          expect(await send(harness, pki.client)).toEqual({ status: 200, body: {} });
          expect(sandbox.outbox).toHaveLength(1);
          expect(await probe(harness, pki.client)).toEqual({ status: 200, body: { identity: identityOf(pki.client) } });
        });

        it('gives each verified certificate a send budget of its own (limits.perClient keyed by its fingerprint)', async () => {
          const limited = await start({ mode: 'mtls' }, {
            httpsOptions: httpsOptions(),
            options: (s, m) => {
              const base = withAuth({ mode: 'mtls' })(s, m);
              return { ...base, limits: { ...base.limits, perClient: { max: 1, windowSeconds: 60 } } };
            },
          });
          try {
            expect(await send(limited, pki.client)).toEqual({ status: 200, body: {} });
            expect(await send(limited, pki.client)).toEqual({ status: 400, body: { responseCode: 164, errorMessage: 'Refused by fraud and rate controls' } });
            // Same subject, another key: another caller.
            expect(await send(limited, pki.twinClient)).toEqual({ status: 200, body: {} });
            expect(sandbox.outbox).toHaveLength(2);
          } finally {
            await limited.close();
          }
        });

        it('refuses a caller without a client certificate (401 saying what is missing), sending nothing', async () => {
          expect(await send(harness, undefined)).toEqual({ status: 401, body: { errorMessage: MTLS_REQUIRED } });
          expectNothingSent();
        });

        it('refuses a certificate from another CA (401), sending nothing', async () => {
          expect(await send(harness, pki.rogueClient)).toEqual({ status: 401, body: { errorMessage: MTLS_REQUIRED } });
          expectNothingSent();
        });

        it('refuses a verified caller naming another issuer (403), sending nothing', async () => {
          expect(await send(harness, pki.client, 'ISSUER0002')).toEqual({ status: 403, body: { errorMessage: 'x-issuer-id does not match this issuer' } });
          expectNothingSent();
        });

        it('does not warn at boot: the server asks for client certificates', () => {
          expect(logs.matching(BOOT_WARNING)).toHaveLength(0);
        });
      });

      describe('with allowedSubjects and allowedFingerprints', () => {
        let harness: CallbackHarness;

        beforeAll(async () => {
          // Plain lowercase hex: the guard compares fingerprints whatever their case or colons.
          const fingerprint = identityOf(pki.client).id.replace(/:/g, '').toLowerCase();
          harness = await start({ mode: 'mtls', allowedSubjects: ['CN=tokenization-platform-client'], allowedFingerprints: [fingerprint] }, { httpsOptions: httpsOptions() });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('accepts the listed certificate', async () => {
          expect(await send(harness, pki.client)).toEqual({ status: 200, body: {} });
          expect(sandbox.outbox).toHaveLength(1);
        });

        it('refuses a CA-signed certificate with another subject (403), sending nothing', async () => {
          expect(await send(harness, pki.otherClient)).toEqual({ status: 403, body: { errorMessage: NOT_ALLOWED } });
          expect(await probe(harness, pki.otherClient)).toEqual({ status: 403, body: { errorMessage: NOT_ALLOWED } });
          expectNothingSent();
        });

        it('refuses a CA-signed certificate with the listed subject but another fingerprint (403), sending nothing', async () => {
          expect(await send(harness, pki.twinClient)).toEqual({ status: 403, body: { errorMessage: NOT_ALLOWED } });
          expectNothingSent();
        });

        it('refuses a connection whose certificate changed after its verified handshake (a TLS 1.2 renegotiation) with 401, sending nothing', async () => {
          // After a renegotiation to an unverified certificate, Node keeps `authorized` from the first
          // handshake and answers the new certificate: the state made here on the server's side of a
          // connection verified with another platform certificate (off the allow-list), now showing the listed one.
          const listed = new X509Certificate(pki.client.cert);
          const server = harness.app.getHttpServer() as TlsServer;
          const swap = (socket: TLSSocket) => {
            socket.getPeerX509Certificate = () => listed;
          };
          server.on('secureConnection', swap);
          try {
            expect(await send(harness, pki.otherClient)).toEqual({ status: 401, body: { errorMessage: MTLS_REQUIRED } });
            expectNothingSent();
          } finally {
            server.off('secureConnection', swap);
          }
        });

        it('refuses it too on an issuer route of its own when no callback is mounted', async () => {
          const fingerprint = identityOf(pki.client).id;
          const own = await start({ mode: 'mtls', allowedSubjects: ['CN=tokenization-platform-client'], allowedFingerprints: [fingerprint] }, { httpsOptions: httpsOptions(), callbacks: {} });
          const listed = new X509Certificate(pki.client.cert);
          (own.app.getHttpServer() as TlsServer).on('secureConnection', (socket: TLSSocket) => {
            socket.getPeerX509Certificate = () => listed;
          });
          try {
            expect(await probe(own, pki.otherClient)).toEqual({ status: 401, body: { errorMessage: MTLS_REQUIRED } });
          } finally {
            await own.close();
          }
        });
      });

      it('on a plain-HTTP app: warns once at boot naming the option and the fixes, and every call answers 401 saying why', async () => {
        const logs = new CapturedLogs();
        const harness = await start({ mode: 'mtls' }, { configure: (app) => app.useLogger(logs) });
        try {
          const warnings = logs.matching(BOOT_WARNING);
          expect(warnings).toHaveLength(1);
          expect(warnings[0]!.level).toBe('warn');
          expect(warnings[0]!.text).toEqual(expect.stringContaining('tokenization.auth.mode is "mtls"'));
          expect(warnings[0]!.text).toEqual(expect.stringContaining('requestCert: true'));
          expect(warnings[0]!.text).toEqual(expect.stringContaining('"trusted-proxy"'));
          expect(warnings[0]!.text).toEqual(expect.stringContaining('"none" for local development'));
          expect(await postJson(harness.url + SEND_OTP, await smsBody(harness), classicHeaders('corr-plain'))).toEqual({ status: 401, body: { errorMessage: MTLS_REQUIRED } });
          expectNothingSent();
        } finally {
          await harness.close();
        }
      });
    });

    describe('mode trusted-proxy (an ingress terminates mutual TLS)', () => {
      const verified = (pem: Pem, extra: Record<string, string> = {}) => ({ 'x-client-verify': 'SUCCESS', 'x-client-cert': escapedCertificate(pem), ...extra });
      const send = async (harness: CallbackHarness, headers: Record<string, string>) =>
        postJson(harness.url + SEND_OTP, await smsBody(harness), { ...classicHeaders(`corr-proxy-${Math.random()}`), ...headers });
      const get = async (harness: CallbackHarness, path: string, headers: Record<string, string>) => {
        const response = await fetch(harness.url + path, { headers: { 'x-correlation-id': `corr-get-${Date.now()}`, ...headers } });
        return { status: response.status, body: (await response.json()) as unknown };
      };

      describe('from an address in trustedProxies', () => {
        let harness: CallbackHarness;

        beforeAll(async () => {
          // The test client connects from 127.0.0.1, as an ingress on the pod's network would from its own address.
          harness = await start({ mode: 'trusted-proxy', trustedProxies: ['127.0.0.1/32', '::1/128'] });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('accepts a forwarded certificate the ingress marks verified, sends the SMS, and records its fingerprint as the caller', async () => {
          expect(await send(harness, verified(pki.client))).toEqual({ status: 200, body: {} });
          expect(sandbox.outbox).toHaveLength(1);
          expect(await get(harness, PROBE, verified(pki.client))).toEqual({ status: 200, body: { identity: identityOf(pki.client) } });
        });

        it('refuses what the ingress did not mark verified (401), sending nothing', async () => {
          expect(await send(harness, {})).toEqual({ status: 401, body: { errorMessage: PROXY_REQUIRED } });
          expect(await send(harness, { 'x-client-verify': 'FAILED:unable to verify', 'x-client-cert': escapedCertificate(pki.client) })).toEqual({
            status: 401,
            body: { errorMessage: PROXY_REQUIRED },
          });
          expect((await send(harness, { 'x-client-verify': 'SUCCESS' })).status).toBe(401);
          expectNothingSent();
        });

        it('refuses a certificate or verification header sent twice (401), whichever line comes first, sending nothing', async () => {
          // An ingress that appends its header instead of replacing it would let the caller's own line come first.
          for (const certificates of [[pki.client, pki.otherClient], [pki.otherClient, pki.client]]) {
            const headers = { ...classicHeaders(`corr-twice-${Math.random()}`), 'x-client-verify': 'SUCCESS', 'x-client-cert': certificates.map(escapedCertificate) };
            expect(await postJsonWithLines(harness.url + SEND_OTP, await smsBody(harness), headers)).toEqual({ status: 401, body: { errorMessage: PROXY_REQUIRED } });
          }
          const twiceVerified = { ...classicHeaders(`corr-twice-${Math.random()}`), 'x-client-verify': ['SUCCESS', 'SUCCESS'], 'x-client-cert': escapedCertificate(pki.client) };
          expect((await postJsonWithLines(harness.url + SEND_OTP, await smsBody(harness), twiceVerified)).status).toBe(401);
          expectNothingSent();
        });

        it('refuses a forwarded certificate that is expired or does not parse (401), sending nothing', async () => {
          expect(await send(harness, verified(pki.expiredClient))).toEqual({ status: 401, body: { errorMessage: FORWARDED_INVALID } });
          expect(await send(harness, { 'x-client-verify': 'SUCCESS', 'x-client-cert': 'MIIB-not-a-certificate' })).toEqual({
            status: 401,
            body: { errorMessage: FORWARDED_INVALID },
          });
          expectNothingSent();
        });
      });

      describe('from an address outside trustedProxies (a caller reaching the pod directly)', () => {
        let harness: CallbackHarness;
        const logs = new CapturedLogs();

        beforeAll(async () => {
          // Both anchors configured: the right secret does not make up for the wrong address.
          harness = await start({ mode: 'trusted-proxy', trustedProxies: ['10.0.0.0/8', 'fd00::/8'], proxySecret: PROXY_SECRET }, { configure: (app) => app.useLogger(logs) });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('refuses forged verification headers with a real certificate (401): no SMS, no consumer data', async () => {
          const forged = verified(pki.client, { 'x-proxy-secret': PROXY_SECRET, 'x-forwarded-for': '10.1.2.3' });
          expect(await send(harness, forged)).toEqual({ status: 401, body: { errorMessage: PROXY_REQUIRED } });
          const info = await get(harness, CONSUMER_INFO, forged);
          expect(info).toEqual({ status: 401, body: { errorMessage: PROXY_REQUIRED } });
          expect(JSON.stringify(info.body)).not.toMatch(/Yamada|5678|example\.jp/);
          expect(await get(harness, PROBE, forged)).toEqual({ status: 401, body: { errorMessage: PROXY_REQUIRED } });
          expectNothingSent();
          // The operator learns why (the peer address), once a minute per reason however many calls come,
          // and the log never holds what the caller sent.
          const refusals = logs.matching('caller refused');
          expect(refusals).toHaveLength(1);
          expect(refusals[0]!.level).toBe('warn');
          expect(refusals[0]!.message).toMatchObject({ status: 401, reason: 'untrusted-address', mode: 'trusted-proxy', remoteAddress: '127.0.0.1', refusalsNotLogged: 0 });
          expect(logs.text()).not.toContain(PROXY_SECRET);
          expect(logs.text()).not.toContain(forged['x-client-cert']!.slice(0, 80));
        });
      });

      describe('with proxySecret only', () => {
        let harness: CallbackHarness;

        beforeAll(async () => {
          harness = await start({ mode: 'trusted-proxy', proxySecret: PROXY_SECRET });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('accepts the verified certificate with the secret the ingress adds', async () => {
          expect(await send(harness, verified(pki.client, { 'x-proxy-secret': PROXY_SECRET }))).toEqual({ status: 200, body: {} });
          expect(sandbox.outbox).toHaveLength(1);
        });

        it('refuses a missing or wrong secret (401) with the same answer, sending nothing', async () => {
          const refused = { status: 401, body: { errorMessage: PROXY_REQUIRED } };
          expect(await send(harness, verified(pki.client))).toEqual(refused);
          expect(await send(harness, verified(pki.client, { 'x-proxy-secret': `${PROXY_SECRET.slice(0, -1)}0` }))).toEqual(refused);
          expect(await send(harness, verified(pki.client, { 'x-proxy-secret': PROXY_SECRET.slice(0, 16) }))).toEqual(refused);
          expect(await get(harness, CONSUMER_INFO, verified(pki.client, { 'x-proxy-secret': 'guess' }))).toEqual(refused);
          expectNothingSent();
        });
      });

      describe('with allowedSubjects', () => {
        let harness: CallbackHarness;

        beforeAll(async () => {
          harness = await start({ mode: 'trusted-proxy', trustedProxies: ['127.0.0.1'], allowedSubjects: ['CN=tokenization-platform-client'] });
        });

        afterAll(async () => {
          await harness.close();
        });

        it('accepts the listed subject and refuses another (403), sending nothing for it', async () => {
          expect(await send(harness, verified(pki.otherClient))).toEqual({ status: 403, body: { errorMessage: NOT_ALLOWED } });
          expectNothingSent();
          expect(await send(harness, verified(pki.client))).toEqual({ status: 200, body: {} });
          expect(sandbox.outbox).toHaveLength(1);
        });
      });
    });

    it('mode none records the caller as unauthenticated', async () => {
      const harness = await start({ mode: 'none' });
      try {
        expect(await (await fetch(harness.url + PROBE)).json()).toEqual({ identity: { id: 'unauthenticated' } });
      } finally {
        await harness.close();
      }
    });
  });

  it('refuses to boot trusted-proxy mode with neither trustedProxies nor proxySecret, naming both keys', async () => {
    const error: unknown = await startCallbackApp({ sandbox, smtp, options: withAuth({ mode: 'trusted-proxy' }) }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect((error as OtpDeliveryConfigError).problems).toEqual([
      expect.stringMatching(/^tokenization\.auth\.mode trusted-proxy needs tokenization\.auth\.trustedProxies .* or tokenization\.auth\.proxySecret /),
    ]);
  });

  it('does not warn about mtls when the classic and D1 callbacks are not mounted', async () => {
    const logs = new CapturedLogs();
    const harness = await startCallbackApp({
      sandbox,
      smtp,
      options: withAuth({ mode: 'mtls' }),
      callbacks: { statusReports: true },
      configure: (app) => app.useLogger(logs),
    });
    try {
      expect(logs.lines.length).toBeGreaterThan(0);
      expect(logs.matching(BOOT_WARNING)).toHaveLength(0);
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
