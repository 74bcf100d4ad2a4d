import type { CallbackOutcome } from './callback-error-response.js';

/** The part of an Express response or Fastify reply that sets the status. */
export interface StatusSetter {
  status(code: number): unknown;
}

/** Sets a (possibly replayed) outcome's status and answers its body. */
export function applyStatus(res: StatusSetter, outcome: CallbackOutcome): unknown {
  res.status(outcome.status);
  return outcome.body;
}
