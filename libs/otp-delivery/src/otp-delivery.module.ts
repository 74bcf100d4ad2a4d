import { Module, type DynamicModule } from '@nestjs/common';
import { OtpDeliveryCoreModule } from './otp-delivery-core.module.js';
import type { OtpDeliveryModuleAsyncOptions, OtpDeliveryModuleForRootOptions } from './otp-delivery.module-definition.js';
import { createCallbackModules } from './tokenization/callback-routes.js';

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
 *       tokenization: { issuerId: config.getOrThrow('ISSUER_ID') },
 *     }),
 *   }),
 * ]
 */
@Module({})
export class OtpDeliveryModule {
  /** Registers the module with options known at import time. */
  static forRoot(options: OtpDeliveryModuleForRootOptions = {}): DynamicModule {
    return OtpDeliveryModule.wrap(OtpDeliveryCoreModule.forRoot(options), options.isGlobal, options.tokenization?.routes ?? options.routes);
  }

  /**
   * Registers the module with options from a factory, a class or an existing provider
   * (typically `ConfigService`). Callback routes are given here, not by the factory.
   */
  static forRootAsync(options: OtpDeliveryModuleAsyncOptions): DynamicModule {
    return OtpDeliveryModule.wrap(OtpDeliveryCoreModule.forRootAsync(options), options.isGlobal, options.routes);
  }

  private static wrap(core: DynamicModule, isGlobal: boolean | undefined, routes: Parameters<typeof createCallbackModules>[1]): DynamicModule {
    return {
      module: OtpDeliveryModule,
      global: isGlobal ?? false,
      imports: [core, ...createCallbackModules(core, routes)],
      exports: [core],
    };
  }
}
