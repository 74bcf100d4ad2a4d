import { Module } from '@nestjs/common';
import { Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The process's prom-client registry, with Node's default metrics (CPU, memory, event loop lag,
 * GC, handles): the library registers its metrics in it (`metrics.registry`) and the management
 * server's `/metrics` serves it whole, so one scrape gets everything.
 */
export function createMetricsRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Provides the registry (`Registry` is the token) to the OTP module's options factory. */
@Module({ providers: [{ provide: Registry, useFactory: createMetricsRegistry }], exports: [Registry] })
export class MetricsRegistryModule {}
