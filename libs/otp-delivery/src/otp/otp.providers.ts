import type { Provider } from '@nestjs/common';
import { CmOtpService } from '../cm/cm-otp.service.js';
import { OtpEngine } from './otp-engine.interface.js';
import type { ResolvedOtpEngineOptions } from './otp-engine-options.js';
import { OTP_ENGINE_OPTIONS } from './otp.constants.js';
import { LocalOtpEngine } from './local-otp.engine.js';

/** Picks the engine `otp.engine` names. Issuers replace it with `{ provide: OtpEngine, useClass: Mine }` in `extraProviders`. */
export function selectOtpEngine(options: ResolvedOtpEngineOptions, cm: CmOtpService, local: LocalOtpEngine): OtpEngine {
  return options.engine === 'local' ? local : cm;
}

/** The OTP engine providers registered by the core module. */
export const otpProviders: Provider[] = [
  LocalOtpEngine,
  { provide: OtpEngine, useFactory: selectOtpEngine, inject: [OTP_ENGINE_OPTIONS, CmOtpService, LocalOtpEngine] },
];
