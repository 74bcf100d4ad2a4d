import type { Provider } from '@nestjs/common';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { CmOtpService } from '../cm/cm-otp.service.js';
import { OtpEngine } from './otp-engine.interface.js';
import { resolveOtpEngineOptions } from './otp-engine-options.js';
import { LocalOtpEngine } from './local-otp.engine.js';

/** Picks the engine `otp.engine` names. Issuers replace it with `{ provide: OtpEngine, useClass: Mine }` in `extraProviders`. */
export function selectOtpEngine(options: OtpDeliveryModuleOptions, cm: CmOtpService, local: LocalOtpEngine): OtpEngine {
  return resolveOtpEngineOptions(options.otp).engine === 'local' ? local : cm;
}

/** The OTP engine providers registered by the core module. */
export const otpProviders: Provider[] = [
  LocalOtpEngine,
  { provide: OtpEngine, useFactory: selectOtpEngine, inject: [OTP_DELIVERY_OPTIONS, CmOtpService, LocalOtpEngine] },
];
