import { randomUUID } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import {
  MemoryOtpStore,
  RedisOtpStore,
  StoreUnavailableError,
  failFastClusterOptions,
  failFastRedisOptions,
  type CounterLimit,
  type OtpStore,
} from '../../libs/otp-delivery/src/store/index.js';
import { describeRedis } from '../support/redis.js';
import { describeRedisCluster } from '../support/redis-cluster.js';
import { startHungRedisServer } from '../support/redis-hung-server.js';
import { freePort } from '../support/free-port.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The behaviour every `OtpStore` must have. Runs against the in-memory store, a real Redis and a
 * real 3-master Redis Cluster, so they can never drift apart.
 */
function otpStoreContract(makeStore: () => OtpStore, { abandonRefunds = true }: { abandonRefunds?: boolean } = {}) {
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

  it('never lets a counter past its limit and counts exactly the allowed calls, under contention on two counters each', async () => {
    // 4 cards x 5 destinations, every pair 10 times, both limits binding: refusals come from
    // either counter, so a store taking units one counter at a time must give back the other's.
    const card = (i: number): CounterLimit => ({ key: `mesh:card:${i % 4}`, limit: 8, windowMs: 10_000 });
    const destination = (i: number): CounterLimit => ({ key: `mesh:dest:${i % 5}`, limit: 6, windowMs: 10_000 });
    const calls = Array.from({ length: 200 }, (_, i) => [card(i), destination(i)]);
    const results = await Promise.all(calls.map((limits) => store.consume(limits)));

    const allowedPerKey = new Map<string, number>();
    results.forEach((result, i) => {
      if (result.allowed) for (const { key } of calls[i]!) allowedPerKey.set(key, (allowedPerKey.get(key) ?? 0) + 1);
    });
    const refusedBy = (prefix: string) => results.filter((result) => result.exceededKey?.startsWith(prefix)).length;
    expect(refusedBy('mesh:card:')).toBeGreaterThan(0);
    expect(refusedBy('mesh:dest:')).toBeGreaterThan(0);
    expect(refusedBy('mesh:') + results.filter((result) => result.allowed).length).toBe(200);
    for (const { key, limit } of [0, 1, 2, 3, 4].flatMap((i) => [card(i), destination(i)])) {
      const counted = Number((await store.get(key)) ?? 0);
      // What the counter holds is what went through: no refused call left a unit behind.
      expect({ key, counted }).toEqual({ key, counted: allowedPerKey.get(key) ?? 0 });
      expect(counted).toBeLessThanOrEqual(limit);
    }
  });

  it('consume opens the window again once it expires', async () => {
    const limits = [{ key: 'window', limit: 1, windowMs: 60 }];
    expect((await store.consume(limits)).allowed).toBe(true);
    expect((await store.consume(limits)).allowed).toBe(false);
    await sleep(200);
    expect((await store.consume(limits)).allowed).toBe(true);
  });

  it('claimAndConsume claims and counts in one step; a claimed key counts nothing', async () => {
    const limits = [
      { key: 'fused:card', limit: 2, windowMs: 10_000 },
      { key: 'fused:dest', limit: 10, windowMs: 10_000 },
    ];
    expect(await store.claimAndConsume!('fused:claim:1', 'pending:a', 10_000, limits)).toEqual({ allowed: true });
    expect(await store.get('fused:claim:1')).toBe('pending:a');
    // The same key again: nothing stored, nothing counted.
    expect(await store.claimAndConsume!('fused:claim:1', 'pending:b', 10_000, limits)).toBeNull();
    expect(await store.get('fused:claim:1')).toBe('pending:a');
    expect(await store.get('fused:card')).toBe('1');
    expect(await store.claimAndConsume!('fused:claim:2', 'pending:c', 10_000, limits)).toEqual({ allowed: true });
    // At the limit: the claim is stored (its refusal becomes the stored outcome), no counter moves.
    const refused = await store.claimAndConsume!('fused:claim:3', 'pending:d', 10_000, limits);
    expect(refused).toMatchObject({ allowed: false, exceededKey: 'fused:card' });
    expect(refused!.retryAfterMs).toBeGreaterThan(9_000);
    expect(await store.get('fused:claim:3')).toMatch(/^pending:d/);
    expect([await store.get('fused:card'), await store.get('fused:dest')]).toEqual(['2', '2']);
  });

  it(`abandonClaim undoes a claimAndConsume whose answer was lost: the claim${abandonRefunds ? ' and its units' : ''}, never another's`, async () => {
    const limits = [
      { key: 'undo:card', limit: 1, windowMs: 10_000 },
      { key: 'undo:dest', limit: 10, windowMs: 10_000 },
    ];
    expect(await store.claimAndConsume!('undo:claim:1', 'pending:a', 10_000, limits)).toEqual({ allowed: true });
    // Refused (the card is at its limit): the claim stands, nothing was counted, so nothing comes back.
    expect(await store.claimAndConsume!('undo:claim:2', 'pending:b', 10_000, limits)).toMatchObject({ allowed: false, exceededKey: 'undo:card' });
    await store.abandonClaim!('undo:claim:2', 'pending:b', 10_000, limits);
    expect(await store.get('undo:claim:2')).toBeNull();
    expect([await store.get('undo:card'), await store.get('undo:dest')]).toEqual(['1', '1']);
    // Another request's token, or an outcome that replaced the claim, is left alone.
    await store.abandonClaim!('undo:claim:1', 'pending:other', 10_000, limits);
    expect(await store.get('undo:claim:1')).toBe('pending:a');
    await store.abandonClaim!('undo:claim:1', 'pending:a', 10_000, limits);
    expect(await store.get('undo:claim:1')).toBeNull();
    // Back at zero, a counter is gone: its next hit starts a window, as if the send had never counted.
    expect([await store.get('undo:card'), await store.get('undo:dest')]).toEqual(abandonRefunds ? [null, null] : ['1', '1']);
    await store.set('undo:claim:3', '{"status":200,"body":{}}', 10_000);
    await store.abandonClaim!('undo:claim:3', 'pending:c', 10_000, limits);
    expect(await store.get('undo:claim:3')).toBe('{"status":200,"body":{}}');
  });

  it('abandonClaim gives nothing back to a window that began after the claim', async () => {
    const limits = [{ key: 'undo:window', limit: 3, windowMs: 200 }];
    expect(await store.claimAndConsume!('undo:late', 'pending:late', 10_000, limits)).toEqual({ allowed: true });
    // The claim's window ends while its undo is retried; another send opens the next one.
    await sleep(300);
    expect(await store.consume(limits)).toEqual({ allowed: true });
    await store.abandonClaim!('undo:late', 'pending:late', 10_000, limits);
    expect(await store.get('undo:late')).toBeNull();
    expect(await store.get('undo:window')).toBe('1');
  });

  it('claimAndConsumeUnless claims and counts while the mark is absent; a held mark refuses the claimed key, counting nothing', async () => {
    const limits = [
      { key: 'unless:card', limit: 5, windowMs: 10_000 },
      { key: 'unless:dest', limit: 5, windowMs: 10_000 },
    ];
    expect(await store.claimAndConsumeUnless!('unless:claim:1', 'pending:a', 10_000, limits, 'unless:mark')).toEqual({ allowed: true });
    expect([await store.get('unless:card'), await store.get('unless:dest')]).toEqual(['1', '1']);
    await store.set('unless:mark', '1', 5_000);
    // A claimed key is a repeat: answered as one (null), whatever the mark.
    expect(await store.claimAndConsumeUnless!('unless:claim:1', 'pending:b', 10_000, limits, 'unless:mark')).toBeNull();
    const refused = await store.claimAndConsumeUnless!('unless:claim:2', 'pending:c', 10_000, limits, 'unless:mark');
    expect(refused).toMatchObject({ allowed: false, exceededKey: 'unless:mark' });
    expect(refused!.retryAfterMs).toBeGreaterThan(4_000);
    expect(refused!.retryAfterMs).toBeLessThanOrEqual(5_000);
    // The claim stands (its refusal becomes the stored outcome), no counter moved, and its undo gives nothing back.
    expect(await store.get('unless:claim:2')).toMatch(/^pending:c/);
    expect([await store.get('unless:card'), await store.get('unless:dest')]).toEqual(['1', '1']);
    await store.abandonClaim!('unless:claim:2', 'pending:c', 10_000, limits);
    expect(await store.get('unless:claim:2')).toBeNull();
    expect([await store.get('unless:card'), await store.get('unless:dest')]).toEqual(['1', '1']);
    // Another mark is no concern of this claim.
    expect(await store.claimAndConsumeUnless!('unless:claim:3', 'pending:d', 10_000, limits, 'unless:other-mark')).toEqual({ allowed: true });
    // The limits still refuse as claimAndConsume's do.
    const full = [{ key: 'unless:card', limit: 2, windowMs: 10_000 }];
    expect(await store.claimAndConsumeUnless!('unless:claim:4', 'pending:e', 10_000, full, 'unless:other-mark')).toMatchObject({ allowed: false, exceededKey: 'unless:card' });
  });

  it('claimAndConsume lets one of 20 concurrent claims of a key count, and exactly the limit across keys', async () => {
    const limits = [{ key: 'fused:burst', limit: 5, windowMs: 10_000 }];
    const sameKey = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimAndConsume!('fused:same', `pending:${i}`, 10_000, limits)));
    expect(sameKey.filter((result) => result !== null)).toEqual([{ allowed: true }]);
    const distinct = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimAndConsume!(`fused:key:${i}`, 'pending', 10_000, limits)));
    expect(distinct.filter((result) => result?.allowed)).toHaveLength(4);
    expect(await store.get('fused:burst')).toBe('5');
  });

  it('refuses a TTL that is no number, and writes nothing for it (an entry that never expires)', async () => {
    await expect(store.increment('ttl:nan', Number.NaN)).rejects.toThrow(RangeError);
    await expect(store.set('ttl:inf', 'v', Number.POSITIVE_INFINITY)).rejects.toThrow(RangeError);
    await expect(store.setIfAbsent('ttl:nan2', 'v', Number.NaN)).rejects.toThrow(RangeError);
    expect([await store.get('ttl:nan'), await store.get('ttl:inf'), await store.get('ttl:nan2')]).toEqual([null, null, null]);
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

  it("sweeps a large store in slices on the timer, never holding the event loop for the whole of it", async () => {
    const store = new MemoryOtpStore();
    stores.push(store);
    for (let index = 0; index < 10_000; index += 1) await store.set(`expired-${index}`, '1', 5);
    for (let index = 0; index < 100; index += 1) await store.set(`live-${index}`, '1', 60_000);
    await sleep(20);
    store.sweepInSlices();
    // One slice ran synchronously: 2,000 entries looked at, the rest left to later turns.
    expect(store.size).toBe(10_100 - 2_000);
    store.sweepInSlices(); // a sweep under way goes on rather than starting over
    for (let turn = 0; turn < 10 && store.size > 100; turn += 1) await new Promise((resolve) => setImmediate(resolve));
    expect(store.size).toBe(100);
    expect(await store.get('live-99')).toBe('1');
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

/** Records the namespaced keys of every multi-counter consume, to check which slots they hash to. */
class SlotRecordingStore extends RedisOtpStore {
  constructor(
    client: Cluster,
    private readonly namespace: string,
    private readonly seen: string[][],
  ) {
    super(client, { keyPrefix: namespace });
  }

  override async consume(limits: readonly CounterLimit[]) {
    if (limits.length > 1) this.seen.push(limits.map((limit) => this.namespace + limit.key));
    return super.consume(limits);
  }
}

describeRedisCluster('RedisOtpStore on a Redis Cluster', (cluster) => {
  let client: Cluster;
  const multiCounterKeys: string[][] = [];
  let stores = 0;
  beforeAll(() => {
    client = new Cluster([...cluster().nodes], failFastClusterOptions(1000));
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    await client.quit();
  });

  // A fixed prefix per store (the cluster is new for every run), so every run hashes the same keys to the same slots.
  // On a cluster a failed `consume` gives back what it can itself: `abandonClaim` takes the claim only.
  otpStoreContract(() => new SlotRecordingStore(client, `contract-${(stores += 1)}:`, multiCounterKeys), { abandonRefunds: false });

  it('ran every multi-counter consume above over keys in different hash slots, which one script cannot span (CROSSSLOT)', async () => {
    expect(multiCounterKeys.length).toBeGreaterThan(200);
    const distinct = [...new Map(multiCounterKeys.map((keys) => [keys.join(' '), keys])).values()];
    for (const keys of distinct) {
      const slots = await Promise.all(keys.map((key) => cluster().keySlot(key)));
      expect({ keys, distinctSlots: new Set(slots).size }).toEqual({ keys, distinctSlots: keys.length });
    }
    // What the single-node path would have sent: one script over all the counters.
    await expect(client.eval("return redis.call('GET', KEYS[1])", 2, ...distinct[0]!)).rejects.toThrow(/CROSSSLOT/);
  });

  it('gives a refused attempt\'s unit back only in the window it was taken in', async () => {
    const scripted = client as Cluster & {
      otpTakeUnit(key: string, limit: number, windowMs: number): Promise<[number, number]>;
      otpRefundUnit(key: string, windowEnd: number): Promise<number>;
    };
    const key = `refund-window:${randomUUID()}`;
    const [taken, oldWindowEnd] = await scripted.otpTakeUnit(key, 5, 50);
    expect(taken).toBe(1);
    await sleep(120);
    // The old window ended; a new one began with one unit taken by someone else.
    expect((await scripted.otpTakeUnit(key, 5, 10_000))[0]).toBe(1);
    expect(await scripted.otpRefundUnit(key, oldWindowEnd)).toBe(0);
    expect(await client.get(key)).toBe('1');
    // In its own window the refund applies, and a counter back at zero is gone (the next hit starts a window).
    const [, windowEnd] = await scripted.otpTakeUnit(`${key}:own`, 5, 10_000);
    expect(await scripted.otpRefundUnit(`${key}:own`, windowEnd)).toBe(1);
    expect(await client.exists(`${key}:own`)).toBe(0);
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
