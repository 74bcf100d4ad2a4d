export * from './health-options.js';
export type { OtpHealthIndicatorResult, OtpHealthStatus } from './health-indicator-result.js';
export * from './otp-delivery.health.js';
export * from './health.providers.js';
