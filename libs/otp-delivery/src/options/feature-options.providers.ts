import type { Provider } from '@nestjs/common';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import { CM_OPTIONS } from '../cm/cm.constants.js';
import { OTP_ENGINE_OPTIONS } from '../otp/otp.constants.js';
import { TEMPLATES_OPTIONS } from '../templates/templates.constants.js';
import { CHANNELS_OPTIONS, EMAIL_OPTIONS } from '../channels/channels.constants.js';
import { DELIVERY_OPTIONS } from '../delivery/delivery.constants.js';
import { CALLBACK_ROUTES, TOKENIZATION_OPTIONS } from '../tokenization/tokenization.constants.js';
import { LIMITS_OPTIONS } from '../limits/limits.constants.js';
import { STORE_OPTIONS } from '../store/store.constants.js';
import { HEALTH_OPTIONS } from '../health/health.constants.js';
import { METRICS_OPTIONS } from '../metrics/metrics.constants.js';
import type { ResolvedOtpDeliveryOptions } from './resolve-options.js';

/** One provider per feature: its slice of the options, taken from the resolved whole. */
const slice = (token: symbol, pick: (options: ResolvedOtpDeliveryOptions) => unknown): Provider => ({
  provide: token,
  useFactory: pick,
  inject: [OTP_DELIVERY_OPTIONS],
});

/**
 * Each feature's options under a token of its own, so a service injects only its slice (and any
 * other feature's it reads, explicitly).
 */
export const featureOptionsProviders: Provider[] = [
  slice(CM_OPTIONS, (o) => o.cm),
  slice(OTP_ENGINE_OPTIONS, (o) => o.otp),
  slice(TEMPLATES_OPTIONS, (o) => o.templates),
  slice(CHANNELS_OPTIONS, (o) => o.channels),
  slice(EMAIL_OPTIONS, (o) => o.email),
  slice(DELIVERY_OPTIONS, (o) => o.delivery),
  slice(TOKENIZATION_OPTIONS, (o) => o.tokenization),
  slice(CALLBACK_ROUTES, (o) => o.callbacks),
  slice(LIMITS_OPTIONS, (o) => o.limits),
  slice(STORE_OPTIONS, (o) => o.store),
  slice(HEALTH_OPTIONS, (o) => o.health),
  slice(METRICS_OPTIONS, (o) => o.metrics),
];
