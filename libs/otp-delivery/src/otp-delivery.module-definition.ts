import { ConfigurableModuleBuilder, type Provider } from '@nestjs/common';
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
   * Providers added to the module's scope: the issuer's own channel classes, contact resolver,
   * health dependencies, or replacements for the built-in tokens.
   * @default []
   * @example [{ provide: SMS_CHANNEL, useClass: MySmsChannel }]
   */
  extraProviders?: Provider[];
  /**
   * Where the tokenization callbacks are mounted (`forRootAsync` only: routes are fixed before
   * the options factory runs; with `forRoot` they come from `tokenization.routes`).
   * @default { classic: '/issuer/igwapi/v2.0', d1: '', statusReports: '/cm/status-reports' }
   */
  routes?: OtpCallbackRoutes;
}

export const {
  ConfigurableModuleClass: OtpDeliveryCoreModuleClass,
  MODULE_OPTIONS_TOKEN: RAW_OTP_DELIVERY_OPTIONS,
  OPTIONS_TYPE: OTP_DELIVERY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: OTP_DELIVERY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<OtpDeliveryModuleOptions>({ moduleName: 'OtpDelivery' })
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createOtpDeliveryOptions')
  .setExtras<OtpDeliveryModuleExtras>({ isGlobal: false, extraProviders: [] }, (definition) => definition)
  .build();

/** The options `OtpDeliveryModule.forRoot` takes. */
export type OtpDeliveryModuleForRootOptions = typeof OTP_DELIVERY_OPTIONS_TYPE;
/** The options `OtpDeliveryModule.forRootAsync` takes. */
export type OtpDeliveryModuleAsyncOptions = typeof OTP_DELIVERY_ASYNC_OPTIONS_TYPE;
