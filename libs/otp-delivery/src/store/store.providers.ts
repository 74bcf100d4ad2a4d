import type { Provider } from '@nestjs/common';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpStore } from './otp-store.interface.js';
import { MemoryOtpStore } from './memory-otp.store.js';
import { RedisOtpStore } from './redis-otp.store.js';
import { createRedisClient } from './redis-client.factory.js';
import { resolveStoreOptions } from './store-options.js';

/**
 * Builds the store the options ask for. Issuers replace it entirely by adding
 * `{ provide: OtpStore, useClass: MyStore }` to `extraProviders` (extras are registered after
 * the built-in providers, so theirs wins).
 */
export function createOtpStore(options: OtpDeliveryModuleOptions): OtpStore {
  const store = resolveStoreOptions(options.store);
  if (store.type === 'memory') return new MemoryOtpStore();
  const { client, owned } = createRedisClient(store);
  return new RedisOtpStore(client, { keyPrefix: store.keyPrefix, ownsClient: owned, connectTimeoutMs: store.commandTimeoutMs });
}

/** The store providers registered by the core module. */
export const storeProviders: Provider[] = [
  { provide: OtpStore, useFactory: createOtpStore, inject: [OTP_DELIVERY_OPTIONS] },
];
