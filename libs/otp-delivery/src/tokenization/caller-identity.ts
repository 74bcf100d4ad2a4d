import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { callbackStateOf, recordedStateOf } from './callback-request-state.js';
import type { OtpCallerIdentity } from './otp-caller-identity.js';

export type { OtpCallerIdentity } from './otp-caller-identity.js';

/** Records the verified caller on the request; a replacement caller guard calls it too. */
export function setCallerIdentity(request: object, identity: OtpCallerIdentity): void {
  callbackStateOf(request).caller = identity;
}

/** The verified caller of a request, or undefined when no guard recorded one. */
export function callerIdentityOf(request: object): OtpCallerIdentity | undefined {
  return recordedStateOf(request)?.caller;
}

/** The verified caller (`OtpCallerIdentity`) of the current callback request, or undefined. */
export const CallerIdentity = createParamDecorator(
  (_data: unknown, context: ExecutionContext): OtpCallerIdentity | undefined => callerIdentityOf(context.switchToHttp().getRequest<object>()),
);
