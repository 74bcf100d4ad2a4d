import { SecretValue } from '../common/secret-value.js';
import { isPlainObject } from '../common/plain-object.js';
import { MAX_EXPIRES_IN_SECONDS } from './delivery.constants.js';
import type { CheckedDeliveryRequest, OtpDeliveryContext } from './otp-delivery-request.interface.js';

/** Why a request cannot be sent as given, whatever the channel: the field at fault, never its value. */
export interface RequestProblem {
  readonly reason: 'rejected' | 'invalid-destination';
  readonly detail: string;
}

/** Context fields a template or an event reads as text: any other type would crash the render mid-delivery. */
const CONTEXT_TEXTS = ['locale', 'panLastFour', 'walletProviderId', 'correlationId', 'enrolmentId'] as const satisfies readonly (keyof OtpDeliveryContext)[];
/** Request fields the limits count by (per card, per caller). */
const COUNTED_BY = ['cardRef', 'clientId'] as const satisfies readonly (keyof CheckedDeliveryRequest)[];
const NOT_A_DESTINATION = 'must be a phone number or an email address (a string)';

/**
 * What makes a request impossible to send as given, or undefined. Checked before any hop is
 * counted against the limits, so a caller's mistake costs the cardholder no send budget.
 * `fallbacks` are the channels the request may fall back to (their `destinations` are checked too).
 */
export function requestProblem(request: CheckedDeliveryRequest, fallbacks: readonly string[]): RequestProblem | undefined {
  if (!(request.code instanceof SecretValue) || request.code.length === 0) return rejected('code must be a non-empty SecretValue');
  if (!isDestination(request.destination)) return { reason: 'invalid-destination', detail: `destination ${NOT_A_DESTINATION}` };
  const { destinations, context } = request;
  // JSON's null, and a nullable column's, is an absent value here, as in the callback bodies.
  if (destinations != null) {
    if (!isPlainObject(destinations)) return rejected('destinations must be an object of channel name -> destination');
    for (const channel of fallbacks) {
      const given = Object.hasOwn(destinations, channel) ? destinations[channel] : undefined;
      if (given != null && typeof given !== 'string') return { reason: 'invalid-destination', detail: `destinations.${channel} ${NOT_A_DESTINATION}` };
    }
  }
  if (request.signal != null && !(request.signal instanceof AbortSignal)) return rejected('signal must be an AbortSignal');
  // The limits count by them: another type would fail the counting as an unexpected error.
  for (const field of COUNTED_BY) {
    if (request[field] != null && typeof request[field] !== 'string') return rejected(`${field} must be a string`);
  }
  if (context == null) return undefined;
  if (typeof context !== 'object' || context === null) return rejected('context must be an object');
  for (const field of CONTEXT_TEXTS) {
    if (context[field] != null && typeof context[field] !== 'string') return rejected(`context.${field} must be a string`);
  }
  const seconds = context.expiresInSeconds;
  // It is written into the message and CM's validity: `Infinity` or 1e12 would be promised to the cardholder.
  if (seconds != null && !(Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_EXPIRES_IN_SECONDS)) {
    return rejected(`context.expiresInSeconds must be a whole number of seconds from 1 to ${MAX_EXPIRES_IN_SECONDS}`);
  }
  const { extras } = context;
  if (extras != null && !(isPlainObject(extras) && Object.values(extras).every((value) => value == null || typeof value === 'string'))) {
    return rejected('context.extras must be an object of variable name -> string');
  }
  return undefined;
}

/** The text a request's destination masks to in an event, '' when it has none. */
export function destinationText(destination: unknown): string {
  if (!isDestination(destination)) return '';
  return typeof destination === 'string' ? destination : destination.destination;
}

/** A string, or the checked form the module hands on (`CheckedDestination`); vetted again either way. */
function isDestination(destination: unknown): destination is string | { destination: string } {
  if (typeof destination === 'string') return true;
  return typeof destination === 'object' && destination !== null && typeof (destination as { destination?: unknown }).destination === 'string';
}

function rejected(detail: string): RequestProblem {
  return { reason: 'rejected', detail };
}

/**
 * The request a delivery works with: a `null` (JSON's, a nullable column's) in its context, signal,
 * `cardRef` or `clientId` read as absent, as `requestProblem` reads it. The same object when it holds none, as nearly every
 * request does, so a send allocates nothing for it.
 */
export function withoutNulls<T extends CheckedDeliveryRequest>(request: T): T {
  const { context } = request;
  if (request.signal !== null && request.cardRef !== null && request.clientId !== null && context !== null && !hasNullField(context)) return request;
  const cleaned = context == null ? undefined : (Object.fromEntries(Object.entries(context).filter(([, value]) => value !== null)) as OtpDeliveryContext);
  return { ...request, signal: request.signal ?? undefined, cardRef: request.cardRef ?? undefined, clientId: request.clientId ?? undefined, context: cleaned };
}

function hasNullField(context: OtpDeliveryContext | undefined): boolean {
  if (context === undefined) return false;
  for (const key in context) if (context[key as keyof OtpDeliveryContext] === null) return true;
  return false;
}
