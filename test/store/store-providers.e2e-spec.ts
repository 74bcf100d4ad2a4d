import { Test } from '@nestjs/testing';
import { OtpDeliveryModule, OtpStore, type CounterLimit } from 'nestjs-otp-delivery';
import { MemoryOtpStore } from '../../libs/otp-delivery/src/store/memory-otp.store.js';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { resolveOtpDeliveryOptions } from '../../libs/otp-delivery/src/options/resolve-options.js';


/** An issuer's own store: here the in-memory one, recording what the module asks of it. */
class RecordingStore extends MemoryOtpStore {
  readonly consumed: string[] = [];
  override async consume(limits: readonly CounterLimit[]) {
    this.consumed.push(...limits.map((limit) => limit.key));
    return super.consume(limits);
  }
}

describe('OtpStore provider', () => {
  it('is the in-memory store by default', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({})] }).compile();
    try {
      expect(moduleRef.get(OtpStore)).toBeInstanceOf(MemoryOtpStore);
    } finally {
      await moduleRef.close();
    }
  });

  it('is the issuer’s own store when one is given in extraProviders, and the module uses it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ extraProviders: [{ provide: OtpStore, useClass: RecordingStore }] })],
    }).compile();
    try {
      const store = moduleRef.get<RecordingStore>(OtpStore);
      expect(store).toBeInstanceOf(RecordingStore);
      await moduleRef.get(OtpSendControls).admit({ cardRef: 'c', destination: '+819012345678', channel: 'sms' });
      expect(store.consumed).toHaveLength(3);
    } finally {
      await moduleRef.close();
    }
  });

  it('refuses a bad store option at boot, naming the key', async () => {
    await expect(
      Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({ store: { type: 'mongo' as 'redis', failMode: 'half' as 'open' } })] }).compile(),
    ).rejects.toThrow(/store\.type must be one of[\s\S]*store\.failMode must be one of/);
  });
});

describe('Ops options validation', () => {
  it('names every bad store, limits, health and metrics key once, by its full path', async () => {
    const attempt = Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRoot({
          store: { type: 'redis', redisUrl: 'http://redis:6379', commandTimeoutMs: 0 },
          limits: { perCard: { max: 0 }, allowedCountries: ['jp'], defaultRegion: 'Japan' },
          health: { timeoutMs: 120_000 },
          metrics: { prefix: '9bad' },
        }),
      ],
    }).compile();
    await expect(attempt).rejects.toMatchObject({
      problems: [
        'limits.perCard.max must not be less than 1',
        'limits.allowedCountries must hold ISO 3166 alpha-2 codes libphonenumber-js knows, such as JP',
        'limits.defaultRegion must be an ISO 3166 alpha-2 country code libphonenumber-js knows, such as JP',
        'store.redisUrl must start with redis:// or rediss://',
        'store.commandTimeoutMs must not be less than 1',
        'health.timeoutMs must be at most 60000',
        'metrics.prefix must be a valid Prometheus metric name prefix',
      ],
    });
  });
});

describe('store.cluster validation', () => {
  const boot = (store: Record<string, unknown>) => Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({ store: store as never })] }).compile();

  it('names every bad cluster key by its full path, never its value', async () => {
    const attempt = boot({
      type: 'redis',
      cluster: { nodes: ['http://:hunter2@redis-0:6379', { host: 'redis-1', port: 0 }], natMap: 'redis-0', redisOptions: 'password=hunter2' },
    });
    await expect(attempt).rejects.toMatchObject({
      problems: [
        'store.cluster.nodes must be a non-empty list of redis:// or rediss:// URLs or { host, port } objects',
        'store.cluster.natMap must be an object mapping host:port to { host, port }, or a function',
        'store.cluster.redisOptions must be a plain object of ioredis connection options',
      ],
    });
    await expect(attempt).rejects.not.toThrow(/hunter2/);
    await expect(boot({ type: 'redis', cluster: { nodes: [] } })).rejects.toMatchObject({
      problems: ['store.cluster.nodes must be a non-empty list of redis:// or rediss:// URLs or { host, port } objects'],
    });
  });

  it('refuses redisUrl and redis the memory store would ignore, as it refuses a cluster', async () => {
    await expect(boot({ redisUrl: 'redis://redis-0:6379' })).rejects.toMatchObject({
      problems: ["store.redisUrl is set but store.type is not 'redis': the store would stay in memory"],
    });
    await expect(boot({ type: 'memory', redis: { host: 'redis-0' } })).rejects.toMatchObject({
      problems: ["store.redis is set but store.type is not 'redis': the store would stay in memory"],
    });
  });

  it('refuses a cluster beside a redis client, and a cluster the memory store would ignore', async () => {
    await expect(boot({ cluster: { nodes: ['redis://redis-0:6379'] }, redis: { host: 'redis-0' } })).rejects.toMatchObject({
      problems: [
        'store.cluster and store.redis are both set: pass the Cluster client as store.redis, or the nodes as store.cluster',
        "store.cluster is set but store.type is not 'redis': the store would stay in memory",
        "store.redis is set but store.type is not 'redis': the store would stay in memory",
      ],
    });
  });

  it('bounds commandTimeoutMs: under a Node timer\'s range, under the delivery deadline and, with a sending callback mounted, a third of the idempotency lease', () => {
    const resolve = (options: Record<string, unknown>, callbacks?: unknown) =>
      resolveOtpDeliveryOptions({ tokenization: { issuerId: 'ISSUER0001', methodIdSecret: 'method-id-secret-for-tests-000000000' }, ...options }, { callbacks, contactResolver: true });
    const problems = (options: Record<string, unknown>, callbacks?: unknown) => {
      try {
        resolve(options, callbacks);
        return [];
      } catch (error) {
        return (error as { problems: string[] }).problems;
      }
    };
    // 2^31 ms once booted: Node warned TimeoutOverflowWarning and every command timed out at once.
    expect(problems({ store: { type: 'redis', commandTimeoutMs: 2 ** 31 } })).toContain('store.commandTimeoutMs must be at most 60000');
    // With a sending callback, the default deadline (5000 ms) and lease (7000 ms): at most 2333.
    expect(problems({ store: { type: 'redis', commandTimeoutMs: 3000 } }, { classic: true })).toEqual([
      expect.stringMatching(/^store\.commandTimeoutMs must be at most 2333 with delivery\.deadlineMs 5000: below the delivery deadline, and at most a third of the idempotency lease/),
    ]);
    // No callback holds a lease: only the deadline bounds it.
    expect(resolve({ store: { type: 'redis', commandTimeoutMs: 3000 } }).store.commandTimeoutMs).toBe(3000);
    expect(problems({ store: { type: 'redis', commandTimeoutMs: 5000 } })).toEqual([expect.stringMatching(/^store\.commandTimeoutMs must be at most 4999 with delivery\.deadlineMs 5000: below the delivery deadline$/)]);
    // Left unset, the default (500) is lowered to fit a short deadline instead of stopping the boot.
    expect(resolve({ store: { type: 'redis' }, delivery: { deadlineMs: 400 } }, { classic: true }).store.commandTimeoutMs).toBe(399);
    expect(problems({ store: { type: 'redis', commandTimeoutMs: 500 }, delivery: { deadlineMs: 400 } })).toEqual([expect.stringMatching(/^store\.commandTimeoutMs must be at most 399 with delivery\.deadlineMs 400/)]);
  });
});
