import { Observable, Subscriber, type Observer, type Operator, type Subscription, type TeardownLogic } from 'rxjs';
import type { OtpLogger } from '../logging/otp-logger.js';

/**
 * `source` for subscribers who cannot hurt anyone else. rxjs rethrows an error from a subscriber's
 * `next` on a timer, as an uncaught exception that ends a Node process: one buggy audit subscriber
 * would take the issuer's app down. Here such an error (from `next`, `error`, `complete`, or from an
 * operator the subscriber piped when it gave no `error` handler) is logged by its class name only (its
 * message may hold the personal data the subscriber was handling) and goes no further: the other
 * subscribers, and the thrower itself, still receive later values.
 *
 * @param stream named in the log line, e.g. `OtpDeliveryEvents.events$`.
 */
export function guardSubscribers<T>(source: Observable<T>, logger: OtpLogger, stream: string): Observable<T> {
  const onSubscriberError = (error: unknown) =>
    logger.error('An event subscriber threw; the other subscribers and later events are unaffected', { stream, errorClass: errorClass(error) });
  return new GuardedObservable<T>(onSubscriberError, (subscriber) => source.subscribe(subscriber));
}

class GuardedObservable<T> extends Observable<T> {
  constructor(
    private readonly onSubscriberError: (error: unknown) => void,
    subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic,
  ) {
    super(subscribe);
  }

  /** rxjs operators derive their observable through `lift`: a piped stream stays guarded. */
  override lift<R>(operator?: Operator<T, R>): Observable<R> {
    const derived = new GuardedObservable<R>(this.onSubscriberError);
    derived.source = this;
    derived.operator = operator;
    return derived;
  }

  override subscribe(
    observerOrNext?: Partial<Observer<T>> | ((value: T) => void) | null,
    error?: ((error: unknown) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    // A Subscriber is rxjs's own (an operator's, `firstValueFrom`'s): it already routes its errors.
    if (observerOrNext instanceof Subscriber) return super.subscribe(observerOrNext);
    const observer: Partial<Observer<T>> =
      typeof observerOrNext === 'function' || !observerOrNext
        ? { next: observerOrNext ?? undefined, error: error ?? undefined, complete: complete ?? undefined }
        : observerOrNext;
    return super.subscribe({
      next: (value) => this.#guard(() => observer.next?.(value)),
      error: (cause) => (observer.error ? this.#guard(() => observer.error?.(cause)) : this.onSubscriberError(cause)),
      complete: () => this.#guard(() => observer.complete?.()),
    });
  }

  #guard(deliver: () => void): void {
    try {
      deliver();
    } catch (error) {
      this.onSubscriberError(error);
    }
  }
}

function errorClass(error: unknown): string {
  if (error instanceof Error) return error.constructor.name;
  return error === null ? 'null' : typeof error;
}
