export * from './otp-request-context.js';
export * from './log-redaction.js';
export * from './otp-logger.js';
export * from './log-throttle.js';
