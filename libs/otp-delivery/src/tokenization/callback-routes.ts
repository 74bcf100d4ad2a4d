import { Module, type DynamicModule, type Provider, type Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import { resolveStoreOptions } from '../store/store-options.js';
import { CardholderContactResolver } from './cardholder-contact-resolver.interface.js';
import { TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { ClassicCallbacksController } from './classic-callbacks.controller.js';
import { D1CallbacksController } from './d1-callbacks.controller.js';
import { StatusReportsController } from './status-reports.controller.js';

/**
 * Path prefixes of the callback controllers, mounted with `RouterModule`. `false` switches a group
 * off; `undefined` (e.g. `process.env.X` when X is unset) keeps the default.
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

/** The default mount points. */
export const DEFAULT_CALLBACK_ROUTES = {
  classic: '/issuer/igwapi/v2.0',
  d1: '',
  statusReports: '/cm/status-reports',
} as const satisfies Required<OtpCallbackRoutes>;

/**
 * The routes with every default applied. Only `false` switches a group off: a group given as
 * `undefined` keeps its default, so `{ classic: process.env.CLASSIC_PREFIX }` with the variable
 * unset does not silently unmount the callbacks (a spread would let `undefined` win).
 */
export function resolveCallbackRoutes(routes: OtpCallbackRoutes | undefined): Required<OtpCallbackRoutes> {
  return {
    classic: routes?.classic ?? DEFAULT_CALLBACK_ROUTES.classic,
    d1: routes?.d1 ?? DEFAULT_CALLBACK_ROUTES.d1,
    statusReports: routes?.statusReports ?? DEFAULT_CALLBACK_ROUTES.statusReports,
  };
}

/** Carries the classic callbacks (`sendOTP`, `notifyVirtualCardChange`). */
@Module({})
export class ClassicCallbacksModule {}

/** Carries the D1 callbacks (Get Consumer Information, Deliver OTP). */
@Module({})
export class D1CallbacksModule {}

/** Carries the CM.com status-report endpoint. */
@Module({})
export class StatusReportsCallbacksModule {}

/**
 * The modules that carry the callback controllers, each importing the core module (the same
 * object, so Nest keeps one instance and the controllers inject the same services), and mounted
 * under its prefix with `RouterModule`. A group set to `false` is not registered at all (404).
 */
export function createCallbackModules(core: DynamicModule, routes: OtpCallbackRoutes | undefined): DynamicModule[] {
  const resolved = resolveCallbackRoutes(routes);
  const groups: { module: Type; path: string | false; controller: Type; check: Provider }[] = [
    { module: ClassicCallbacksModule, path: resolved.classic, controller: ClassicCallbacksController, check: callbackBootCheck('classic') },
    { module: D1CallbacksModule, path: resolved.d1, controller: D1CallbacksController, check: callbackBootCheck('d1') },
    { module: StatusReportsCallbacksModule, path: resolved.statusReports, controller: StatusReportsController, check: statusReportsBootCheck },
  ];
  return groups.flatMap((group) => {
    if (group.path === false) return [];
    const path = normalize(group.path);
    const mounted: DynamicModule = { module: group.module, imports: [core], controllers: [group.controller], providers: [group.check] };
    return path ? [mounted, RouterModule.register([{ path, module: group.module }])] : [mounted];
  });
}

function normalize(path: string): string {
  return path.replace(/^\/+|\/+$/g, '');
}

/** Refuses to boot a callback group that could only ever answer errors. */
function callbackBootCheck(group: 'classic' | 'd1'): Provider {
  return {
    provide: `OTP_${group.toUpperCase()}_CALLBACKS_READY`,
    useFactory: (options: ResolvedTokenizationOptions, moduleOptions: OtpDeliveryModuleOptions, resolver?: CardholderContactResolver) => {
      const problems: string[] = [];
      const route = `tokenization.routes.${group}`;
      if (!options.issuerId) problems.push(`tokenization.issuerId is required while ${route} is mounted (set it, or set ${route} to false)`);
      if (!resolver) problems.push(`a CardholderContactResolver provider (extraProviders) is required while ${route} is mounted`);
      if (options.methodIdSecretIsRandom && resolveStoreOptions(moduleOptions.store).type === 'redis') {
        // Replicas sharing Redis with keys of their own: a retry on another replica would not be
        // recognised (a second SMS) and its method ids would not map back (501).
        problems.push('tokenization.methodIdSecret is required with store.type redis: every replica must derive the same method-id and idempotency keys');
      }
      if (problems.length > 0) throw new OtpDeliveryConfigError(problems);
      return true;
    },
    inject: [TOKENIZATION_OPTIONS, OTP_DELIVERY_OPTIONS, { token: CardholderContactResolver, optional: true }],
  };
}

const statusReportsBootCheck: Provider = {
  provide: 'OTP_STATUS_REPORTS_CALLBACKS_READY',
  useFactory: (options: ResolvedTokenizationOptions) => {
    if (!options.statusReportSecret) {
      throw new OtpDeliveryConfigError([
        'tokenization.statusReportSecret is required while tokenization.routes.statusReports is mounted (set it, or set tokenization.routes.statusReports to false)',
      ]);
    }
    return true;
  },
  inject: [TOKENIZATION_OPTIONS],
};
