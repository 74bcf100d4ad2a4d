import type { Provider } from '@nestjs/common';
import { OTP_CALLER_GUARD } from './tokenization.constants.js';
import { TokenizationCallerGuard } from './guards/tokenization-caller.guard.js';
import { IdvMethodsService } from './idv-methods.service.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { OtpTokenizationEvents } from './otp-tokenization.events.js';
import { TokenizationOtpService } from './tokenization-otp.service.js';
import { VirtualCardChangeService } from './virtual-card-change.service.js';
import { MountedCallbacksLog } from './mounted-callbacks.log.js';
import { CallbackAnswers } from './callback-answers.service.js';
import { EndedEnrolments } from './ended-enrolments.service.js';

/** The tokenization providers registered (and exported) by the core module. */
export const tokenizationProviders: Provider[] = [
  { provide: OTP_CALLER_GUARD, useClass: TokenizationCallerGuard },
  IdvMethodsService,
  CallbackIdempotency,
  EndedEnrolments,
  OtpTokenizationEvents,
  TokenizationOtpService,
  VirtualCardChangeService,
  MountedCallbacksLog,
  CallbackAnswers,
];
