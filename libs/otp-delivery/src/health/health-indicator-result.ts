/** A dependency's state, as Terminus reads it: `down` fails the health check (503), `degraded` does not (200). */
export type OtpHealthStatus = 'up' | 'degraded' | 'down';

/**
 * One health indicator result in the shape Terminus 11+ reads (`{ [key]: { status, ...data } }`),
 * declared here so the module needs nothing from `@nestjs/terminus`: pass the checks to
 * `HealthCheckService.check()` as they are.
 * @example { cm: { status: 'up', responseTime: 42 } }
 */
export type OtpHealthIndicatorResult<Key extends string = string> = Record<Key, { status: OtpHealthStatus } & Record<string, unknown>>;

/** `{ [key]: { ...data, status } }`: the status last, as Terminus writes it. */
export function healthResult<Key extends string>(key: Key, status: OtpHealthStatus, data: Record<string, unknown> = {}): OtpHealthIndicatorResult<Key> {
  const { status: _ignored, ...rest } = data;
  return { [key]: { ...rest, status } } as OtpHealthIndicatorResult<Key>;
}
