import { SetMetadata, type ExecutionContext } from '@nestjs/common';

const CALLBACK_NAME = 'nestjs-otp-delivery:callback-name';
/** Where the first guard leaves the callback's name on the request (filters see no handler). */
const REQUEST_CALLBACK = Symbol.for('nestjs-otp-delivery:callback-name');

/** Names a callback handler for the metrics (`callback_answers_total{callback}`). */
export const CallbackName = (name: string): MethodDecorator => SetMetadata(CALLBACK_NAME, name);

/**
 * Records on the request the name of the callback it reached, for what answers it later: the
 * exception filter's context carries no handler when a guard or a pipe refused the request.
 */
export function markCallback(context: ExecutionContext): void {
  (context.switchToHttp().getRequest<Record<symbol, unknown>>())[REQUEST_CALLBACK] = nameOf(context.getHandler());
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
  const name = (request as Record<symbol, unknown> | undefined)?.[REQUEST_CALLBACK];
  return typeof name === 'string' ? name : 'other';
}
