export * from './otp-store.interface.js';
export * from './store-options.js';
export * from './store-unavailable.error.js';
export * from './memory-otp.store.js';
export * from './redis-otp.store.js';
export * from './redis-client.factory.js';
export type { RedisClient } from './redis-client-shape.js';
export * from './store.providers.js';
export * from './inject-otp-store.decorator.js';
