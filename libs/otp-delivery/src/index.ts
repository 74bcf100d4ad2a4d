/**
 * nestjs-otp-delivery: one-time password delivery for card-tokenization step-up.
 *
 * The public API, exported by name: what an issuer writes or reads (the module and its options,
 * the services it injects, the contracts it implements with their tokens, errors, request,
 * response and event types). Everything else is internal and may change in any release.
 * `api/nestjs-otp-delivery.api.md` records this surface; a test fails when it changes unnoticed.
 * Test helpers (the CM.com sandbox, the email outbox, `OtpDeliveryTestingModule`) live in
 * `nestjs-otp-delivery/testing`.
 */

// The module and its options.
export { OtpDeliveryModule } from './otp-delivery.module.js';
export type { OtpDeliveryModuleAsyncOptions, OtpDeliveryModuleExtras, OtpDeliveryModuleForRootOptions } from './otp-delivery.module-definition.js';
export type { OtpDeliveryModuleOptions } from './options/otp-delivery-module-options.js';
export type { CmOptions } from './cm/cm-options.js';
export type { OtpEngineOptions } from './otp/otp-engine-options.js';
export type { TemplatesOptions, OtpLocaleTemplates, OtpTemplateVariable } from './templates/templates-options.js';
export type { OtpChannelsOptions } from './channels/channels-options.js';
export type { EmailOptions } from './channels/email-options.js';
export type { SmtpTransportOptions, SmtpAuthOptions, SmtpDkimKey, SmtpDkimOptions } from './channels/smtp-transport-options.js';
export type { EmailOutboxTransport } from './channels/email-outbox-transport.js';
export type { DeliveryOptions } from './delivery/delivery-options.js';
export type { TokenizationOptions, CallerAuthOptions, IdvMethodTypesOptions } from './tokenization/tokenization-options.js';
export type { OtpCallbackRoutes } from './tokenization/callback-routes.js';
export type { LimitsOptions, RateLimitWindow } from './limits/limits-options.js';
export type { StoreOptions, StoreClusterOptions, RedisClusterNode } from './store/store-options.js';
export type { RedisClientLike } from './store/redis-client-shape.js';
export type { RedisConnectionOptions } from './store/redis-connection-options.js';
export type { HealthOptions } from './health/health-options.js';
export type { MetricsOptions, MetricsRegistry } from './metrics/metrics-options.js';
export { OtpDeliveryConfigError } from './options/otp-delivery-config.error.js';
export { SecretValue } from './common/secret-value.js';

// Delivering a code.
export { OtpDeliveryService } from './delivery/otp-delivery.service.js';
export { OtpDeliveryEvents, type OtpStatusReport } from './delivery/otp-delivery.events.js';
export { OtpDeliveryError, type OtpDeliveryAttempt, type OtpDeliveryFailure } from './delivery/otp-delivery.error.js';
export type { OtpDeliveryEvent } from './delivery/otp-delivery-event.interface.js';
export type { OtpDeliveryReceipt } from './delivery/otp-delivery-receipt.interface.js';
export type { OtpDeliveryContext, OtpDeliveryRequest } from './delivery/otp-delivery-request.interface.js';
export { OtpSendRefusedError, type OtpRateLimitName, type OtpSendRefusedReason } from './limits/otp-send-refused.error.js';
export { InvalidDestinationError } from './limits/invalid-destination.error.js';
export type { OtpDestinationKind } from './limits/destination-kind.js';

// Channels: the contract, the tokens of the built-in slots, and their injection helpers.
export type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from './channels/otp-channel.interface.js';
export type { NormalizedPhoneNumber } from './common/phone-number.js';
export { OtpChannelError, type OtpChannelFailure } from './channels/otp-channel.error.js';
export { EMAIL_CHANNEL, InjectEmailChannel, InjectOtpChannels, InjectSmsChannel, OTP_CHANNELS, SMS_CHANNEL } from './channels/otp-channel.tokens.js';

// Issuer-generated codes, and CM.com used directly.
export { OtpEngine, type OtpCallOptions, type OtpChannelName, type OtpGenerated, type OtpGenerateRequest, type OtpRejectionReason, type OtpVerification } from './otp/otp-engine.interface.js';
export { OtpValidationError } from './otp/otp-validation.error.js';
export { CmOtpService } from './cm/cm-otp.service.js';
export { CmMessagingClient, type CmCallOptions, type CmSmsRequest, type CmSmsResult } from './cm/cm-messaging.client.js';
export { CmError, CmValidationError, type CmErrorDetails, type CmFailureReason } from './cm/cm.error.js';
export type { SmsEncoding } from './cm/sms-encoding.js';
export { CmStatusReports } from './cm/cm-status-reports.service.js';
export type { CmDeliveryReceipt } from './cm/cm-delivery-receipt.js';

// Tokenization: what the issuer provides, and what its own routes use.
export { CardholderContactResolver, type CardholderContact } from './tokenization/cardholder-contact-resolver.interface.js';
export { VirtualCardChangeHandler, type VirtualCardChangeEvent } from './tokenization/virtual-card-change.event.js';
export { OtpTokenizationEvents } from './tokenization/otp-tokenization.events.js';
export { IdvMethodsService, type IdvChannel, type IdvMethod, type IdvMethodsOptions } from './tokenization/idv-methods.service.js';
export { TokenizationCallback } from './tokenization/tokenization-callback.decorator.js';
export { applyOtpDeliveryOpenApi } from './tokenization/openapi/openapi-metadata.js';
export { OTP_CALLER_GUARD, STATUS_REPORT_SECRET_HEADER } from './tokenization/tokenization.constants.js';
export { callerIdentityOf, setCallerIdentity, type OtpCallerIdentity } from './tokenization/caller-identity.js';
export { CallbackValidationError } from './tokenization/errors/callback-validation.error.js';
export { CallerRefusedError } from './tokenization/errors/caller-refused.error.js';
export { MalformedBodyFilter } from './tokenization/malformed-body.filter.js';
export type { CallbackErrorBody } from './tokenization/callback-error-response.js';
export type { SendOtpDto } from './tokenization/dto/send-otp.dto.js';
export type { NotifyVirtualCardChangeDto, KnownVirtualCardAction, VirtualCardAction } from './tokenization/dto/notify-virtual-card-change.dto.js';
export type { D1DeliverOtpDto, D1OtpDto } from './tokenization/dto/d1-deliver-otp.dto.js';
export type { D1ConsumerInfo } from './tokenization/d1-consumer-info.js';

// Shared state: the contract an issuer may implement instead of the built-in stores.
export { OtpStore, type ConsumeResult, type CounterLimit } from './store/otp-store.interface.js';
export { InjectOtpStore } from './store/inject-otp-store.decorator.js';
export { StoreUnavailableError } from './store/store-unavailable.error.js';
// For a Redis client the app builds itself: the settings that make an outage fail fast.
export { failFastRedisOptions, failFastClusterOptions } from './store/redis-client.factory.js';

// Operations.
export { OtpDeliveryHealthIndicator } from './health/otp-delivery.health.js';
export type { OtpHealthIndicatorResult, OtpHealthStatus } from './health/health-indicator-result.js';
export { OtpMetrics, type OtpDeliveryOutcome } from './metrics/otp-metrics.service.js';
export { maskDestination, maskEmail, maskPhone } from './common/masking.js';
// For the app's own logger: a request context the app may run (the module runs none; its callback
// lines name their correlation id themselves, and take the context's where they have none), and the
// redaction of free text the module applies to its own lines.
export { OtpRequestContext, type OtpRequestState } from './logging/otp-request-context.js';
export { redactText } from './logging/log-redaction.js';
