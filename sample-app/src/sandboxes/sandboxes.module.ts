import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../config/environment.js';
import { EmbeddedSandboxes } from './embedded-sandboxes.js';

/** Provides `EmbeddedSandboxes`, started before the OTP module's options factory runs. */
@Module({
  providers: [
    {
      provide: EmbeddedSandboxes,
      inject: [ConfigService],
      useFactory: (config: ConfigService<Environment, true>) =>
        EmbeddedSandboxes.start({
          CM_PRODUCT_TOKEN: config.get('CM_PRODUCT_TOKEN', { infer: true }),
          SMTP_URL: config.get('SMTP_URL', { infer: true }),
          REDIS: config.get('REDIS_URL', { infer: true })
            ? 'one server'
            : config.get('REDIS_CLUSTER_NODES', { infer: true })
              ? 'cluster'
              : config.get('REDIS_SENTINELS', { infer: true })
                ? 'sentinel'
                : undefined,
          CM_STATUS_REPORT_SECRET: config.get('CM_STATUS_REPORT_SECRET', { infer: true }),
        }),
    },
  ],
  exports: [EmbeddedSandboxes],
})
export class SandboxesModule {}
