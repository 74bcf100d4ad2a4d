import type { Provider } from '@nestjs/common';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import { OTP_CALLER_GUARD, TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import { resolveTokenizationOptions } from './tokenization-options.resolver.js';
import { TokenizationCallerGuard } from './guards/tokenization-caller.guard.js';
import { IdvMethodsService } from './idv-methods.service.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { OtpTokenizationEvents } from './otp-tokenization.events.js';
import { TokenizationOtpService } from './tokenization-otp.service.js';
import { VirtualCardChangeService } from './virtual-card-change.service.js';

/** The tokenization providers registered (and exported) by the core module. */
export const tokenizationProviders: Provider[] = [
  { provide: TOKENIZATION_OPTIONS, useFactory: resolveTokenizationOptions, inject: [OTP_DELIVERY_OPTIONS] },
  { provide: OTP_CALLER_GUARD, useClass: TokenizationCallerGuard },
  IdvMethodsService,
  CallbackIdempotency,
  OtpTokenizationEvents,
  TokenizationOtpService,
  VirtualCardChangeService,
];
