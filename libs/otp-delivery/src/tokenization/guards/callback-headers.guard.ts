import { Inject, Injectable, createParamDecorator, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import { TOKENIZATION_OPTIONS } from '../tokenization.constants.js';
import type { ResolvedTokenizationOptions } from '../tokenization-options.resolver.js';
import { CallbackValidationError } from '../errors/callback-validation.error.js';
import { CallerRefusedError } from '../errors/caller-refused.error.js';
import { classicCorrelationId, d1CorrelationId, single } from '../callback-headers.js';
import { callbackStateOf, recordedStateOf } from '../callback-request-state.js';
import type { RequestHeaders } from '../header-lines.js';

interface CallbackRequest extends RequestHeaders {
  readonly params?: Record<string, string>;
}

/**
 * Checks the issuer and the correlation id before the body is read, after caller authentication
 * (and is not replaced with it):
 * - issuer id exactly 10 characters (111 missing / 112 format) and equal to
 *   `tokenization.issuerId` (403). Classic calls carry it in `x-issuer-id`, D1 calls in the path;
 * - `x-correlation-id`: classic required, 1 to 64; D1 optional, `^[A-Za-z0-9_-]{1,64}$`.
 * Either header on two lines is a format error (112).
 */
@Injectable()
export class CallbackHeadersGuard implements CanActivate {
  /** The configured issuer id, made into bytes once: each request's is compared with it in constant time. */
  private readonly issuerId: Buffer;

  constructor(@Inject(TOKENIZATION_OPTIONS) options: ResolvedTokenizationOptions) {
    this.issuerId = Buffer.from(options.issuerId ?? '');
  }

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<CallbackRequest>();
    const d1 = request.params?.issuerId !== undefined;
    const field = d1 ? 'issuerId' : 'x-issuer-id';
    const value = d1 ? request.params!.issuerId : single(request, 'x-issuer-id');
    if (value === undefined || value === '') throw new CallbackValidationError(field, 'missing');
    if (value.length !== 10) throw new CallbackValidationError(field, 'format');
    const given = Buffer.from(value);
    if (given.length !== this.issuerId.length || !timingSafeEqual(given, this.issuerId)) {
      throw new CallerRefusedError(403, `${field} does not match this issuer`);
    }
    callbackStateOf(request).correlationId = d1 ? d1CorrelationId(request) : classicCorrelationId(request);
    return true;
  }
}

/** The `x-correlation-id` `CallbackHeadersGuard` validated on this request, if it ran and there was one. */
export function correlationIdOf(request: object): string | undefined {
  return recordedStateOf(request)?.correlationId;
}

/** The `x-correlation-id` validated by `CallbackHeadersGuard`. */
export const CorrelationId = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined => correlationIdOf(context.switchToHttp().getRequest<object>()),
);
