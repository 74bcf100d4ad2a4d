import { setTimeout as sleep } from 'node:timers/promises';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import { CallbackIdempotency } from './callback-idempotency.service.js';
import { resolveTokenizationOptions } from './tokenization-options.resolver.js';
import type { CallbackOutcome } from './callback-error-response.js';

const LEASE_MS = 150;
const OK: CallbackOutcome = { status: 200, body: {} };

describe('CallbackIdempotency', () => {
  const stores: MemoryOtpStore[] = [];
  const services: CallbackIdempotency[] = [];
  afterAll(() => {
    stores.forEach((store) => store.onApplicationShutdown());
    services.forEach((service) => service.onApplicationShutdown());
  });

  /** One "replica": its own service (its own lease keeper) on a shared store. */
  function replica(store: MemoryOtpStore, secret = 'a-secret-every-replica-shares-0001') {
    const options = { ...resolveTokenizationOptions({ methodIdSecret: secret }), idempotencyLeaseMs: LEASE_MS };
    const service = new CallbackIdempotency(store, options);
    services.push(service);
    return service;
  }
  const newStore = () => {
    const store = new MemoryOtpStore();
    stores.push(store);
    return store;
  };

  it('derives the same key on every replica sharing the secret, another key with another secret', () => {
    const store = newStore();
    const parts = ['classic', 'ISSUER0001', 'corr-1', 'card-1', 'method-1', '123456'];
    expect(replica(store).key('p:', parts)).toBe(replica(store).key('p:', parts));
    expect(replica(store).key('p:', parts)).not.toBe(replica(store, 'another-secret-of-another-issuer-01').key('p:', parts));
    expect(replica(store).key('p:', parts)).not.toContain('123456');
  });

  it('claims with a short lease, not the whole window, and stores the outcome for the window', async () => {
    const store = newStore();
    const service = replica(store);
    let seenDuringWork: string | null = null;
    await service.run('k', async () => {
      seenDuringWork = await store.get('k');
      return OK;
    });
    expect(seenDuringWork).toMatch(/^pending:/);
    expect(await store.get('k')).toBe(JSON.stringify(OK));
  });

  it("runs the work again once a crashed owner's lease ends, answering within the lease", async () => {
    const store = newStore();
    // Another replica claimed the key and died: its lease is never renewed.
    await store.setIfAbsent('k', 'pending:crashed-owner', LEASE_MS);
    let runs = 0;
    const started = Date.now();
    const outcome = await replica(store).run('k', async () => {
      runs += 1;
      return OK;
    });
    const elapsed = Date.now() - started;
    expect(outcome).toEqual({ ...OK, replayed: false });
    expect(runs).toBe(1);
    expect(elapsed).toBeGreaterThanOrEqual(LEASE_MS - 30);
    expect(elapsed).toBeLessThan(LEASE_MS + 500);
  });

  it('keeps a live owner\'s lease however long the work takes: a repeat never runs it twice', async () => {
    const store = newStore();
    const [owner, other] = [replica(store), replica(store)];
    let runs = 0;
    const slowWork = async () => {
      runs += 1;
      await sleep(LEASE_MS * 5);
      return OK;
    };
    const first = owner.run('k', slowWork);
    await sleep(20);
    // The repeat gives up after a lease and a margin (921, retryable): the owner still holds the key.
    expect(await other.run('k', slowWork)).toMatchObject({ status: 500, body: { responseCode: 921 }, replayed: true });
    expect(await first).toEqual({ ...OK, replayed: false });
    expect(await other.run('k', slowWork)).toEqual({ ...OK, replayed: true });
    expect(runs).toBe(1);
  });

  it('answers a concurrent repeat with the outcome once it is stored', async () => {
    const store = newStore();
    const [a, b] = [replica(store), replica(store)];
    let runs = 0;
    const work = async () => {
      runs += 1;
      await sleep(60);
      return OK;
    };
    const answers = await Promise.all([a.run('k', work), b.run('k', work), a.run('k', work)]);
    expect(answers.map((answer) => answer.replayed).sort()).toEqual([false, true, true]);
    expect(runs).toBe(1);
  });

  it('releases its own claim on an unexpected failure, so a retry runs again; never deletes another owner\'s claim', async () => {
    const store = newStore();
    const service = replica(store);
    await expect(service.run('k', async () => Promise.reject(new Error('resolver down')))).rejects.toThrow('resolver down');
    expect(await store.get('k')).toBeNull();
    expect(await service.run('k', async () => OK)).toEqual({ ...OK, replayed: false });

    // A claim that lapsed and was taken over by another replica is not deleted by the first owner.
    await store.set('j', 'pending:other-owner', 10_000);
    await expect(store.deleteIf('j', 'pending:first-owner')).resolves.toBe(false);
    expect(await store.get('j')).toBe('pending:other-owner');
  });
});
