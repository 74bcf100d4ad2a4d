import { hash, randomUUID } from 'node:crypto';
import { resolveOtpDeliveryOptions } from '../../libs/otp-delivery/src/options/resolve-options.js';
import type { LimitsOptions } from '../../libs/otp-delivery/src/limits/limits-options.js';
import { Test } from '@nestjs/testing';
import { Redis } from 'ioredis';
import { OtpDeliveryModule, OtpSendRefusedError, OtpStore } from 'nestjs-otp-delivery';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { RedisOtpStore } from '../../libs/otp-delivery/src/store/redis-otp.store.js';
import { failFastRedisOptions } from '../../libs/otp-delivery/src/store/redis-client.factory.js';
import { describeRedis } from '../support/redis.js';
import { freePort } from '../support/free-port.js';

const JP_MOBILE = '+819012345678';
/** What every replica of a deployment shares: the counters' names are keyed from it. */
const SHARED_SECRET = 'method-id-secret-shared-by-replicas-01';
/** Only the store and limits matter here: no callback controllers. */

describeRedis('OtpSendControls on a shared Redis', (redis) => {
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.quit()));
  });
  /** One "replica": its own Redis connection and its own controls, sharing the keyspace. */
  const replica = (prefix: string, limits: LimitsOptions, methodIdSecret = SHARED_SECRET) => {
    const client = new Redis(redis().url, failFastRedisOptions(1000));
    clients.push(client);
    const options = resolveOtpDeliveryOptions({ limits, tokenization: { methodIdSecret } });
    return new OtpSendControls(new RedisOtpStore(client, { keyPrefix: prefix }), options.limits, options.store);
  };

  it('lets exactly the per-card limit through across two replicas racing', async () => {
    const prefix = `test:${randomUUID()}:`;
    const limits = { perCard: { max: 10, windowSeconds: 60 } };
    const [a, b] = [replica(prefix, limits), replica(prefix, limits)];
    const outcomes = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        (i % 2 ? a : b).admit({ cardRef: 'card-1', destination: `+8190123450${String(i).padStart(2, '0')}`, channel: 'sms' }),
      ),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
    const refusals = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason as OtpSendRefusedError] : []));
    expect(refusals).toHaveLength(50);
    expect(refusals.every((error) => error instanceof OtpSendRefusedError && error.reason === 'rate-limited' && error.limit === 'card')).toBe(true);
  });

  it('stores only hashed keys with the window as TTL', async () => {
    const prefix = `test:${randomUUID()}:`;
    await replica(prefix, { perDestination: { max: 3, windowSeconds: 120 } }).admit({
      cardRef: 'DNITHE000000000000001',
      destination: 'Taro@Example.com',
      channel: 'email',
      clientId: 'tsp',
    });
    const raw = redis().client();
    const keys = await raw.keys(`${prefix}*`);
    expect(keys).toHaveLength(3);
    expect(keys.join(' ')).not.toMatch(/DNITHE|taro|example|tsp/i);
    const destinationKey = keys.find((key) => key.startsWith(`${prefix}rl:dest:`));
    expect(destinationKey).toMatch(new RegExp(`^${prefix}rl:dest:[A-Za-z0-9_-]{43}$`));
    expect(await raw.pttl(destinationKey!)).toBeGreaterThan(60_000);
    // Keyed digests: a plain SHA-256 of a phone number or an address is reversed by trying them all.
    const plain = ['DNITHE000000000000001', 'taro@example.com', 'tsp'].map((value) => hash('sha256', value, 'base64url'));
    expect(keys.some((key) => plain.some((digest) => key.endsWith(digest)))).toBe(false);
    // Another deployment's secret names other counters.
    const otherPrefix = `test:${randomUUID()}:`;
    await replica(otherPrefix, {}, 'another-deployments-method-id-secret-0').admit({ cardRef: 'DNITHE000000000000001', destination: 'Taro@Example.com', channel: 'email', clientId: 'tsp' });
    const otherNames = (await raw.keys(`${otherPrefix}*`)).map((key) => key.slice(otherPrefix.length));
    expect(otherNames).toHaveLength(3);
    expect(otherNames.some((name) => keys.includes(prefix + name))).toBe(false);
  });

  it('warns at boot when the counters in Redis are plain digests (no methodIdSecret), not when they are keyed', async () => {
    const warningsOf = async (tokenization: { methodIdSecret?: string }) => {
      const warnings: string[] = [];
      const moduleRef = await Test.createTestingModule({
        imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', redisUrl: redis().url, keyPrefix: `test:${randomUUID()}:` }, tokenization })],
      }).compile();
      moduleRef.useLogger({ log: () => undefined, error: () => undefined, warn: (message: unknown) => warnings.push(JSON.stringify(message)), debug: () => undefined, verbose: () => undefined });
      await moduleRef.init();
      await moduleRef.close();
      return warnings.filter((warning) => warning.includes('plain SHA-256'));
    };
    expect(await warningsOf({})).toHaveLength(1);
    expect(await warningsOf({ methodIdSecret: SHARED_SECRET })).toEqual([]);
  });

  it('is what the module wires when store.type is redis', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', redisUrl: redis().url, keyPrefix: `test:${randomUUID()}:` }, limits: { perCard: { max: 1, windowSeconds: 60 } } })],
    }).compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(OtpStore)).toBeInstanceOf(RedisOtpStore);
      const controls = moduleRef.get(OtpSendControls);
      await controls.admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' });
      await expect(controls.admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' })).rejects.toMatchObject({ reason: 'rate-limited' });
    } finally {
      await moduleRef.close();
    }
  });
});

describe('OtpSendControls when Redis is down', () => {
  let port: number;
  beforeAll(async () => {
    port = await freePort();
  });

  const moduleWith = async (failMode: 'closed' | 'open') => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', redisUrl: `redis://127.0.0.1:${port}`, failMode, commandTimeoutMs: 200 } })],
    }).compile();
    await moduleRef.init();
    return moduleRef;
  };

  it('refuses to send with failMode closed', async () => {
    const moduleRef = await moduleWith('closed');
    try {
      await expect(moduleRef.get(OtpSendControls).admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' })).rejects.toMatchObject({
        name: 'OtpSendRefusedError',
        reason: 'store-unavailable',
      });
    } finally {
      await moduleRef.close();
    }
  });

  it('sends unchecked with failMode open', async () => {
    const moduleRef = await moduleWith('open');
    try {
      await expect(moduleRef.get(OtpSendControls).admit({ cardRef: 'c', destination: JP_MOBILE, channel: 'sms' })).resolves.toMatchObject({ destination: JP_MOBILE });
    } finally {
      await moduleRef.close();
    }
  });
});
