import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_REPORT_SECRET_HEADER, TOKENIZATION_OPTIONS } from '../tokenization.constants.js';
import type { ResolvedTokenizationOptions } from '../tokenization-options.resolver.js';
import { CallerRefusedError } from '../errors/caller-refused.error.js';
import { markCallback } from '../callback-name.decorator.js';

/**
 * CM.com status reports carry no signature: the request must bring `tokenization.statusReportSecret`
 * in the `x-status-report-secret` header (compared in constant time), else 401.
 */
@Injectable()
export class StatusReportSecretGuard implements CanActivate {
  constructor(@Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions) {}

  canActivate(context: ExecutionContext): boolean {
    markCallback(context);
    const headers = context.switchToHttp().getRequest<{ headers: Record<string, string | string[] | undefined> }>().headers;
    const given = headers[STATUS_REPORT_SECRET_HEADER];
    const secret = this.options.statusReportSecret;
    // Hashing first makes both sides the same length, so the comparison time says nothing about the length.
    if (secret && typeof given === 'string' && timingSafeEqual(digest(given), digest(secret.reveal()))) return true;
    throw new CallerRefusedError(401, 'A valid status report secret is required');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
