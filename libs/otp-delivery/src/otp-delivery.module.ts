import { Module, type DynamicModule } from '@nestjs/common';
import { OtpDeliveryCoreModule } from './otp-delivery-core.module.js';
import type { OtpDeliveryModuleAsyncOptions, OtpDeliveryModuleForRootOptions } from './otp-delivery.module-definition.js';
import { createCallbackModules } from './tokenization/callback-modules.js';
import { resolveCallbackRoutes, type OtpCallbackRoutes } from './tokenization/callback-routes.js';

/**
 * One-time password delivery for card-tokenization step-up.
 *
 * @example
 * // app.module.ts
 * imports: [
 *   OtpDeliveryModule.forRootAsync({
 *     imports: [ConfigModule],
 *     inject: [ConfigService],
 *     useFactory: (config: ConfigService) => ({
 *       cm: { productToken: config.getOrThrow('CM_PRODUCT_TOKEN'), sender: 'MyBank' },
 *       tokenization: { issuerId: config.getOrThrow('ISSUER_ID'), statusReportSecret: config.getOrThrow('CM_STATUS_REPORT_SECRET') },
 *     }),
 *     callbacks: { classic: true, statusReports: true },
 *     extraProviders: [{ provide: CardholderContactResolver, useClass: CardholderDirectory }],
 *   }),
 * ]
 */
@Module({})
export class OtpDeliveryModule {
  /** Registers the module with options known at import time. */
  static forRoot(options: OtpDeliveryModuleForRootOptions = {}): DynamicModule {
    return OtpDeliveryModule.wrap(OtpDeliveryCoreModule.forRoot(options), options.isGlobal, options.callbacks);
  }

  /**
   * Registers the module with options from a factory, a class or an existing provider
   * (typically `ConfigService`). `callbacks`, `extraProviders` and `isGlobal` go beside the factory.
   */
  static forRootAsync(options: OtpDeliveryModuleAsyncOptions): DynamicModule {
    return OtpDeliveryModule.wrap(OtpDeliveryCoreModule.forRootAsync(options), options.isGlobal, options.callbacks);
  }

  private static wrap(core: DynamicModule, isGlobal: boolean | undefined, callbacks: OtpCallbackRoutes | undefined): DynamicModule {
    // A malformed `callbacks` mounts nothing here; the boot check lists its problems with the options'.
    return {
      module: OtpDeliveryModule,
      global: isGlobal ?? false,
      imports: [core, ...createCallbackModules(core, resolveCallbackRoutes(callbacks).routes)],
      exports: [core],
    };
  }
}
