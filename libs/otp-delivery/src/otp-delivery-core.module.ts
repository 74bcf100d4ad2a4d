import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import {
  OtpDeliveryCoreModuleClass,
  type OtpDeliveryModuleAsyncOptions,
  type OtpDeliveryModuleForRootOptions,
} from './otp-delivery.module-definition.js';
import { resolvedOptionsProvider } from './options/resolve-options.provider.js';
import { OTP_DELIVERY_OPTIONS } from './otp-delivery.constants.js';
import { featureProviders } from './feature-providers.js';

/**
 * Holds every service of the module. `OtpDeliveryModule` wraps it so the callback modules can
 * import this same instance; issuers use `OtpDeliveryModule`.
 */
@Module({})
export class OtpDeliveryCoreModule extends OtpDeliveryCoreModuleClass {
  static override forRoot(options: OtpDeliveryModuleForRootOptions): DynamicModule {
    return OtpDeliveryCoreModule.withProviders(super.forRoot(options), options.extraProviders);
  }

  static override forRootAsync(options: OtpDeliveryModuleAsyncOptions): DynamicModule {
    // The builder has dropped extras on some Nest versions, so they are applied here explicitly.
    return OtpDeliveryCoreModule.withProviders(super.forRootAsync(options), options.extraProviders);
  }

  private static withProviders(definition: DynamicModule, extraProviders: Provider[] = []): DynamicModule {
    const providers: Provider[] = [...(definition.providers ?? []), resolvedOptionsProvider, ...featureProviders, ...extraProviders];
    return {
      ...definition,
      // HealthIndicatorService, for OtpDeliveryHealthIndicator.
      imports: [...(definition.imports ?? []), TerminusModule],
      providers,
      exports: [OTP_DELIVERY_OPTIONS, ...featureProviders.map(tokenOf), ...extraProviders.map(tokenOf)],
    };
  }
}

function tokenOf(provider: Provider) {
  return typeof provider === 'function' ? provider : provider.provide;
}
