import { ConfigurableModuleBuilder, type ConfigurableModuleAsyncOptions, type Provider } from '@nestjs/common';
import type { OtpDeliveryModuleOptions } from './options/otp-delivery-module-options.js';
import type { OtpCallbackRoutes } from './tokenization/callback-routes.js';

/** Options of `forRoot`/`forRootAsync` that shape the module itself rather than its services. */
export interface OtpDeliveryModuleExtras {
  /**
   * Register the module's services globally, so feature modules inject them without importing.
   * @default false
   */
  isGlobal?: boolean;
  /**
   * Providers added to the module's scope: the contracts the issuer implements
   * (`CardholderContactResolver`, `VirtualCardChangeHandler`), replacements of `OtpStore`,
   * `OtpEngine` or `OTP_CALLER_GUARD`, and what those inject. Channels are not given here: name their
   * classes in `channels`.
   * @default []
   * @example [{ provide: CardholderContactResolver, useClass: CardholderDirectory }]
   */
  extraProviders?: Provider[];
  /**
   * Which tokenization callbacks to mount, and where: nothing is mounted unless asked for. Given
   * here, beside the options, for `forRoot` and `forRootAsync` alike (routes are fixed before an
   * options factory runs).
   * @default {} (no callback mounted)
   * @example { classic: true, d1: true, statusReports: true }
   */
  callbacks?: OtpCallbackRoutes;
  /**
   * When the callbacks' OpenAPI metadata (swagger's decorators on the library's controllers and
   * bodies) is applied, with `@nestjs/swagger` installed. `'startup'`: when the module is set up, so a
   * document built at any time describes the callbacks. `'on-demand'`: when the app calls
   * `applyOtpDeliveryOpenApi()`, before it builds its document; `@nestjs/swagger` (about 4 MiB of heap)
   * is then not loaded at startup.
   * @default 'startup'
   */
  openApi?: 'startup' | 'on-demand';
}

/** The options `OtpDeliveryModule.forRoot` takes: the module options and, beside them, the extras. */
export type OtpDeliveryModuleForRootOptions = OtpDeliveryModuleOptions & Partial<OtpDeliveryModuleExtras>;

/**
 * The options `OtpDeliveryModule.forRootAsync` takes: `useFactory` (with `inject` and `imports`),
 * `useClass` or `useExisting` (a class with `createOtpDeliveryOptions()`), and the extras beside it.
 */
export type OtpDeliveryModuleAsyncOptions = ConfigurableModuleAsyncOptions<OtpDeliveryModuleOptions, 'createOtpDeliveryOptions'> & Partial<OtpDeliveryModuleExtras>;

export const {
  ConfigurableModuleClass: OtpDeliveryCoreModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_OTP_DELIVERY_OPTIONS,
} = new ConfigurableModuleBuilder<OtpDeliveryModuleOptions>({ moduleName: 'OtpDelivery' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOtpDeliveryOptions')
  // Every key here is taken out of the options object the module validates.
  .setExtras<OtpDeliveryModuleExtras>({ isGlobal: false, extraProviders: [], callbacks: {}, openApi: 'startup' }, (definition) => definition)
  .build();
