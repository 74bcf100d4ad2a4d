import { closest } from '../options/closest-name.js';

/**
 * Which tokenization callbacks the module mounts, and where (`RouterModule` prefixes). Nothing is
 * mounted unless asked for: `true` mounts a group at its default path, a string at that prefix;
 * `false` or unset leaves it out (404). Given beside the options, for `forRoot` and `forRootAsync`
 * alike, because routes are fixed before an options factory runs. The module logs at boot what it
 * mounted.
 *
 * @example { classic: true, d1: true, statusReports: '/webhooks/cm' }
 */
export interface OtpCallbackRoutes {
  /**
   * Thales classic ("TSH issuer gateway") operations: `{classic}/sendOTP`, `{classic}/notifyVirtualCardChange`.
   * `true` mounts them under `/issuer/igwapi/v2.0`.
   * @default false (not mounted)
   * @example true
   */
  classic?: boolean | string;
  /**
   * D1 calls on the issuer (Get Consumer Information, Deliver OTP): D1's fixed paths
   * (`/banking/d1/v1/issuers/...`), after an optional prefix. `true` mounts them with no prefix.
   * @default false (not mounted)
   * @example '/d1'
   */
  d1?: boolean | string;
  /**
   * CM.com status reports (delivery receipts). `true` mounts the endpoint at `/cm/status-reports`.
   * @default false (not mounted)
   * @example true
   */
  statusReports?: boolean | string;
}

/** The default mount points of `true`. */
export const DEFAULT_CALLBACK_ROUTES = {
  classic: '/issuer/igwapi/v2.0',
  d1: '',
  statusReports: '/cm/status-reports',
} as const;

/** The mounted groups and their prefixes (normalised: no leading or trailing slash); absent: not mounted. */
export interface ResolvedCallbackRoutes {
  readonly classic?: string;
  readonly d1?: string;
  readonly statusReports?: string;
}

const GROUPS = ['classic', 'd1', 'statusReports'] as const;

/** Checks the `callbacks` given beside the options; answers the mounted routes and the problems found. */
export function resolveCallbackRoutes(routes: unknown): { routes: ResolvedCallbackRoutes; problems: string[] } {
  const problems: string[] = [];
  const resolved: { -readonly [K in keyof ResolvedCallbackRoutes]: string } = {};
  if (routes !== undefined && (routes === null || typeof routes !== 'object' || Array.isArray(routes))) {
    return { routes: resolved, problems: ['callbacks must be an object such as { classic: true, d1: true, statusReports: true }'] };
  }
  for (const key of Object.keys(routes ?? {})) {
    if (!(GROUPS as readonly string[]).includes(key)) problems.push(`callbacks.${key} is not a callback group (${GROUPS.join(', ')})${suggest(key)}`);
  }
  for (const group of GROUPS) {
    const value = (routes as Record<string, unknown> | undefined)?.[group];
    if (value === undefined || value === false) continue;
    if (value === true) resolved[group] = normalize(DEFAULT_CALLBACK_ROUTES[group]);
    else if (typeof value === 'string' && /^[A-Za-z0-9/._~-]*$/.test(value)) resolved[group] = normalize(value);
    else problems.push(`callbacks.${group} must be true, false or a path prefix such as /issuer/igwapi/v2.0`);
  }
  return { routes: resolved, problems };
}

function suggest(key: string): string {
  const near = closest(key, GROUPS);
  return near ? ` (did you mean ${near}?)` : '';
}

/** Path prefixes the mounted callbacks answer under (`/` for a group mounted at the root). */
export function callbackPathPrefixes(routes: ResolvedCallbackRoutes): string[] {
  const prefixes: string[] = [];
  if (routes.classic !== undefined) prefixes.push(`/${routes.classic}`);
  if (routes.d1 !== undefined) prefixes.push(`${routes.d1 ? `/${routes.d1}` : ''}/banking/d1/`);
  if (routes.statusReports !== undefined) prefixes.push(`/${routes.statusReports}`);
  return prefixes;
}

function normalize(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}
