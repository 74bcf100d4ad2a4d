import type { OtpDeliveryHealthIndicator } from 'nestjs-otp-delivery';
import type { Registry } from 'prom-client';
import type { SandboxConsoleOptions } from '../sandbox-console/index.js';
import type { ShutdownState } from '../shutdown.js';

/**
 * What the management app serves, as values taken from the callback app (`app.get(...)`): both
 * apps run in one process, and the management app only reads what the callback app owns.
 */
export interface ManagementOptions {
  /** The callback app's health indicator (its store, CM.com, SMTP). */
  readonly health: OtpDeliveryHealthIndicator;
  /** The registry `/metrics` serves: the library's metrics, the process's, the dependency gauges. */
  readonly registry: Registry;
  /** Readiness answers 503 once the shutdown started. */
  readonly shutdown: ShutdownState;
  /** How often the dependency gauges are refreshed, in milliseconds. */
  readonly dependencyCheckIntervalMs: number;
  /** The sandbox console's options, only while the embedded sandboxes run; unset, none of its routes exists. */
  readonly sandboxConsole?: SandboxConsoleOptions;
}

export const MANAGEMENT_OPTIONS = Symbol('MANAGEMENT_OPTIONS');
