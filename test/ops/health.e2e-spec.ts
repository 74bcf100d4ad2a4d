import { Controller, Get, Module, type INestApplication } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { ModulesContainer } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { OtpDeliveryHealthIndicator, OtpDeliveryModule, type OtpDeliveryModuleForRootOptions } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { startHungRedisServer } from '../support/redis-hung-server.js';
import { freePort } from '../support/free-port.js';


/** The health endpoint as an issuer's app writes it. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly otp: OtpDeliveryHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.otp.checkCm(), () => this.otp.checkSmtp(), () => this.otp.checkStore()]);
  }
}

async function startApp(options: OtpDeliveryModuleForRootOptions): Promise<{ app: INestApplication; url: string }> {
  @Module({ imports: [TerminusModule, OtpDeliveryModule.forRoot({ ...options })], controllers: [HealthController] })
  class AppModule {}
  const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: `${await app.getUrl()}/health` };
}

/** Terminus' answer: overall status and each indicator's result. */
interface HealthAnswer {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
  details: Record<string, Record<string, unknown>>;
}

async function probe(url: string): Promise<{ status: number; body: HealthAnswer }> {
  const response = await fetch(url);
  return { status: response.status, body: (await response.json()) as HealthAnswer };
}

describe('OtpDeliveryHealthIndicator over HTTP', () => {
  let sandbox: CmSandbox;
  beforeAll(async () => {
    sandbox = await CmSandbox.start({ log: false });
  });
  afterAll(async () => {
    await sandbox.close();
  });
  afterEach(() => sandbox.setLatency(0));

  const cmOptions = () => ({ productToken: sandbox.productToken, messagingBaseUrl: sandbox.url, otpBaseUrl: sandbox.url });

  it('is up while CM answers, and says what it skipped and the store fail mode', async () => {
    const { app, url } = await startApp({ cm: cmOptions(), health: { timeoutMs: 1000, cacheTtlMs: 0 } });
    try {
      const { status, body } = await probe(url);
      expect(status).toBe(200);
      expect(body.details.cm).toMatchObject({ status: 'up' });
      expect(body.details.smtp).toMatchObject({ status: 'up', skipped: true, reason: 'email not configured' });
      expect(body.details.store).toMatchObject({ status: 'up', failMode: 'closed' });
      // The probe sends nothing.
      expect(sandbox.outbox).toHaveLength(0);
    } finally {
      await app.close();
    }
  });

  it('goes down for CM within the timeout when the sandbox stops answering, and up again when it returns', async () => {
    const { app, url } = await startApp({ cm: cmOptions(), health: { timeoutMs: 200, cacheTtlMs: 0 } });
    try {
      expect((await probe(url)).status).toBe(200);
      sandbox.setLatency(5_000);
      const down = await probe(url);
      expect(down.status).toBe(503);
      expect(down.body.error?.cm).toMatchObject({ status: 'down', message: 'timeout of 200ms exceeded' });
      expect(down.body.info?.store).toMatchObject({ status: 'up' });
      sandbox.setLatency(0);
      const up = await probe(url);
      expect(up.status).toBe(200);
      expect(up.body.details.cm.status).toBe('up');
    } finally {
      await app.close();
    }
  });

  it('reports a refused product token as down without the token', async () => {
    const { app, url } = await startApp({ cm: { ...cmOptions(), productToken: '00000000-0000-0000-0000-0000000000ff' }, health: { cacheTtlMs: 0 } });
    try {
      const { status, body } = await probe(url);
      expect(status).toBe(503);
      expect(body.error?.cm.status).toBe('down');
      expect(typeof body.error?.cm.message).toBe('string');
      expect(JSON.stringify(body)).not.toContain('0000000000ff');
    } finally {
      await app.close();
    }
  });

  it('reuses a result for cacheTtlMs, and concurrent probes share one CM call', async () => {
    const { app } = await startApp({ cm: cmOptions(), health: { cacheTtlMs: 60_000 } });
    try {
      const indicator = app.get(OtpDeliveryHealthIndicator);
      sandbox.clear();
      const results = await Promise.all(Array.from({ length: 5 }, () => indicator.checkCm()));
      expect(results.every((result) => result.cm.status === 'up')).toBe(true);
      expect(sandbox.requests).toHaveLength(1);
      const again = await indicator.checkCm();
      expect(again.cm).toMatchObject({ status: 'up', cachedResponse: true });
      expect(sandbox.requests).toHaveLength(1);
    } finally {
      await app.close();
    }
  });

  it('reports CM as skipped when no product token is configured', async () => {
    const { app } = await startApp({ health: { cacheTtlMs: 0 } });
    try {
      expect((await app.get(OtpDeliveryHealthIndicator).checkCm()).cm).toMatchObject({ status: 'up', skipped: true });
    } finally {
      await app.close();
    }
  });

  it('checks SMTP: the outbox is up; an SMTP server that is not there is down, without its credentials', async () => {
    const { EmailOutbox } = await import('nestjs-otp-delivery/testing');
    const withOutbox = await startApp({ email: { outbox: new EmailOutbox({ log: false }), from: 'otp@bank.test' }, health: { cacheTtlMs: 0 } });
    try {
      expect((await withOutbox.app.get(OtpDeliveryHealthIndicator).checkSmtp()).smtp).toMatchObject({ status: 'up' });
    } finally {
      await withOutbox.app.close();
    }
    const port = await freePort();
    const { app } = await startApp({ email: { smtpUrl: `smtp://mailer:hunter2secret@127.0.0.1:${port}`, from: 'otp@bank.test' }, health: { timeoutMs: 2000, cacheTtlMs: 0 } });
    try {
      const result = await app.get(OtpDeliveryHealthIndicator).checkSmtp();
      expect(result.smtp.status).toBe('down');
      expect(JSON.stringify(result)).not.toMatch(/hunter2secret|mailer/);
    } finally {
      await app.close();
    }
  });

  it('reports SMTP as skipped when the email channel is off', async () => {
    const { app } = await startApp({ channels: { email: false }, health: { cacheTtlMs: 0 } });
    try {
      expect((await app.get(OtpDeliveryHealthIndicator).checkSmtp()).smtp).toMatchObject({ status: 'up', skipped: true, reason: 'email channel disabled' });
    } finally {
      await app.close();
    }
  });

  it("adds no TerminusModule of its own: the app's TerminusModule.forRoot() is the one its health checks run in", async () => {
    @Module({
      imports: [TerminusModule.forRoot({ errorLogStyle: 'pretty', gracefulShutdownTimeoutMs: 0 }), OtpDeliveryModule.forRoot({ cm: cmOptions(), health: { cacheTtlMs: 0 } })],
      controllers: [HealthController],
    })
    class AppWithConfiguredTerminus {}
    const moduleRef = await Test.createTestingModule({ imports: [AppWithConfiguredTerminus] }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.listen(0, '127.0.0.1');
    try {
      const terminusModules = [...app.get(ModulesContainer).values()].filter((module) => module.metatype === TerminusModule);
      expect(terminusModules).toHaveLength(1);
      const { status, body } = await probe(`${await app.getUrl()}/health`);
      expect(status).toBe(200);
      expect(Object.keys(body.details)).toEqual(['cm', 'smtp', 'store']);
    } finally {
      await app.close();
    }
  });

  it.each([
    ['closed', 503, 'down', 'error'],
    ['open', 200, 'degraded', 'info'],
  ] as const)('reports a hung Redis with failMode %s as HTTP %i, store %s', async (failMode, httpStatus, storeStatus, section) => {
    const hung = await startHungRedisServer();
    const { app, url } = await startApp({
      store: { type: 'redis', redisUrl: `redis://127.0.0.1:${hung.port}`, failMode, commandTimeoutMs: 100 },
      health: { timeoutMs: 300, cacheTtlMs: 0 },
    });
    try {
      const { status, body } = await probe(url);
      expect(status).toBe(httpStatus);
      expect(body.details.store).toMatchObject({ status: storeStatus, failMode });
      expect(body.details.store.message).toMatch(/StoreUnavailableError|timeout/);
      expect(body[section]?.store).toMatchObject({ status: storeStatus, failMode });
    } finally {
      await app.close();
      await hung.close();
    }
  });
});
