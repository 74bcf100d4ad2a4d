import type { Provider } from '@nestjs/common';
import { OtpStore } from './otp-store.interface.js';
import { MemoryOtpStore } from './memory-otp.store.js';
import { RedisOtpStore } from './redis-otp.store.js';
import { createRedisClient } from './redis-client.factory.js';
import type { ResolvedStoreOptions } from './store-options.js';
import { STORE_OPTIONS } from './store.constants.js';
import { OtpMetrics } from '../metrics/otp-metrics.service.js';

/**
 * Builds the store the options ask for; ioredis is loaded only for `type: 'redis'`. Issuers
 * replace it entirely by adding `{ provide: OtpStore, useClass: MyStore }` to `extraProviders`
 * (extras are registered after the built-in providers, so theirs wins).
 */
export async function createOtpStore(store: ResolvedStoreOptions, metrics?: OtpMetrics): Promise<OtpStore> {
  if (store.type === 'memory') return new MemoryOtpStore({ maxEntries: store.maxEntries });
  const { client, owned } = await createRedisClient(store);
  return new RedisOtpStore(client, {
    keyPrefix: store.keyPrefix,
    ownsClient: owned,
    connectTimeoutMs: store.commandTimeoutMs,
    onUnavailable: (operation) => metrics?.recordStoreError(operation),
  });
}

/** The store providers registered by the core module. */
export const storeProviders: Provider[] = [
  { provide: OtpStore, useFactory: createOtpStore, inject: [STORE_OPTIONS, { token: OtpMetrics, optional: true }] },
];
