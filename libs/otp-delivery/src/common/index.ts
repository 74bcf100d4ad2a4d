export * from './secret-value.js';
export * from './masking.js';
export * from './phone-number.js';
