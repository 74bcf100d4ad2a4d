export * from './metrics-options.js';
export * from './otp-metrics.service.js';
export * from './metrics.providers.js';
