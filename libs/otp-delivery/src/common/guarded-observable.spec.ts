import { Logger, type LoggerService } from '@nestjs/common';
import { Subject, filter, firstValueFrom, map, toArray } from 'rxjs';
import { OtpLogger } from '../logging/otp-logger.js';
import { guardSubscribers } from './guarded-observable.js';

describe('guardSubscribers', () => {
  const errors: unknown[] = [];
  const sink: LoggerService = { log: () => undefined, warn: () => undefined, error: (message: unknown) => errors.push(message) };
  const subject = new Subject<number>();
  const stream = guardSubscribers(subject, new OtpLogger('Test'), 'Test.values$');

  beforeAll(() => Logger.overrideLogger(sink));
  afterAll(() => Logger.overrideLogger(false));
  beforeEach(() => (errors.length = 0));

  it('keeps rxjs semantics for well-behaved subscribers: operators, firstValueFrom, unsubscribe, complete', async () => {
    const seen: number[] = [];
    const subscription = stream.pipe(map((value) => value * 10)).subscribe((value) => seen.push(value));
    const evens = firstValueFrom(stream.pipe(filter((value) => value % 2 === 0), toArray()));
    subject.next(1);
    subscription.unsubscribe();
    subject.next(2);
    const local = new Subject<number>();
    let completed = false;
    guardSubscribers(local, new OtpLogger('Test'), 'Test.local$').subscribe({ complete: () => (completed = true) });
    local.complete();
    expect(seen).toEqual([10]);
    expect(completed).toBe(true);
    subject.complete();
    expect(await evens).toEqual([2]);
    expect(errors).toEqual([]);
  });

  it('hands an operator error to the subscriber’s own error handler, and logs it only when there is none', () => {
    const local = new Subject<number>();
    const guarded = guardSubscribers(local, new OtpLogger('Test'), 'Test.local$');
    const handled: unknown[] = [];
    const failing = map<number, number>(() => {
      throw new URIError('boom');
    });
    guarded.pipe(failing).subscribe({ error: (error) => handled.push(error) });
    guarded.pipe(failing).subscribe(() => undefined);
    local.next(1);
    expect(handled).toEqual([new URIError('boom')]);
    expect(errors).toEqual([expect.objectContaining({ stream: 'Test.local$', errorClass: 'URIError' })]);
    expect(JSON.stringify(errors)).not.toContain('boom');
  });

  it('calls an observer object’s handlers as its methods (`this` is the observer)', () => {
    const local = new Subject<number>();
    const observer = {
      values: [] as number[],
      next(value: number) {
        this.values.push(value);
      },
    };
    guardSubscribers(local, new OtpLogger('Test'), 'Test.local$').subscribe(observer);
    local.next(7);
    expect(observer.values).toEqual([7]);
  });
});
