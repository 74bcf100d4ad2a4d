import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { Gauge } from 'prom-client';
import { MANAGEMENT_OPTIONS, type ManagementOptions } from './management-options.js';

/** The gauge, 1 while a dependency answers, 0 while it does not; a dependency not in use has none. */
export const DEPENDENCY_UP_METRIC = 'otp_dependency_up';

/**
 * Checks CM.com, SMTP and the store in the background, every `dependencyCheckIntervalMs`, and
 * keeps `otp_dependency_up{dependency}` current, so alerts and dashboards see a provider outage
 * without any probe calling providers. Logs each change once (down with its scrubbed reason, up
 * again), not once per check. The checks share the library's timeout and cache with
 * `/health/dependencies`.
 */
@Injectable()
export class DependencyMonitor implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('DependencyMonitor');
  private readonly gauge: Gauge<'dependency'>;
  private readonly lastUp = new Map<string, boolean>();
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(@Inject(MANAGEMENT_OPTIONS) private readonly options: ManagementOptions) {
    const registry = options.registry;
    this.gauge =
      (registry.getSingleMetric(DEPENDENCY_UP_METRIC) as Gauge<'dependency'> | undefined) ??
      new Gauge({ name: DEPENDENCY_UP_METRIC, help: 'Whether a dependency answers its health check (1) or not (0), by dependency', labelNames: ['dependency'], registers: [registry] });
  }

  onApplicationBootstrap(): void {
    void this.checkNow();
    this.timer = setInterval(() => void this.checkNow(), this.options.dependencyCheckIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** Runs one round of checks (never two at once) and updates the gauges. */
  checkNow(): Promise<void> {
    if (this.options.shutdown.draining) return Promise.resolve();
    this.running ??= this.round().finally(() => (this.running = undefined));
    return this.running;
  }

  private async round(): Promise<void> {
    const health = this.options.health;
    const results = await Promise.all([health.checkCm(), health.checkSmtp(), health.checkStore()]);
    for (const result of results as HealthIndicatorResult[]) {
      for (const [dependency, outcome] of Object.entries(result)) this.record(dependency, outcome);
    }
  }

  private record(dependency: string, outcome: { status: string; skipped?: unknown; message?: unknown }): void {
    if (outcome.skipped === true) {
      this.gauge.remove({ dependency });
      return;
    }
    const up = outcome.status === 'up';
    this.gauge.set({ dependency }, up ? 1 : 0);
    const before = this.lastUp.get(dependency);
    this.lastUp.set(dependency, up);
    if (before === up || (before === undefined && up)) return;
    // The library's health messages are scrubbed of numbers, addresses and credentials.
    if (!up) this.logger.warn({ msg: 'dependency down', dependency, status: outcome.status, reason: typeof outcome.message === 'string' ? outcome.message : undefined });
    else this.logger.log({ msg: 'dependency up again', dependency });
  }
}
