/**
 * nestjs-otp-delivery: one-time password delivery for card-tokenization step-up.
 * The public API, exported by name. Test helpers (the CM.com sandbox, the email outbox) live in
 * `nestjs-otp-delivery/testing`.
 */
export { OtpDeliveryModule } from './otp-delivery.module.js';
export type {
  OtpDeliveryModuleAsyncOptions,
  OtpDeliveryModuleExtras,
  OtpDeliveryModuleForRootOptions,
} from './otp-delivery.module-definition.js';
export { OTP_DELIVERY_OPTIONS } from './otp-delivery.constants.js';
export { OtpDeliveryModuleOptions } from './options/otp-delivery-module-options.js';
export { OtpDeliveryConfigError } from './options/otp-delivery-config.error.js';
export { CmOptions } from './cm/cm-options.js';
export { OtpEngineOptions } from './otp/otp-engine-options.js';
export { TemplatesOptions } from './templates/templates-options.js';
export { ChannelsOptions } from './channels/channels-options.js';
export { EmailOptions } from './channels/email-options.js';
export { DeliveryOptions } from './delivery/delivery-options.js';
export { TokenizationOptions } from './tokenization/tokenization-options.js';
export type { OtpCallbackRoutes } from './tokenization/callback-routes.js';
export { LimitsOptions } from './limits/limits-options.js';
export { StoreOptions } from './store/store-options.js';
export { HealthOptions } from './health/health-options.js';
export { MetricsOptions } from './metrics/metrics-options.js';
export { SecretValue, toSecret } from './common/secret-value.js';
export { maskDestination, maskEmail, maskPhone, panLastFour } from './common/masking.js';
export { InvalidPhoneNumberError, normalizePhoneNumber, type NormalizedPhoneNumber, type NormalizePhoneOptions } from './common/phone-number.js';
