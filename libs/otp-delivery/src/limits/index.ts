export * from './limits-options.js';
export * from './otp-send-refused.error.js';
export * from './invalid-destination.error.js';
export * from './destination-kind.js';
export * from './otp-send-controls.service.js';
export * from './limits.providers.js';
