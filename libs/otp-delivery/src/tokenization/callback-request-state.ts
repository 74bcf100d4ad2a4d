import type { OtpCallerIdentity } from './otp-caller-identity.js';

/**
 * What the callbacks' guards learn about a request, for the handler and for whatever answers it
 * later (the exception filter's context carries no handler when a guard or a pipe refused it).
 */
export interface CallbackRequestState {
  /** The callback the request reached (`@CallbackName`), or `other`. */
  callback?: string;
  /** The verified caller (`setCallerIdentity`). */
  caller?: OtpCallerIdentity;
  /** The `x-correlation-id` the headers guard validated. */
  correlationId?: string;
}

/**
 * Where the state lives on the request: one property under a registered symbol (two copies of the
 * library agree), added once. Three properties added one by one to Node's request object cost it
 * a bigger property store each time, on every request.
 */
const STATE = Symbol.for('nestjs-otp-delivery:request-state');

/** The request's state, created on first use. */
export function callbackStateOf(request: object): CallbackRequestState {
  const holder = request as { [STATE]?: CallbackRequestState };
  return (holder[STATE] ??= { callback: undefined, caller: undefined, correlationId: undefined });
}

/** The request's state if a guard recorded any, without creating it. */
export function recordedStateOf(request: object | undefined): CallbackRequestState | undefined {
  return (request as { [STATE]?: CallbackRequestState } | undefined)?.[STATE];
}
