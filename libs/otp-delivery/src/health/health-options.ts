import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** Timeouts and caching of the health checks (`OtpDeliveryHealthIndicator`). */
export class HealthOptions {
  /**
   * Longest wait for one dependency check (CM.com, SMTP, store), in milliseconds; a slower
   * dependency is reported down with a timeout message.
   * @default 2000
   * @example 1000
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(60_000, { message: 'timeoutMs must be at most 60000' })
  timeoutMs?: number;

  /**
   * How long a check result is reused, in milliseconds, so frequent probes (Kubernetes, load
   * balancers, dashboards) do not become traffic to CM.com or the SMTP server. Concurrent probes
   * always share one in-flight check. A failed result is reused for a second at most. 0 re-checks on
   * every probe.
   * @default 10000
   * @example 30000
   */
  @IsOptional()
  @IsInt()
  @Min(0)
  cacheTtlMs?: number;
}

/** Health options with every default applied. */
export interface ResolvedHealthOptions {
  readonly timeoutMs: number;
  readonly cacheTtlMs: number;
}

/** Applies the health defaults. */
export function resolveHealthOptions(options: HealthOptions | undefined): ResolvedHealthOptions {
  return { timeoutMs: options?.timeoutMs ?? 2000, cacheTtlMs: options?.cacheTtlMs ?? 10_000 };
}
