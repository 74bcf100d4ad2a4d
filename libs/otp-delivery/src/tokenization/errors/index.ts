export * from './callback-validation.error.js';
export * from './unknown-otp-method.error.js';
export * from './unknown-cardholder.error.js';
export * from './caller-refused.error.js';
export * from './no-contact-for-channel.error.js';
export * from './expired-otp.error.js';
export * from './enrolment-ended.error.js';
