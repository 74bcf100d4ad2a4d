import type { Provider } from '@nestjs/common';
import { RAW_OTP_DELIVERY_OPTIONS } from '../otp-delivery.module-definition.js';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import { OtpDeliveryModuleOptions } from './otp-delivery-module-options.js';
import { validateOptions } from './validate-options.js';

/** Validates the raw options once, when the module is created; a bad key stops the boot. */
export const resolvedOptionsProvider: Provider = {
  provide: OTP_DELIVERY_OPTIONS,
  useFactory: (raw: unknown) => validateOptions(OtpDeliveryModuleOptions, raw),
  inject: [RAW_OTP_DELIVERY_OPTIONS],
};
