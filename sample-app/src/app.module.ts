import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Registry } from 'prom-client';
import { OtpDeliveryModule } from 'nestjs-otp-delivery';
import { validateEnvironment } from './config/validate-environment.js';
import { buildOtpDeliveryOptions } from './config/otp-delivery-options.factory.js';
import { MetricsRegistryModule } from './metrics/metrics-registry.module.js';
import { EmbeddedSandboxes } from './sandboxes/embedded-sandboxes.js';
import { SandboxesModule } from './sandboxes/sandboxes.module.js';
import { cardholderResolverFromConfig } from './cardholders/index.js';
import { DigitizationModule } from './digitization/digitization.module.js';
import { CALLBACKS } from './config/callbacks.js';

/**
 * The callback app: the library's callbacks and the issuer's own `requestCardDigitization`,
 * nothing else. Probes, metrics, the OpenAPI document and the sandbox console are served by the
 * management app (`ManagementModule`) on a port of their own.
 */
@Module({
  imports: [
    // Only the validated environment is read: ConfigService would otherwise fall back to process.env,
    // where a blank variable (`FOO=' '`), which validation counts as unset, still holds its blank.
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment, skipProcessEnv: true }),
    OtpDeliveryModule.forRootAsync({
      // Global so the sample's own requestCardDigitization (DigitizationModule) injects IdvMethodsService.
      isGlobal: true,
      imports: [SandboxesModule, MetricsRegistryModule],
      extraProviders: [cardholderResolverFromConfig],
      inject: [ConfigService, EmbeddedSandboxes, Registry],
      useFactory: buildOtpDeliveryOptions,
      callbacks: CALLBACKS,
      // The document is built on the first request for /docs (openapi.ts), which applies the metadata then.
      openApi: 'on-demand',
    }),
    DigitizationModule,
  ],
})
export class AppModule {}
