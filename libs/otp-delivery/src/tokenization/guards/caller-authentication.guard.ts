import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OTP_CALLER_GUARD } from '../tokenization.constants.js';
import { markCallback } from '../callback-name.decorator.js';

/**
 * Runs whichever guard is registered under `OTP_CALLER_GUARD`, so the issuer replaces caller
 * authentication through DI without touching the controllers.
 */
@Injectable()
export class CallerAuthenticationGuard implements CanActivate {
  constructor(@Inject(OTP_CALLER_GUARD) private readonly callerGuard: CanActivate) {}

  canActivate(context: ExecutionContext) {
    // First of the callbacks' guards: whatever answers the request later knows which callback it was.
    markCallback(context);
    return this.callerGuard.canActivate(context);
  }
}
