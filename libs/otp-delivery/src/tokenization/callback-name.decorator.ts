import { SetMetadata, type ExecutionContext } from '@nestjs/common';
import { callbackStateOf, recordedStateOf } from './callback-request-state.js';

const CALLBACK_NAME = 'nestjs-otp-delivery:callback-name';

/** Names a callback handler for the metrics (`callback_answers_total{callback}`). */
export const CallbackName = (name: string): MethodDecorator => SetMetadata(CALLBACK_NAME, name);

/**
 * Records on the request the name of the callback it reached, for what answers it later: the
 * exception filter's context carries no handler when a guard or a pipe refused the request.
 */
export function markCallback(context: ExecutionContext): void {
  callbackStateOf(context.switchToHttp().getRequest<object>()).callback = nameOf(context.getHandler());
}

/** Handlers' names, read from their metadata once (a metadata lookup per request costs more than the rest of the guard). */
const handlerNames = new WeakMap<object, string>();

function nameOf(handler: object): string {
  let name = handlerNames.get(handler);
  if (name === undefined) {
    const declared: unknown = Reflect.getMetadata(CALLBACK_NAME, handler);
    name = typeof declared === 'string' ? declared : 'other';
    handlerNames.set(handler, name);
  }
  return name;
}

/** The callback a request reached (`markCallback`), or `other`. */
export function callbackOf(request: object | undefined): string {
  return recordedStateOf(request)?.callback ?? 'other';
}
