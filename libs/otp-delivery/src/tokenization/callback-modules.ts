import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { RouterModule } from '@nestjs/core';
import { ClassicCallbacksController } from './classic-callbacks.controller.js';
import { D1CallbacksController } from './d1-callbacks.controller.js';
import { StatusReportsController } from './status-reports.controller.js';
import type { ResolvedCallbackRoutes } from './callback-routes.js';

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
 * under its prefix with `RouterModule`. A group that is not mounted is not registered at all (404).
 * The boot check of what a mounted group needs (issuer id, resolver, secrets) runs with the other
 * option checks (`resolveOtpDeliveryOptions`).
 */
export function createCallbackModules(core: DynamicModule, routes: ResolvedCallbackRoutes): DynamicModule[] {
  const groups: { module: Type; path?: string; controller: Type }[] = [
    { module: ClassicCallbacksModule, path: routes.classic, controller: ClassicCallbacksController },
    { module: D1CallbacksModule, path: routes.d1, controller: D1CallbacksController },
    { module: StatusReportsCallbacksModule, path: routes.statusReports, controller: StatusReportsController },
  ];
  return groups.flatMap((group) => {
    if (group.path === undefined) return [];
    const mounted: DynamicModule = { module: group.module, imports: [core], controllers: [group.controller] };
    return group.path ? [mounted, RouterModule.register([{ path: group.path, module: group.module }])] : [mounted];
  });
}
