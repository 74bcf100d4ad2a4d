import type { ConfigService } from '@nestjs/config';
import type { OtpDeliveryModuleOptions } from 'nestjs-otp-delivery';
import type { Environment } from './environment.js';

/** Maps the environment onto the module options (the README's environment table). */
export function buildOtpDeliveryOptions(config: ConfigService<Environment, true>): OtpDeliveryModuleOptions {
  return {
    cm: {
      productToken: config.get('CM_PRODUCT_TOKEN', { infer: true }),
      otpBaseUrl: config.get('CM_OTP_URL', { infer: true }),
      messagingBaseUrl: config.get('CM_MESSAGING_URL', { infer: true }),
      sender: config.get('CM_SENDER', { infer: true }),
    },
  };
}
