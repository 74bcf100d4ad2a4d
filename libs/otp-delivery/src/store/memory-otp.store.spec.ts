import { jest } from '@jest/globals';
import { MemoryOtpStore } from './memory-otp.store.js';
import { StoreUnavailableError } from './store-unavailable.error.js';

async function fullError(promise: Promise<unknown>): Promise<StoreUnavailableError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(StoreUnavailableError);
  expect((error as StoreUnavailableError).full).toBe(true);
  return error as StoreUnavailableError;
}

describe('MemoryOtpStore: bounded by maxEntries', () => {
  let now = 1_000_000;
  let store: MemoryOtpStore;
  beforeEach(() => {
    jest.spyOn(Date, 'now').mockImplementation(() => now);
    store = new MemoryOtpStore({ maxEntries: 100 });
  });
  afterEach(() => {
    store.onApplicationShutdown();
    jest.restoreAllMocks();
  });

  it('holds a million entries by default and refuses a cap that is not a positive integer', () => {
    expect(new MemoryOtpStore().maxEntries).toBe(1_000_000);
    expect(() => new MemoryOtpStore({ maxEntries: 0 })).toThrow(RangeError);
    expect(() => new MemoryOtpStore({ maxEntries: 1.5 })).toThrow(RangeError);
  });

  it('never grows past the cap: many idempotency keys, then every new one is refused as full, none evicted', async () => {
    for (let i = 0; i < 100; i++) expect(await store.setIfAbsent(`tok:sr:ref${i}:delivered`, '1', 600_000)).toBe(true);
    for (let i = 100; i < 1_000; i++) {
      const error = await fullError(store.setIfAbsent(`tok:sr:ref${i}:delivered`, '1', 600_000));
      expect(error).toMatchObject({ operation: 'setIfAbsent', sent: false });
      expect(error.message).toBe('OTP store full during setIfAbsent');
    }
    expect(store.size).toBe(100);
    // Every unexpired key still holds: a repeat is still recognised as one.
    for (let i = 0; i < 100; i++) expect(await store.setIfAbsent(`tok:sr:ref${i}:delivered`, '1', 600_000)).toBe(false);
    await expect(store.ping()).rejects.toMatchObject({ full: true });
  });

  it('at the cap, still writes to keys it holds (a counter, an outcome, a lease), and frees room by deleting', async () => {
    await store.set('claim', 'pending:x', 7_000);
    await store.increment('counter', 60_000);
    for (let i = 0; i < 98; i++) await store.set(`k${i}`, 'v', 600_000);
    await expect(store.set('claim', '{"status":200}', 600_000)).resolves.toBeUndefined();
    expect(await store.increment('counter', 60_000)).toBe(2);
    expect(await store.renew('claim', '{"status":200}', 600_000)).toBe(true);
    await fullError(store.set('new', 'v', 1_000));
    await fullError(store.increment('new-counter', 1_000));
    expect(await store.take('k0')).toBe('v');
    expect(await store.setIfAbsent('new', 'v', 1_000)).toBe(true);
    expect(store.size).toBe(100);
  });

  it('sweeps expired entries first when full, then takes the write', async () => {
    for (let i = 0; i < 50; i++) await store.set(`short${i}`, 'v', 1_000);
    for (let i = 0; i < 50; i++) await store.set(`long${i}`, 'v', 600_000);
    await fullError(store.setIfAbsent('next', 'v', 1_000));
    now += 1_000;
    expect(await store.setIfAbsent('next', 'v', 600_000)).toBe(true);
    expect(store.size).toBe(51);
    for (let i = 0; i < 50; i++) expect(await store.get(`long${i}`)).toBe('v');
  });

  it('refuses a counter it has no room for, all or nothing, and never resets one to make room', async () => {
    const limits = (key: string) => [
      { key: 'rl:client:a', limit: 1_000, windowMs: 60_000 },
      { key, limit: 2, windowMs: 3_600_000 },
    ];
    expect(await store.consume(limits('rl:dest:0'))).toEqual({ allowed: true });
    for (let i = 0; i < 98; i++) await store.set(`k${i}`, 'v', 600_000);
    const error = await fullError(store.consume(limits('rl:dest:new')));
    expect(error.operation).toBe('consume');
    // Nothing counted by the refused consume: the shared counter did not move.
    expect(await store.get('rl:client:a')).toBe('1');
    expect(await store.get('rl:dest:new')).toBeNull();
    // Counters held are still counted, and their limit still refuses (a refusal, not "full").
    expect(await store.consume(limits('rl:dest:0'))).toEqual({ allowed: true });
    expect(await store.consume(limits('rl:dest:0'))).toMatchObject({ allowed: false, exceededKey: 'rl:dest:0' });
    expect(store.size).toBe(100);
  });

  it('refuses a claim with its counters when they do not all fit, writing none of them', async () => {
    for (let i = 0; i < 98; i++) await store.set(`k${i}`, 'v', 600_000);
    await fullError(store.claimAndConsume('tok:send:a', 'pending:1', 7_000, [{ key: 'rl:card:a', limit: 5, windowMs: 60_000 }, { key: 'rl:dest:a', limit: 5, windowMs: 60_000 }]));
    expect(await store.get('tok:send:a')).toBeNull();
    expect(await store.get('rl:card:a')).toBeNull();
    expect(await store.claimAndConsume('tok:send:a', 'pending:1', 7_000, [{ key: 'rl:card:a', limit: 5, windowMs: 60_000 }])).toEqual({ allowed: true });
    expect(store.size).toBe(100);
  });

  it('sweeps for room only when something may have expired', async () => {
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, 'v', 600_000);
    const sweep = jest.spyOn(store, 'sweepInSlices');
    for (let i = 0; i < 50; i++) await fullError(store.setIfAbsent(`n${i}`, 'v', 1_000));
    // Nothing can have expired yet: no sweep at all.
    expect(sweep).not.toHaveBeenCalled();
    now += 600_000;
    expect(await store.setIfAbsent('n0', 'v', 1_000)).toBe(true);
    expect(sweep).toHaveBeenCalledTimes(1);
  });

  it('a full store whose sweeps free nothing starts one at most once a second, whatever the refused writes', async () => {
    // Entries renewed after they were written: the store's earliest expiry is the first one's, long past.
    for (let i = 0; i < 100; i++) await store.set(`k${i}`, 'v', 1_000);
    for (let i = 0; i < 100; i++) await store.renew(`k${i}`, 'v', 600_000);
    now += 2_000;
    // The sweep itself does nothing here, so the stale bound stays stale: what is checked is when a
    // full store starts one, whatever a sweep would then find.
    const sweep = jest.spyOn(store, 'sweepInSlices').mockImplementation(() => undefined);
    for (let i = 0; i < 20; i++) await fullError(store.setIfAbsent(`n${i}`, 'v', 1_000));
    expect(sweep).toHaveBeenCalledTimes(1);
    now += 999;
    await fullError(store.setIfAbsent('n-late', 'v', 1_000));
    expect(sweep).toHaveBeenCalledTimes(1);
    now += 1;
    await fullError(store.setIfAbsent('n-later', 'v', 1_000));
    expect(sweep).toHaveBeenCalledTimes(2);
    expect(store.size).toBe(100);
  });
});
