import { Module, type INestApplication, type Provider } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import { IdvMethodsService, OtpDeliveryModule, type IdvMethod, type OtpCallbackRoutes, type OtpDeliveryModuleForRootOptions } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { cardholderResolverProvider } from '../../../sample-app/src/cardholders/cardholders.providers.js';
import { SmtpCapture } from './smtp-capture.js';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';

export const ISSUER_ID = 'ISSUER0001';
export const STATUS_REPORT_SECRET = 'status-report-secret-for-tests-0001';
export const CARDHOLDERS_FILE = fileURLToPath(new URL('../../../sample-app/data/cardholders.json', import.meta.url));

/** Everything a callback test talks to: the Nest app over HTTP, the CM sandbox, a real SMTP server. */
export interface CallbackHarness {
  readonly app: INestApplication;
  readonly url: string;
  readonly sandbox: CmSandbox;
  readonly smtp: SmtpCapture;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Module options merged over the defaults (cm, email, tokenization with auth mode none). */
  readonly options?: (sandbox: CmSandbox, smtp: SmtpCapture) => OtpDeliveryModuleForRootOptions;
  readonly extraProviders?: Provider[];
  readonly httpsOptions?: Record<string, unknown>;
  readonly sandbox?: CmSandbox;
  readonly smtp?: SmtpCapture;
  /** Collects every log line (message and params, JSON-encoded) instead of silencing the logger. */
  readonly logs?: string[];
  /** Modules of the issuer's app next to the library (registered global then, as the sample app does). */
  readonly imports?: NonNullable<Parameters<typeof Module>[0]>['imports'];
  /** The HTTP platform. @default 'express' */
  readonly adapter?: 'express' | 'fastify';
  /** Runs on the app before it listens (global filters, pipes: what an issuer's main.ts does). */
  readonly configure?: (app: INestApplication) => void;
  /** The callbacks to mount. @default every group at its default path */
  readonly callbacks?: OtpCallbackRoutes;
}

/** Every callback group at its default path. */
export const ALL_CALLBACKS: OtpCallbackRoutes = { classic: true, d1: true, statusReports: true };

/** Base options: the sandboxes, the sample cardholders, no caller auth (tests of mTLS set their own). */
export function baseOptions(sandbox: CmSandbox, smtp: SmtpCapture): OtpDeliveryModuleForRootOptions {
  return {
    cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url, sender: 'MyBank' },
    email: { smtpUrl: smtp.url, from: 'MyBank <otp@mybank.example>', pool: false },
    // Suites send many codes to the two sample cardholders; the rate-limit test sets its own.
    limits: { perCard: { max: 1000, windowSeconds: 3600 }, perDestination: { max: 1000, windowSeconds: 3600 } },
    tokenization: { issuerId: ISSUER_ID, statusReportSecret: STATUS_REPORT_SECRET, auth: { mode: 'none' }, methodIdSecret: 'method-id-secret-for-tests-000000000' },
  };
}

/** Boots the library in a Nest app listening on an ephemeral port. */
export async function startCallbackApp(harness: HarnessOptions = {}): Promise<CallbackHarness> {
  const sandbox = harness.sandbox ?? (await CmSandbox.start());
  const smtp = harness.smtp ?? (await SmtpCapture.start());
  const options = harness.options ? harness.options(sandbox, smtp) : baseOptions(sandbox, smtp);

  @Module({
    imports: [
      OtpDeliveryModule.forRoot({
        callbacks: harness.callbacks ?? ALL_CALLBACKS,
        ...options,
        isGlobal: harness.imports !== undefined,
        extraProviders: [cardholderResolverProvider(CARDHOLDERS_FILE), ...(harness.extraProviders ?? []), ...(options.extraProviders ?? [])],
      }),
      ...(harness.imports ?? []),
    ],
  })
  class CallbackTestModule {}

  const moduleRef = await Test.createTestingModule({ imports: [CallbackTestModule] }).compile();
  const appOptions = harness.httpsOptions ? { httpsOptions: harness.httpsOptions } : {};
  const app =
    harness.adapter === 'fastify'
      ? moduleRef.createNestApplication<NestFastifyApplication>(new FastifyAdapter(harness.httpsOptions ? { https: harness.httpsOptions } : {}))
      : moduleRef.createNestApplication(appOptions);
  if (harness.logs) {
    const logs = harness.logs;
    const keep = (...args: unknown[]) => logs.push(JSON.stringify(args));
    app.useLogger({ log: keep, error: keep, warn: keep, debug: keep, verbose: keep, fatal: keep });
  } else {
    app.useLogger(false);
  }
  harness.configure?.(app);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `${harness.httpsOptions ? 'https' : 'http'}://127.0.0.1:${port}`;
  return {
    app,
    url,
    sandbox,
    smtp,
    close: async () => {
      await app.close();
      if (!harness.sandbox) await sandbox.close();
      if (!harness.smtp) await smtp.close();
    },
  };
}

/** A suite's callback app and the SMS method of `card-gb-0001` (set once the suite's `beforeAll` ran). */
export interface CallbackSuite {
  harness: CallbackHarness;
  gbSms: IdvMethod;
}

/**
 * Registers a suite's callback app: started before its tests (with `card-gb-0001`'s SMS method),
 * the CM and SMTP outboxes emptied after each test, closed after the suite.
 */
export function callbackAppPerSuite(options: HarnessOptions = {}): CallbackSuite {
  const suite = {} as CallbackSuite;
  beforeAll(async () => {
    suite.harness = await startCallbackApp(options);
    [suite.gbSms] = (await suite.harness.app.get(IdvMethodsService).forCard('card-gb-0001')) as [IdvMethod];
  });
  afterEach(() => {
    suite.harness.sandbox.clear();
    suite.harness.smtp.clear();
  });
  afterAll(async () => {
    await suite.harness.close();
  });
  return suite;
}

/** Classic headers for a call. */
export function classicHeaders(correlationId: string, issuerId = ISSUER_ID): Record<string, string> {
  return { 'content-type': 'application/json', 'x-correlation-id': correlationId, 'x-issuer-id': issuerId };
}

/** POSTs JSON and answers the status and parsed body. */
export async function postJson(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
