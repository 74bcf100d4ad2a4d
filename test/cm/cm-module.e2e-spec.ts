import { Test, type TestingModule } from '@nestjs/testing';
import {
  CmError,
  CmMessagingClient,
  CmOtpService,
  OtpDeliveryModule,
  OtpEngine,
  type OtpDeliveryModuleOptions,
} from 'nestjs-otp-delivery';
import { LocalOtpEngine } from '../../libs/otp-delivery/src/otp/local-otp.engine.js';
import { CmSandbox } from 'nestjs-otp-delivery/testing';


/** The CM providers inside the real module, against the sandbox over HTTP. */
describe('CM.com inside OtpDeliveryModule', () => {
  let sandbox: CmSandbox;
  const apps: TestingModule[] = [];

  const boot = async (options: OtpDeliveryModuleOptions): Promise<TestingModule> => {
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot(options)] }).compile();
    const app = await moduleRef.init();
    apps.push(app);
    return app;
  };

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sandbox.close();
  });
  beforeEach(() => sandbox.clear());

  it('boots without a product token and fails the call with a config error, sending nothing', async () => {
    const app = await boot({ cm: { otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url } });
    const error = (await app.get(CmMessagingClient).send({ to: '+819012345678', text: 'hi', reference: 'r1' }).catch((e: unknown) => e)) as CmError;
    expect(error).toBeInstanceOf(CmError);
    expect(error.reason).toBe('not-configured');
    expect(sandbox.requests).toHaveLength(0);
  });

  it('resolves OtpEngine to CmOtpService by default and runs a v2 round trip through DI', async () => {
    const app = await boot({ cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, otpApiVersion: 'v2', sender: 'MyBank' } });
    const engine = app.get<OtpEngine>(OtpEngine);
    expect(engine).toBeInstanceOf(CmOtpService);
    const otp = await engine.generate({ to: '+81 90-1234-5678' });
    expect(sandbox.requests[0]).toMatchObject({ path: '/otp/v2/otp', body: { to: '+819012345678', digits: 6, expiry: 300 } });
    await expect(engine.verify(otp.id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: true });
  });

  it('runs a v1 round trip through DI: a reused code answers already-verified from the module’s store, an unknown id not-found', async () => {
    const app = await boot({ cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, otpApiVersion: 'v1', sender: 'MyBank' } });
    const engine = app.get<OtpEngine>(OtpEngine);
    const otp = await engine.generate({ to: '+81 90-1234-5678' });
    const code = sandbox.outbox[0]!.code!;
    await expect(engine.verify(otp.id, code)).resolves.toEqual({ verified: true });
    await expect(engine.verify(otp.id, code)).resolves.toEqual({ verified: false, reason: 'already-verified' });
    expect(sandbox.requests.map((request) => request.path)).toEqual(['/v1.0/otp/generate', '/v1.0/otp/verify']);
    sandbox.failNext(1, { status: 404, body: '' });
    await expect(engine.verify('no-such-id', code)).resolves.toEqual({ verified: false, reason: 'not-found' });
  });

  it('resolves OtpEngine to LocalOtpEngine with otp.engine local, which never calls CM', async () => {
    const app = await boot({ otp: { engine: 'local', hashKey: 'k'.repeat(32) } });
    const engine = app.get<OtpEngine>(OtpEngine);
    expect(engine).toBeInstanceOf(LocalOtpEngine);
    const otp = await engine.generate({ to: '+819012345678' });
    await expect(engine.verify(otp.id, otp.code!)).resolves.toEqual({ verified: true });
    expect(sandbox.requests).toHaveLength(0);
  });

  it('keeps its connection alive between calls and closes it when the app closes', async () => {
    // A sandbox of its own, so the other tests' pools do not count.
    const own = await CmSandbox.start();
    try {
      const app = await boot({ cm: { productToken: own.productToken, messagingBaseUrl: own.url } });
      const client = app.get(CmMessagingClient);
      for (let i = 0; i < 10; i += 1) await client.send({ to: '+819012345678', text: 'hi', reference: `r${i}` });
      // Sequential calls reuse kept-alive sockets (undici may open a second one while the first drains).
      expect(new Set(own.requests.map((r) => r.remotePort)).size).toBeLessThanOrEqual(2);
      expect(await own.openConnections()).toBeGreaterThan(0);
      await app.close();
      apps.splice(apps.indexOf(app), 1);
      expect(await waitFor(async () => (await own.openConnections()) === 0)).toBe(true);
    } finally {
      await own.close();
    }
  });
});

/** Polls a condition (the server learns of a closed socket asynchronously); answers whether it came true. */
async function waitFor(condition: () => Promise<boolean>, attempts = 100): Promise<boolean> {
  for (let i = 0; i < attempts; i += 1) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
