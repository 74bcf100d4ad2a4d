import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import {
  MemoryOtpStore,
  RedisOtpStore,
  StoreUnavailableError,
  failFastRedisOptions,
  type OtpStore,
} from '../../libs/otp-delivery/src/store/index.js';
import { describeRedis } from '../support/redis.js';
import { startHungRedisServer } from '../support/redis-hung-server.js';
import { freePort } from '../support/free-port.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every `OtpStore` must have. Runs against the in-memory store and against a real
 * Redis, so the two can never drift apart.
 */
function otpStoreContract(makeStore: () => OtpStore) {
  let store: OtpStore;
  beforeEach(() => {
    store = makeStore();
  });

  it('stores, reads, replaces and deletes values', async () => {
    expect(await store.get('k')).toBeNull();
    await store.set('k', 'one', 10_000);
    expect(await store.get('k')).toBe('one');
    await store.set('k', 'two', 10_000);
    expect(await store.get('k')).toBe('two');
    expect(await store.delete('k')).toBe(true);
    expect(await store.delete('k')).toBe(false);
    expect(await store.get('k')).toBeNull();
  });

  it('expires values after their TTL', async () => {
    await store.set('short', 'v', 40);
    await store.set('long', 'v', 10_000);
    await sleep(120);
    expect(await store.get('short')).toBeNull();
    expect(await store.get('long')).toBe('v');
    expect(await store.take('short')).toBeNull();
  });

  it('setIfAbsent stores once, and again after expiry', async () => {
    expect(await store.setIfAbsent('idem', 'first', 60)).toBe(true);
    expect(await store.setIfAbsent('idem', 'second', 60)).toBe(false);
    expect(await store.get('idem')).toBe('first');
    await sleep(150);
    expect(await store.setIfAbsent('idem', 'third', 10_000)).toBe(true);
    expect(await store.get('idem')).toBe('third');
  });

  it('setIfAbsent lets exactly one of 50 concurrent callers win', async () => {
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => store.setIfAbsent('race', `caller-${i}`, 10_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(await store.get('race')).toBe(`caller-${winner}`);
  });

  it('renew extends a lease only while it holds the owner\'s value', async () => {
    await store.set('lease', 'owner-a', 80);
    expect(await store.renew('lease', 'owner-b', 10_000)).toBe(false);
    expect(await store.renew('lease', 'owner-a', 10_000)).toBe(true);
    await sleep(150);
    expect(await store.get('lease')).toBe('owner-a');
    expect(await store.renew('absent', 'owner-a', 10_000)).toBe(false);
    expect(await store.get('absent')).toBeNull();
  });

  it('renew cannot bring back a lease that expired', async () => {
    await store.set('expired-lease', 'owner-a', 40);
    await sleep(120);
    expect(await store.renew('expired-lease', 'owner-a', 10_000)).toBe(false);
    expect(await store.get('expired-lease')).toBeNull();
  });

  it('deleteIf deletes only the owner\'s value', async () => {
    await store.set('held', 'owner-a', 10_000);
    expect(await store.deleteIf('held', 'owner-b')).toBe(false);
    expect(await store.get('held')).toBe('owner-a');
    expect(await store.deleteIf('held', 'owner-a')).toBe(true);
    expect(await store.get('held')).toBeNull();
    expect(await store.deleteIf('held', 'owner-a')).toBe(false);
  });

  it('take answers a value once (single use), even to concurrent callers', async () => {
    await store.set('session', 'payload', 10_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => store.take('session')));
    expect(results.filter((value) => value === 'payload')).toHaveLength(1);
    expect(results.filter((value) => value === null)).toHaveLength(19);
    expect(await store.get('session')).toBeNull();
  });

  it('increment counts from 1 and restarts after the window', async () => {
    expect(await store.increment('attempts', 80)).toBe(1);
    expect(await store.increment('attempts', 80)).toBe(2);
    expect(await store.increment('attempts', 80)).toBe(3);
    await sleep(200);
    expect(await store.increment('attempts', 80)).toBe(1);
  });

  it('consume increments every counter while all are under their limit', async () => {
    const limits = [
      { key: 'card', limit: 3, windowMs: 10_000 },
      { key: 'dest', limit: 2, windowMs: 10_000 },
    ];
    expect(await store.consume(limits)).toEqual({ allowed: true });
    expect(await store.consume(limits)).toEqual({ allowed: true });
    const refused = await store.consume(limits);
    expect(refused.allowed).toBe(false);
    expect(refused.exceededKey).toBe('dest');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(10_000);
    // Nothing was incremented by the refused call: `card` still has one unit left.
    expect(await store.consume([{ key: 'card', limit: 3, windowMs: 10_000 }])).toEqual({ allowed: true });
    expect((await store.consume([{ key: 'card', limit: 3, windowMs: 10_000 }])).exceededKey).toBe('card');
  });

  it('consume lets exactly 10 of 50 concurrent callers through a limit of 10', async () => {
    const limits = [
      { key: 'burst:card', limit: 10, windowMs: 10_000 },
      { key: 'burst:client', limit: 1000, windowMs: 10_000 },
    ];
    const results = await Promise.all(Array.from({ length: 50 }, () => store.consume(limits)));
    expect(results.filter((result) => result.allowed)).toHaveLength(10);
    expect(results.filter((result) => result.exceededKey === 'burst:card')).toHaveLength(40);
    // The refused calls did not touch the other counter: exactly 10 hits were counted there.
    expect(await store.increment('burst:client', 10_000)).toBe(11);
  });

  it('consume opens the window again once it expires', async () => {
    const limits = [{ key: 'window', limit: 1, windowMs: 60 }];
    expect((await store.consume(limits)).allowed).toBe(true);
    expect((await store.consume(limits)).allowed).toBe(false);
    await sleep(200);
    expect((await store.consume(limits)).allowed).toBe(true);
  });

  it('ping resolves while the store is up', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
}

describe('MemoryOtpStore', () => {
  const stores: MemoryOtpStore[] = [];
  afterAll(() => stores.forEach((store) => store.onApplicationShutdown()));
  otpStoreContract(() => {
    const store = new MemoryOtpStore();
    stores.push(store);
    return store;
  });

  it('sweeps expired entries it is never asked about again', async () => {
    const store = new MemoryOtpStore();
    stores.push(store);
    await store.set('a', '1', 10);
    await store.set('b', '1', 10_000);
    await sleep(50);
    store.sweep();
    expect(store.size).toBe(1);
  });
});

describeRedis('RedisOtpStore', (redis) => {
  let client: Redis;
  beforeAll(() => {
    client = new Redis(redis().url, failFastRedisOptions(1000));
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    await client.quit();
  });

  otpStoreContract(() => new RedisOtpStore(client, { keyPrefix: `test:${randomUUID()}:` }));

  it('namespaces every key with the prefix and sets millisecond TTLs', async () => {
    const prefix = `test:${randomUUID()}:`;
    const store = new RedisOtpStore(client, { keyPrefix: prefix });
    await store.set('idem:abc', 'v', 5_000);
    await store.consume([{ key: 'rl:card:x', limit: 5, windowMs: 7_000 }]);
    const raw = redis().client();
    expect((await raw.keys(`${prefix}*`)).sort()).toEqual([`${prefix}idem:abc`, `${prefix}rl:card:x`]);
    const ttl = await raw.pttl(`${prefix}rl:card:x`);
    expect(ttl).toBeGreaterThan(5_000);
    expect(ttl).toBeLessThanOrEqual(7_000);
  });

  it('creates, uses and quits its own client when it owns it', async () => {
    const owned = new Redis(redis().url, failFastRedisOptions(1000));
    const store = new RedisOtpStore(owned, { ownsClient: true });
    await store.ping();
    const ended = new Promise((resolve) => owned.once('end', resolve));
    await store.onApplicationShutdown();
    await ended;
    expect(owned.status).toBe('end');
  });
});

describe('RedisOtpStore when Redis is unreachable', () => {
  it('fails with StoreUnavailableError when nothing listens on the port', async () => {
    const port = await freePort();
    const client = new Redis(`redis://127.0.0.1:${port}`, failFastRedisOptions(300));
    client.on('error', () => undefined);
    const store = new RedisOtpStore(client, { ownsClient: true, connectTimeoutMs: 300 });
    try {
      const attempt = store.consume([{ key: 'card', limit: 1, windowMs: 1000 }]);
      await expect(attempt).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(attempt).rejects.toThrow('OTP store unavailable during consume');
      // Later calls, made while the client reconnects in the background, fail at once too.
      await expect(store.setIfAbsent('k', 'v', 1000)).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      client.disconnect();
    }
  });

  it('fails with StoreUnavailableError when Redis accepts the connection but never answers', async () => {
    const hung = await startHungRedisServer();
    const client = new Redis(`redis://127.0.0.1:${hung.port}`, failFastRedisOptions(200));
    client.on('error', () => undefined);
    const store = new RedisOtpStore(client, { ownsClient: true, connectTimeoutMs: 200 });
    try {
      await expect(store.get('k')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.take('k')).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      client.disconnect();
      await hung.close();
    }
  });
});
