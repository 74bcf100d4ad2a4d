export * from './health-options.js';
export * from './otp-delivery.health.js';
export * from './health.providers.js';
