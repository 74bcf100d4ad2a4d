import { IsOptional, IsObject } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import type { OtpCallbackRoutes } from './callback-routes.js';

/** The callbacks the tokenization service (Thales classic and D1) calls on the issuer. */
export class TokenizationOptions {
  /**
   * Where the callback controllers are mounted (read by `forRoot`; `forRootAsync` takes `routes`
   * beside the factory because routes are fixed before the factory runs).
   * @default { classic: '/issuer/igwapi/v2.0', d1: '', statusReports: '/cm/status-reports' }
   * @example { classic: '/tsh/v2', d1: false }
   */
  @IsOptional()
  @IsObject()
  @KeepAsIs()
  routes?: OtpCallbackRoutes;
}
