import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { TerminusModule } from '@nestjs/terminus';
import { OtpDeliveryModule } from 'nestjs-otp-delivery';
import { validateEnvironment } from './config/validate-environment.js';
import { buildOtpDeliveryOptions } from './config/otp-delivery-options.factory.js';
import { HealthController } from './health/health.controller.js';
import { MetricsController } from './metrics/metrics.controller.js';
import { EmbeddedSandboxes } from './sandboxes/embedded-sandboxes.js';
import { SandboxesModule } from './sandboxes/sandboxes.module.js';
import { sandboxConsoleWhenSandboxed } from './sandboxes/sandbox-console.registration.js';
import { cardholderResolverFromConfig } from './cardholders/index.js';
import { DigitizationModule } from './digitization/digitization.module.js';
import { CALLBACKS } from './config/callbacks.js';

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, validate: validateEnvironment }),
    TerminusModule,
    OtpDeliveryModule.forRootAsync({
      // Global so the sample's own requestCardDigitization (DigitizationModule) injects IdvMethodsService.
      isGlobal: true,
      imports: [SandboxesModule],
      extraProviders: [cardholderResolverFromConfig],
      inject: [ConfigService, EmbeddedSandboxes],
      useFactory: buildOtpDeliveryOptions,
      callbacks: CALLBACKS,
    }),
    DigitizationModule,
    sandboxConsoleWhenSandboxed(),
  ],
  controllers: [HealthController, MetricsController],
})
export class AppModule {}
