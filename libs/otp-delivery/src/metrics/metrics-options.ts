import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';

/**
 * What the module needs of a prom-client `Registry`. Declared here rather than imported, so the
 * library's type declarations compile in apps without prom-client (an optional peer).
 */
export interface MetricsRegistry {
  readonly contentType: string;
  metrics(): Promise<string>;
  getSingleMetric(name: string): unknown;
}

/**
 * Optional Prometheus metrics (`OtpMetrics`). They need the `prom-client` package, an optional
 * peer dependency loaded only when `enabled` is true.
 */
export class MetricsOptions {
  /**
   * Collect metrics.
   * @default false
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  enabled?: boolean;

  /**
   * Prefix of every metric name.
   * @default 'otp_delivery_'
   * @example 'issuer_otp_'
   */
  @IsOptional()
  @IsString()
  @Matches(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: 'prefix must be a valid Prometheus metric name prefix' })
  prefix?: string;

  /**
   * The prom-client registry to register in, e.g. the app's (`register` from prom-client) so one
   * `/metrics` route serves everything.
   * @default a registry of the module's own
   * @example import { register } from 'prom-client'; ... registry: register
   */
  @IsOptional()
  @KeepAsIs()
  registry?: MetricsRegistry;
}

/** Metrics options with every default applied. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean;
  readonly prefix: string;
  readonly registry?: MetricsRegistry;
}

/** Applies the metrics defaults. */
export function resolveMetricsOptions(options: MetricsOptions | undefined): ResolvedMetricsOptions {
  return { enabled: options?.enabled ?? false, prefix: options?.prefix ?? 'otp_delivery_', registry: options?.registry };
}
