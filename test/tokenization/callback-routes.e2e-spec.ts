import { Test } from '@nestjs/testing';
import { CardholderContactResolver, OtpDeliveryConfigError, OtpDeliveryModule, type OtpCallbackRoutes } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from './support/smtp-capture.js';
import type { AddressInfo } from 'node:net';
import { CapturedLogs } from '../support/capture-logs.js';
import { cardholderResolverProvider } from '../../sample-app/src/cardholders/index.js';
import { baseOptions, CARDHOLDERS_FILE, classicHeaders, postJson, startCallbackApp, STATUS_REPORT_SECRET, type CallbackHarness } from './support/callback-app.js';

/** A body every route refuses with its own validation, so reaching the controller is visible without sending. */
const EMPTY = {};

describe('callback routes are mounted with RouterModule', () => {
  let sandbox: CmSandbox;
  let smtp: SmtpCapture;

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    smtp = await SmtpCapture.start();
  });

  afterAll(async () => {
    await sandbox.close();
    await smtp.close();
  });

  async function withApp(callbacks: OtpCallbackRoutes, run: (harness: CallbackHarness) => Promise<void>) {
    const harness = await startCallbackApp({ sandbox, smtp, callbacks });
    try {
      await run(harness);
    } finally {
      await harness.close();
    }
  }

  const classic = (url: string) => postJson(url, EMPTY, classicHeaders('routes'));
  const d1 = (url: string) => fetch(url, { headers: { 'x-correlation-id': 'routes' } });
  const statusReport = (url: string) => postJson(url, { messages: { msg: [] } }, { 'content-type': 'application/json', 'x-status-report-secret': STATUS_REPORT_SECRET });

  it('mounts each group asked for with true at its default path', async () => {
    await withApp({ classic: true, d1: true, statusReports: true }, async ({ url }) => {
      expect((await classic(`${url}/issuer/igwapi/v2.0/sendOTP`)).body).toMatchObject({ responseCode: 111 });
      expect((await classic(`${url}/issuer/igwapi/v2.0/notifyVirtualCardChange`)).body).toMatchObject({ responseCode: 111 });
      expect((await d1(`${url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`)).status).toBe(200);
      expect((await statusReport(`${url}/cm/status-reports`)).status).toBe(200);
    });
  });

  it('mounts the groups under custom prefixes, and only there', async () => {
    await withApp({ classic: '/tsh/v2', d1: '/d1-gateway', statusReports: '/hooks/cm' }, async ({ url }) => {
      expect((await classic(`${url}/tsh/v2/sendOTP`)).body).toMatchObject({ responseCode: 111 });
      expect((await classic(`${url}/issuer/igwapi/v2.0/sendOTP`)).status).toBe(404);
      expect((await d1(`${url}/d1-gateway/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`)).status).toBe(200);
      expect((await d1(`${url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`)).status).toBe(404);
      expect((await statusReport(`${url}/hooks/cm`)).status).toBe(200);
      expect((await statusReport(`${url}/cm/status-reports`)).status).toBe(404);
    });
  });

  it('mounts nothing that is not asked for: unset, undefined (an unset environment variable) and false all answer 404', async () => {
    const unset = process.env.OTP_TEST_ROUTE_THAT_IS_NEVER_SET;
    expect(unset).toBeUndefined();
    for (const callbacks of [{}, { classic: unset, d1: undefined }, { classic: false, d1: false, statusReports: false }]) {
      await withApp(callbacks, async ({ url }) => {
        expect((await classic(`${url}/issuer/igwapi/v2.0/sendOTP`)).status).toBe(404);
        expect((await d1(`${url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`)).status).toBe(404);
        expect((await statusReport(`${url}/cm/status-reports`)).status).toBe(404);
      });
    }
    expect(sandbox.outbox).toHaveLength(0);
  });

  it('says at boot what it mounted, and when it mounted nothing', async () => {
    for (const [callbacks, line] of [
      [{ classic: true, statusReports: '/hooks/cm' }, 'Tokenization callbacks mounted: classic at /issuer/igwapi/v2.0, statusReports at /hooks/cm'],
      [{}, "No tokenization callback mounted (the module's callbacks option mounts them)"],
    ] as const) {
      const logs = new CapturedLogs();
      const harness = await startCallbackApp({ sandbox, smtp, callbacks, configure: (app) => app.useLogger(logs) });
      await harness.close();
      expect(logs.matching(line)).toHaveLength(1);
    }
  });

  it('takes the same callbacks beside the factory with forRootAsync', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRootAsync({
          useFactory: () => baseOptions(sandbox, smtp),
          callbacks: { classic: '/async/tsh', statusReports: true },
          extraProviders: [cardholderResolverProvider(CARDHOLDERS_FILE)],
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      expect((await classic(`${url}/async/tsh/sendOTP`)).body).toMatchObject({ responseCode: 111 });
      expect((await classic(`${url}/issuer/igwapi/v2.0/sendOTP`)).status).toBe(404);
      expect((await d1(`${url}/banking/d1/v1/issuers/ISSUER0001/consumers/cons_yamada_taro`)).status).toBe(404);
      expect((await statusReport(`${url}/cm/status-reports`)).status).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('refuses to boot mounted callbacks without an issuer id, a resolver or a status-report secret, in one error naming the keys', async () => {
    const boot = (options: Parameters<typeof OtpDeliveryModule.forRoot>[0]) => Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot(options)] }).compile();
    const error = await boot({ callbacks: { classic: true, statusReports: true } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect((error as OtpDeliveryConfigError).problems).toEqual([
      'tokenization.issuerId is required while callbacks.classic is mounted',
      expect.stringMatching(/^a CardholderContactResolver provider is required while callbacks\.classic is mounted/),
      'tokenization.statusReportSecret is required while callbacks.statusReports is mounted',
    ]);
    await expect(boot({ tokenization: { issuerId: 'SHORT' } })).rejects.toThrow(/tokenization\.issuerId must be exactly 10 characters/);
    // Nothing mounted: no callback needs anything.
    await (await boot({})).close();
  });

  it('refuses to boot the callbacks on the Redis store without a shared methodIdSecret', async () => {
    const boot = (tokenization: Record<string, unknown>) =>
      Test.createTestingModule({
        imports: [
          OtpDeliveryModule.forRoot({
            // Never contacted: the boot stops first, or the test closes the module before any command.
            store: { type: 'redis', redisUrl: 'redis://127.0.0.1:1' },
            tokenization: { issuerId: 'ISSUER0001', ...tokenization },
            callbacks: { classic: true },
            extraProviders: [{ provide: CardholderContactResolver, useValue: { resolveByCard: async () => null, resolveByConsumer: async () => null } }],
          }),
        ],
      }).compile();
    await expect(boot({})).rejects.toThrow(/tokenization\.methodIdSecret is required with store\.type redis/);
    const moduleRef = await boot({ methodIdSecret: 'a-secret-every-replica-shares-0001' });
    await moduleRef.close();
  });
});
