export { OtpEngine, type OtpCallOptions, type OtpChannelName, type OtpGenerated, type OtpGenerateRequest, type OtpRejectionReason, type OtpVerification } from './otp-engine.interface.js';
export { OtpEngineOptions, resolveOtpEngineOptions, type ResolvedOtpEngineOptions } from './otp-engine-options.js';
export { OtpValidationError } from './otp-validation.error.js';
export { LocalOtpEngine } from './local-otp.engine.js';
export { otpProviders } from './otp.providers.js';
