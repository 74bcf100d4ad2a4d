import { IsBoolean, IsOptional, IsString, Matches } from 'class-validator';
import type { Registry } from 'prom-client';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';

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
  @Matches(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, { message: 'metrics.prefix must be a valid Prometheus metric name prefix' })
  prefix?: string;

  /**
   * The prom-client registry to register in, e.g. the app's (`register` from prom-client) so one
   * `/metrics` route serves everything.
   * @default a registry of the module's own
   * @example import { register } from 'prom-client'; ... registry: register
   */
  @IsOptional()
  @KeepAsIs()
  registry?: Registry;
}

/** Metrics options with every default applied. */
export interface ResolvedMetricsOptions {
  readonly enabled: boolean;
  readonly prefix: string;
  readonly registry?: Registry;
}

/** Applies the metrics defaults. */
export function resolveMetricsOptions(options: MetricsOptions | undefined): ResolvedMetricsOptions {
  return { enabled: options?.enabled ?? false, prefix: options?.prefix ?? 'otp_delivery_', registry: options?.registry };
}
