/**
 * nestjs-otp-delivery/testing: what issuers use in their own tests and on a laptop with no
 * CM.com account: the CM.com sandbox server and the email outbox.
 */
export {};
export { CmSandbox, type CmSandboxFault, type CmSandboxFaultState, type CmSandboxMessage, type CmSandboxOptions, type CmSandboxRequest } from './cm-sandbox/index.js';
export { EmailOutbox, type EmailOutboxOptions, type OutboxEmail } from './email-outbox/index.js';
