import { IsOptional } from 'class-validator';
import { CmOptions } from '../cm/cm-options.js';
import { OtpEngineOptions } from '../otp/otp-engine-options.js';
import { TemplatesOptions } from '../templates/templates-options.js';
import type { OtpChannelsOptions } from '../channels/channels-options.js';
import { KeepAsIs } from './keep-as-is.decorator.js';
import { EmailOptions } from '../channels/email-options.js';
import { DeliveryOptions } from '../delivery/delivery-options.js';
import { TokenizationOptions } from '../tokenization/tokenization-options.js';
import { LimitsOptions } from '../limits/limits-options.js';
import { StoreOptions } from '../store/store-options.js';
import { HealthOptions } from '../health/health-options.js';
import { MetricsOptions } from '../metrics/metrics-options.js';
import { NestedOptions } from './nested-options.decorator.js';

/**
 * Everything `OtpDeliveryModule` can be configured with, grouped by concern. Every group and
 * every field is optional: the defaults run a single process on in-memory state against CM.com's
 * production hosts. Validated once at startup; a bad value stops the boot with a message naming
 * each bad key.
 *
 * @example
 * OtpDeliveryModule.forRoot({
 *   cm: { productToken: process.env.CM_PRODUCT_TOKEN, sender: 'MyBank' },
 *   tokenization: { issuerId: 'ISSUER0001' },
 * })
 */
export class OtpDeliveryModuleOptions {
  /** CM.com account, hosts and HTTP settings. */
  @IsOptional()
  @NestedOptions(() => CmOptions)
  cm?: CmOptions;

  /** Issuer-generated codes: CM.com's OTP API or the embedded local engine. */
  @IsOptional()
  @NestedOptions(() => OtpEngineOptions)
  otp?: OtpEngineOptions;

  /** Message templates per channel and locale. */
  @IsOptional()
  @NestedOptions(() => TemplatesOptions)
  templates?: TemplatesOptions;

  /**
   * Which class delivers each channel, by name: replace `sms` or `email` with your class (or `false`
   * to switch one off), add your own under any other name. The module creates each class through DI.
   * @default { sms: SmsChannel (CM.com), email: EmailChannel (SMTP) }
   * @example { sms: GatewaySmsChannel, voice: VoiceChannel }
   */
  @IsOptional()
  @KeepAsIs()
  channels?: OtpChannelsOptions;

  /** The built-in email channel. */
  @IsOptional()
  @NestedOptions(() => EmailOptions)
  email?: EmailOptions;

  /** Deadline and fallback of one delivery. */
  @IsOptional()
  @NestedOptions(() => DeliveryOptions)
  delivery?: DeliveryOptions;

  /** Tokenization callbacks (Thales classic and D1) and CM status reports. */
  @IsOptional()
  @NestedOptions(() => TokenizationOptions)
  tokenization?: TokenizationOptions;

  /** Fraud and rate controls. */
  @IsOptional()
  @NestedOptions(() => LimitsOptions)
  limits?: LimitsOptions;

  /** Shared state: in memory (one process) or Redis (many replicas). */
  @IsOptional()
  @NestedOptions(() => StoreOptions)
  store?: StoreOptions;

  /** Health check timeouts and caching. */
  @IsOptional()
  @NestedOptions(() => HealthOptions)
  health?: HealthOptions;

  /** Prometheus metrics. */
  @IsOptional()
  @NestedOptions(() => MetricsOptions)
  metrics?: MetricsOptions;
}
