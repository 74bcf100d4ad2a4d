import { IsBoolean, IsOptional, IsString, Matches, ValidateBy } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';

/**
 * What the module needs of a prom-client `Registry`. Declared here rather than imported, so the
 * library's type declarations compile in apps without prom-client (an optional peer).
 */
export interface MetricsRegistry {
  /** The `Content-Type` of the text `metrics()` answers, for a `/metrics` route. */
  readonly contentType: string;
  /** Every metric of the registry in the text exposition format. */
  metrics(): Promise<string>;
  /** The metric registered under `name`, so a second module instance reuses it instead of failing. */
  getSingleMetric(name: string): unknown;
  /** Called by prom-client when a metric is created with `registers: [registry]`. */
  registerMetric(metric: object): void;
}

/**
 * Whether `value` has what the module calls on a prom-client `Registry`, checked by shape (not
 * `instanceof`): another copy of prom-client makes registries of another class. Anything else
 * (`'junk'`, `{}`) used to boot and fail in a TypeError when the metrics were created.
 */
function isMetricsRegistry(value: unknown): value is MetricsRegistry {
  if (typeof value !== 'object' || value === null) return false;
  const registry = value as Partial<Record<keyof MetricsRegistry, unknown>>;
  return (
    typeof registry.contentType === 'string' &&
    typeof registry.metrics === 'function' &&
    typeof registry.getSingleMetric === 'function' &&
    typeof registry.registerMetric === 'function'
  );
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
  @ValidateBy(
    { name: 'isMetricsRegistry', validator: { validate: isMetricsRegistry } },
    { message: 'registry must be a prom-client Registry (contentType, metrics(), getSingleMetric(), registerMetric())' },
  )
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
