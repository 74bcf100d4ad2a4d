import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import {
  OtpDeliveryCoreModuleClass,
  RAW_OTP_DELIVERY_OPTIONS,
  type OtpDeliveryModuleAsyncOptions,
  type OtpDeliveryModuleExtras,
  type OtpDeliveryModuleForRootOptions,
} from './otp-delivery.module-definition.js';
import { OTP_DELIVERY_CALLBACKS, OTP_DELIVERY_DEFINITION_PROBLEMS, OTP_DELIVERY_OPTIONS } from './otp-delivery.constants.js';
import { resolveOtpDeliveryOptions } from './options/resolve-options.js';
import { featureOptionsProviders } from './options/feature-options.providers.js';
import { checkExtraProviders } from './options/extra-providers.check.js';
import { CardholderContactResolver } from './tokenization/cardholder-contact-resolver.interface.js';
import { featureProviders } from './feature-providers.js';
import { applyOtpDeliveryOpenApi } from './tokenization/openapi/openapi-metadata.js';

/**
 * Validates and resolves the options once, before any feature provider is created: every problem,
 * the DI-level ones included (is a contact resolver registered?), stops the boot in one
 * `OtpDeliveryConfigError`.
 */
const resolvedOptionsProvider: Provider = {
  provide: OTP_DELIVERY_OPTIONS,
  useFactory: (raw: unknown, callbacks: unknown, definitionProblems: readonly string[], contactResolver?: unknown) =>
    resolveOtpDeliveryOptions(raw, { callbacks, definitionProblems, contactResolver: contactResolver !== undefined }),
  inject: [RAW_OTP_DELIVERY_OPTIONS, OTP_DELIVERY_CALLBACKS, OTP_DELIVERY_DEFINITION_PROBLEMS, { token: CardholderContactResolver, optional: true }],
};

/**
 * Holds every service of the module. `OtpDeliveryModule` wraps it so the callback modules can
 * import this same instance; issuers use `OtpDeliveryModule`.
 */
@Module({})
export class OtpDeliveryCoreModule extends OtpDeliveryCoreModuleClass {
  static override forRoot(options: OtpDeliveryModuleForRootOptions): DynamicModule {
    return OtpDeliveryCoreModule.withProviders(super.forRoot(options), options);
  }

  static override forRootAsync(options: OtpDeliveryModuleAsyncOptions): DynamicModule {
    // The builder has dropped extras on some Nest versions, so they are applied here explicitly.
    return OtpDeliveryCoreModule.withProviders(super.forRootAsync(options), options);
  }

  private static withProviders(definition: DynamicModule, extras: OtpDeliveryModuleExtras): DynamicModule {
    // Here, not in a provider: apps build their OpenAPI document before `app.init()`. A value that is
    // neither is refused with the other options' problems, when the options are resolved.
    if (extras.openApi === 'startup' || extras.openApi === undefined) applyOtpDeliveryOpenApi();
    const { providers: extraProviders, problems: extraProvidersProblems } = checkExtraProviders(extras.extraProviders);
    const providers: Provider[] = [
      ...(definition.providers ?? []),
      { provide: OTP_DELIVERY_CALLBACKS, useValue: extras.callbacks },
      { provide: OTP_DELIVERY_DEFINITION_PROBLEMS, useValue: [...extraProvidersProblems, ...openApiProblems(extras.openApi), ...isGlobalProblems(extras.isGlobal)] },
      resolvedOptionsProvider,
      ...featureOptionsProviders,
      ...featureProviders,
      ...extraProviders,
    ];
    return {
      ...definition,
      providers,
      // The slices too: the callback modules' guards and the issuer's own controllers (which reuse them) inject them.
      exports: [...featureOptionsProviders.map(tokenOf), ...featureProviders.map(tokenOf), ...extraProviders.map(tokenOf)],
    };
  }
}

function openApiProblems(openApi: unknown): string[] {
  return openApi === undefined || openApi === 'startup' || openApi === 'on-demand' ? [] : ["openApi must be 'startup' or 'on-demand'"];
}

function isGlobalProblems(isGlobal: unknown): string[] {
  // 'yes' or 1 once registered the module globally or not by JavaScript truthiness, silently.
  return isGlobal === undefined || typeof isGlobal === 'boolean' ? [] : ['isGlobal must be true or false'];
}

function tokenOf(provider: Provider) {
  return typeof provider === 'function' ? provider : provider.provide;
}
