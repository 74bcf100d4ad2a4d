import type * as Swagger from '@nestjs/swagger';
import { requireOptionalPackage } from '../../common/optional-package.js';

/** The `@nestjs/swagger` exports the callback controllers and DTOs use. */
export type SwaggerExports = typeof Swagger;

/**
 * `@nestjs/swagger` when the app installed it (an optional peer), else `undefined`. Loaded once,
 * synchronously, when the callback controllers' decorators first need it.
 */
export function loadSwagger(): SwaggerExports | undefined {
  return requireOptionalPackage<SwaggerExports>('@nestjs/swagger', import.meta.url);
}
