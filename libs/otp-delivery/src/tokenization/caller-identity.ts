import { createParamDecorator, type ExecutionContext } from '@nestjs/common';

/**
 * Who called a tokenization callback, as the caller guard verified it. The per-caller send limit
 * is keyed by `id`, so every verified caller has a budget of its own.
 */
export interface OtpCallerIdentity {
  /**
   * Stable id of the verified caller: the SHA-256 fingerprint of its client certificate with the
   * built-in guard, or whatever a replacement guard (`OTP_CALLER_GUARD`) sets. Never personal data.
   */
  readonly id: string;
  /** The client certificate's subject, when known. */
  readonly subject?: string;
}

/** Where the guard leaves the identity on the request (a registered symbol: two copies of the library agree). */
const CALLER = Symbol.for('nestjs-otp-delivery:caller');

/** Records the verified caller on the request; a replacement caller guard calls it too. */
export function setCallerIdentity(request: object, identity: OtpCallerIdentity): void {
  (request as Record<symbol, unknown>)[CALLER] = identity;
}

/** The verified caller of a request, or undefined when no guard recorded one. */
export function callerIdentityOf(request: object): OtpCallerIdentity | undefined {
  return (request as Record<symbol, OtpCallerIdentity | undefined>)[CALLER];
}

/** The verified caller (`OtpCallerIdentity`) of the current callback request, or undefined. */
export const CallerIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OtpCallerIdentity | undefined => callerIdentityOf(context.switchToHttp().getRequest<object>()),
);
