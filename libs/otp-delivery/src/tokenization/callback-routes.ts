import type { DynamicModule } from '@nestjs/common';

/**
 * Path prefixes of the callback controllers, mounted with `RouterModule`. `false` switches a group off.
 */
export interface OtpCallbackRoutes {
  /**
   * Thales classic ("TSH issuer gateway") operations: `{classic}/sendOTP`, `{classic}/notifyVirtualCardChange`.
   * @default '/issuer/igwapi/v2.0'
   */
  classic?: string | false;
  /**
   * Prefix before D1's fixed paths (`/banking/d1/v1/issuers/...`).
   * @default ''
   */
  d1?: string | false;
  /**
   * CM.com status reports (delivery receipts) endpoint.
   * @default '/cm/status-reports'
   */
  statusReports?: string | false;
}

/**
 * The modules that carry the callback controllers, each importing the core module so its
 * controllers inject the same service instances.
 */
export function createCallbackModules(_core: DynamicModule, _routes: OtpCallbackRoutes | undefined): DynamicModule[] {
  return [];
}
