import { Test, type TestingModule } from '@nestjs/testing';
import type { LoggerService } from '@nestjs/common';
import { OtpDeliveryModule, type CmOptions } from 'nestjs-otp-delivery';
import { HostileCm } from './hostile-cm-server.js';

/** The product token the suites configure: a GUID whose digits are glued to letters, so no digit mask touches it. */
export const HOSTILE_CM_TOKEN = '6f1c3e2a-9b4d-4c1e-8f2a-0a1b2c3d4e5f';

/** A suite's hostile CM, and the module apps it boots against it. */
export interface HostileCmSuite {
  /** The server (started before the suite's tests). */
  readonly cm: () => HostileCm;
  /** Boots the module against the server with `cm` options over the defaults (closed after the suite). */
  boot(cm?: Partial<CmOptions>, logger?: LoggerService): Promise<TestingModule>;
}

/** Starts a hostile CM before the suite's tests and closes it, and every app booted, after them. */
export function hostileCmSuite(): HostileCmSuite {
  let server: HostileCm;
  const apps: TestingModule[] = [];
  beforeAll(async () => {
    server = await HostileCm.start();
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await server.close();
  });
  return {
    cm: () => server,
    boot: async (cm = {}, logger) => {
      const moduleRef = await Test.createTestingModule({
        imports: [
          OtpDeliveryModule.forRoot({
            cm: { productToken: HOSTILE_CM_TOKEN, messagingBaseUrl: server.url, otpBaseUrl: server.url, sender: 'MyBank', ...cm },
            health: { timeoutMs: 2000, cacheTtlMs: 0 },
            limits: { perDestination: { max: 1000, windowSeconds: 3600 } },
          }),
        ],
      }).compile();
      if (logger) moduleRef.useLogger(logger);
      const app = await moduleRef.init();
      apps.push(app);
      return app;
    },
  };
}
