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
export {
  CmOptions,
  CmError,
  CmValidationError,
  CmHttpClient,
  CmMessagingClient,
  CmOtpService,
  CmStatusReports,
  CmStatusReportError,
  analyzeSms,
  type CmCallOptions,
  type CmDeliveryReceipt,
  type CmErrorDetails,
  type CmFailureReason,
  type CmSmsRequest,
  type CmSmsResult,
  type SmsAnalysis,
  type SmsEncoding,
} from './cm/index.js';
export {
  OtpEngineOptions,
  OtpEngine,
  LocalOtpEngine,
  OtpValidationError,
  type OtpCallOptions,
  type OtpChannelName,
  type OtpGenerated,
  type OtpGenerateRequest,
  type OtpRejectionReason,
  type OtpVerification,
} from './otp/index.js';
export { TemplatesOptions } from './templates/templates-options.js';
export type { OtpChannelsOptions } from './channels/channels-options.js';
export { EmailOptions } from './channels/email-options.js';
export { DeliveryOptions } from './delivery/delivery-options.js';
export { TokenizationOptions } from './tokenization/tokenization-options.js';
export type { OtpCallbackRoutes } from './tokenization/callback-routes.js';
export { LimitsOptions, RateLimitWindow } from './limits/limits-options.js';
export {
  OtpSendControls,
  OtpSendRefusedError,
  InvalidDestinationError,
  type CheckedDestination,
  type OtpDestinationKind,
  type OtpSendAttempt,
  type OtpSendRefusedReason,
  type OtpRateLimitName,
} from './limits/index.js';
export { OtpLogger, OtpRequestContext, LogThrottle, redactForLog, redactText, type OtpLogFields, type OtpLogRecord, type OtpRequestState } from './logging/index.js';
export { StoreOptions, StoreClusterOptions, type RedisClusterNode } from './store/store-options.js';
export { OtpStore, MemoryOtpStore, RedisOtpStore, StoreUnavailableError, InjectOtpStore, getOtpStoreToken, failFastRedisOptions, failFastClusterOptions, type CounterLimit, type ConsumeResult, type RedisOtpStoreOptions, type RedisClient } from './store/index.js';
export { HealthOptions } from './health/health-options.js';
export { OtpDeliveryHealthIndicator } from './health/index.js';
export type { OtpHealthIndicatorResult, OtpHealthStatus } from './health/index.js';
export { MetricsOptions } from './metrics/metrics-options.js';
export { OtpMetrics, type OtpDeliveryOutcome, type MetricsRegistry } from './metrics/index.js';
export { SecretValue, toSecret } from './common/secret-value.js';
export { maskDestination, maskEmail, maskPhone, panLastFour } from './common/masking.js';
export { InvalidPhoneNumberError, normalizePhoneNumber, type NormalizedPhoneNumber, type NormalizePhoneOptions } from './common/phone-number.js';
export { CardholderContactResolver, type CardholderContact } from './tokenization/cardholder-contact-resolver.interface.js';
export { CallerAuthOptions, IdvMethodTypesOptions } from './tokenization/tokenization-options.js';
export { OTP_CALLER_GUARD, STATUS_REPORT_SECRET_HEADER } from './tokenization/tokenization.constants.js';
export { CallerIdentity, callerIdentityOf, setCallerIdentity, type OtpCallerIdentity } from './tokenization/caller-identity.js';
export { IdvMethodsService, type IdvChannel, type IdvMethod, type IdvMethodsOptions, type ResolvedIdvMethod } from './tokenization/idv-methods.service.js';
export { OtpTokenizationEvents } from './tokenization/otp-tokenization.events.js';
export { VirtualCardChangeHandler, type VirtualCardChangeEvent } from './tokenization/virtual-card-change.event.js';
export { TokenizationCallerGuard } from './tokenization/guards/tokenization-caller.guard.js';
export { CallerAuthenticationGuard } from './tokenization/guards/caller-authentication.guard.js';
export { CallbackHeadersGuard, CorrelationId } from './tokenization/guards/callback-headers.guard.js';
export { CallbackJsonBodyGuard } from './tokenization/guards/callback-json-body.guard.js';
export { CallbackBodyPipe, validateCallbackBody } from './tokenization/callback-body.pipe.js';
export { CallbackExceptionFilter } from './tokenization/callback-exception.filter.js';
export { MalformedBodyFilter } from './tokenization/malformed-body.filter.js';
export type { CallbackErrorBody } from './tokenization/callback-error-response.js';
export { CallbackValidationError, CallerRefusedError, ExpiredOtpError, NoContactForChannelError, UnknownCardholderError, UnknownOtpMethodError } from './tokenization/errors/index.js';
export { SendOtpDto } from './tokenization/dto/send-otp.dto.js';
export { NotifyVirtualCardChangeDto, type KnownVirtualCardAction, type VirtualCardAction } from './tokenization/dto/notify-virtual-card-change.dto.js';
export { D1DeliverOtpDto, D1OtpDto } from './tokenization/dto/d1-deliver-otp.dto.js';
export { CallbackErrorResponseDto, CALLBACK_RESPONSE_CODES } from './tokenization/dto/callback-error-response.dto.js';
export { D1ConsumerInfoDto, D1MobilePhoneNumberDto } from './tokenization/dto/d1-consumer-info.dto.js';
export type { D1ConsumerInfo } from './tokenization/d1-consumer-info.js';
export {
  OtpTemplateRenderer,
  walletDisplayName,
  DEFAULT_TEMPLATES,
  type OtpTemplateField,
  type OtpTemplateKind,
  type OtpTemplateProblem,
  type RenderedOtpMessage,
  type OtpLocaleTemplates,
  type OtpTemplateVariable,
} from './templates/index.js';
export {
  EMAIL_CHANNEL,
  EmailChannel,
  getChannelToken,
  InjectChannel,
  InjectEmailChannel,
  InjectOtpChannels,
  InjectSmsChannel,
  OTP_CHANNELS,
  OtpChannelError,
  SMS_CHANNEL,
  SmsChannel,
  type OtpChannel,
  type OtpChannelFailure,
  type OtpChannelMessage,
  type OtpChannelReceipt,
} from './channels/index.js';
export {
  OtpDeliveryError,
  OtpDeliveryEvents,
  OtpDeliveryService,
  type OtpDeliveryAttempt,
  type OtpDeliveryContext,
  type OtpDeliveryEvent,
  type OtpDeliveryFailure,
  type OtpDeliveryReceipt,
  type OtpDeliveryRequest,
  type OtpStatusReport,
} from './delivery/index.js';
