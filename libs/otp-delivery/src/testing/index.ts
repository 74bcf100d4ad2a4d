/**
 * nestjs-otp-delivery/testing: what issuers use in their own tests and on a laptop with no
 * CM.com account: `OtpDeliveryTestingModule` (the module on a sandbox in one line), the CM.com
 * sandbox server and the email outbox.
 */
export { OtpDeliveryTestingModule } from './testing-module/otp-delivery-testing.module.js';
export { OTP_DELIVERY_TEST_DEFAULTS, type OtpDeliveryTestingModuleOptions } from './testing-module/otp-delivery-testing-options.js';
export { CmSandbox, type CmSandboxFault, type CmSandboxFaultState, type CmSandboxMessage, type CmSandboxOptions, type CmSandboxRequest } from './cm-sandbox/index.js';
export { EmailOutbox, type EmailOutboxOptions, type OutboxEmail } from './email-outbox/index.js';
