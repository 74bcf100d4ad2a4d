import { InvalidDestinationError } from './invalid-destination.error.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import type { OtpStore } from '../store/otp-store.interface.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { OtpSendControls } from './otp-send-controls.service.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';
import { OtpSendRefusedError } from './otp-send-refused.error.js';

const JP_MOBILE = '+819012345678';

/** A store whose every call fails as Redis does when down (the real error type, no Redis needed). */
class UnavailableStore extends MemoryOtpStore {
  override async consume(): Promise<never> {
    throw new StoreUnavailableError('consume');
  }
}

async function refusal(promise: Promise<unknown>): Promise<OtpSendRefusedError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof OtpSendRefusedError) return error;
    throw error;
  }
  throw new Error('expected the send to be refused');
}

describe('OtpSendControls', () => {
  const stores: MemoryOtpStore[] = [];
  afterAll(() => stores.forEach((store) => store.onApplicationShutdown()));
  const controls = (options: OtpDeliveryModuleOptions = {}, store: OtpStore = new MemoryOtpStore()) => {
    if (store instanceof MemoryOtpStore) stores.push(store);
    const resolved = resolveOtpDeliveryOptions(options);
    return new OtpSendControls(store, resolved.limits, resolved.store);
  };

  it('allows five sends per card by default, then refuses with the time left', async () => {
    const subject = controls();
    for (let i = 0; i < 5; i++) {
      await subject.admit({ cardRef: 'card-1', destination: `+8190123456${70 + i}`, channel: 'sms' });
    }
    const refused = await refusal(subject.admit({ cardRef: 'card-1', destination: '+819012345699', channel: 'sms' }));
    expect(refused.reason).toBe('rate-limited');
    expect(refused.limit).toBe('card');
    expect(refused.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(3_600_000);
    // Another card is unaffected.
    await expect(subject.admit({ cardRef: 'card-2', destination: JP_MOBILE, channel: 'sms' })).resolves.toMatchObject({ destination: JP_MOBILE });
  });

  it('counts a destination however it is written', async () => {
    const subject = controls({ limits: { perDestination: { max: 2, windowSeconds: 60 } }, cm: { defaultRegion: 'JP' } });
    await subject.admit({ cardRef: 'a', destination: '+81 90-1234-5678', channel: 'sms' });
    await subject.admit({ cardRef: 'b', destination: '090-1234-5678', channel: 'sms' });
    const refused = await refusal(subject.admit({ cardRef: 'c', destination: '0081 90 1234 5678', channel: 'sms' }));
    expect(refused.limit).toBe('destination');
  });

  it('counts an email destination case-insensitively', async () => {
    const subject = controls({ limits: { perDestination: { max: 1, windowSeconds: 60 } } });
    await subject.admit({ cardRef: 'a', destination: 'Taro.Yamada@Example.com', channel: 'email' });
    const refused = await refusal(subject.admit({ cardRef: 'b', destination: 'taro.yamada@example.com', channel: 'email' }));
    expect(refused.limit).toBe('destination');
    expect(refused.message).toBe('OTP send refused: rate-limited (per destination)');
  });

  it('limits each caller, and callers without an id share one budget', async () => {
    const subject = controls({ limits: { perClient: { max: 2, windowSeconds: 60 } } });
    await subject.admit({ cardRef: 'a', destination: '+819012345601', channel: 'sms', clientId: 'tsp' });
    await subject.admit({ cardRef: 'b', destination: '+819012345602', channel: 'sms', clientId: 'tsp' });
    expect((await refusal(subject.admit({ cardRef: 'c', destination: '+819012345603', channel: 'sms', clientId: 'tsp' }))).limit).toBe('client');
    await subject.admit({ cardRef: 'd', destination: '+819012345604', channel: 'sms', clientId: 'app' });
    await subject.admit({ cardRef: 'e', destination: '+819012345605', channel: 'sms' });
    await subject.admit({ cardRef: 'f', destination: '+819012345606', channel: 'sms' });
    expect((await refusal(subject.admit({ cardRef: 'g', destination: '+819012345607', channel: 'sms' }))).limit).toBe('client');
  });

  it('does not count a refused attempt against the other limits', async () => {
    const store = new MemoryOtpStore();
    const subject = controls({ limits: { perCard: { max: 1, windowSeconds: 60 }, perDestination: { max: 2, windowSeconds: 60 } } }, store);
    await subject.admit({ cardRef: 'a', destination: JP_MOBILE, channel: 'sms' });
    await refusal(subject.admit({ cardRef: 'a', destination: JP_MOBILE, channel: 'sms' }));
    // The destination saw one counted send, so another card may still use it once.
    await expect(subject.admit({ cardRef: 'b', destination: JP_MOBILE, channel: 'sms' })).resolves.toMatchObject({ destination: JP_MOBILE });
  });

  it('lets exactly the limit through when 50 sends race for one card', async () => {
    const subject = controls({ limits: { perCard: { max: 10, windowSeconds: 60 } } });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) => subject.admit({ cardRef: 'raced', destination: `+8190123450${String(i).padStart(2, '0')}`, channel: 'sms' })),
    );
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(10);
  });

  it('takes a parsed destination as it is only when it parsed it: a hand-made one is parsed from its text', async () => {
    const subject = controls();
    const parsed = subject.parse('phone', JP_MOBILE);
    expect(subject.vet('phone', parsed)).toBe(parsed);
    // A JP mobile's parsed form glued to a premium-rate number must not pass as vetted.
    const forged = { ...parsed, destination: '+449098765432', counted: '+449098765432' };
    expect((await refusal(subject.admit({ cardRef: 'a', destination: forged, channel: 'sms' }))).reason).toBe('premium-rate');
  });

  it('refuses premium-rate numbers, and allows them only when told to', async () => {
    expect((await refusal(controls().admit({ cardRef: 'a', destination: '+449098765432', channel: 'sms' }))).reason).toBe('premium-rate');
    const lenient = controls({ limits: { blockPremiumRate: false, requireMobile: false } });
    await expect(lenient.admit({ cardRef: 'a', destination: '+449098765432', channel: 'sms' })).resolves.toMatchObject({ destination: '+449098765432' });
  });

  it('refuses fixed-line numbers unless requireMobile is off', async () => {
    expect((await refusal(controls().admit({ cardRef: 'a', destination: '+442079460000', channel: 'sms' }))).reason).toBe('not-mobile');
    await expect(controls({ limits: { requireMobile: false } }).admit({ cardRef: 'a', destination: '+442079460000', channel: 'sms' })).resolves.toMatchObject({ destination: '+442079460000' });
    // FIXED_LINE_OR_MOBILE (all US numbers) counts as mobile.
    await expect(controls().admit({ cardRef: 'a', destination: '+12015550123', channel: 'sms' })).resolves.toMatchObject({ destination: '+12015550123' });
  });

  it('refuses countries outside the allow-list and allows every country without one', async () => {
    const strict = controls({ limits: { allowedCountries: ['JP', 'GB', 'US'] } });
    await expect(strict.admit({ cardRef: 'a', destination: JP_MOBILE, channel: 'sms' })).resolves.toMatchObject({ destination: JP_MOBILE });
    const refused = await refusal(strict.admit({ cardRef: 'b', destination: '+33612345678', channel: 'sms' }));
    expect(refused.reason).toBe('country-not-allowed');
    expect(refused.message).not.toContain('612345678');
    await expect(controls().admit({ cardRef: 'b', destination: '+33612345678', channel: 'sms' })).resolves.toMatchObject({ destination: '+33612345678' });
  });

  it('refuses an unparseable number with InvalidDestinationError naming the field, counting nothing', async () => {
    const store = new MemoryOtpStore();
    const subject = controls({}, store);
    await expect(subject.admit({ cardRef: 'a', destination: '12', channel: 'sms' })).rejects.toThrow(InvalidDestinationError);
    await expect(subject.admit({ cardRef: 'a', destination: '12', channel: 'sms' })).rejects.toThrow(/^destination /);
    expect(store.size).toBe(0);
  });

  it('refuses to send when the store is down and failMode is closed (the default)', async () => {
    const refused = await refusal(controls({}, new UnavailableStore()).admit({ cardRef: 'a', destination: JP_MOBILE, channel: 'sms' }));
    expect(refused.reason).toBe('store-unavailable');
    expect(refused.cause).toBeInstanceOf(StoreUnavailableError);
  });

  it('sends unchecked when the store is down and failMode is open, still vetting the number', async () => {
    const subject = controls({ store: { failMode: 'open' }, limits: { allowedCountries: ['JP'] } }, new UnavailableStore());
    await expect(subject.admit({ cardRef: 'a', destination: JP_MOBILE, channel: 'sms' })).resolves.toMatchObject({ destination: JP_MOBILE });
    expect((await refusal(subject.admit({ cardRef: 'a', destination: '+33612345678', channel: 'sms' }))).reason).toBe('country-not-allowed');
  });

  it('keeps card references, phone numbers and emails out of store keys', async () => {
    const store = new MemoryOtpStore();
    const seen: string[] = [];
    const recording = Object.assign(Object.create(store) as MemoryOtpStore, {
      consume: (limits: Parameters<MemoryOtpStore['consume']>[0]) => {
        seen.push(...limits.map((limit) => limit.key));
        return store.consume(limits);
      },
    });
    await controls({}, recording).admit({ cardRef: 'DNITHE000000000000001', destination: 'taro@example.com', channel: 'email', clientId: 'tsp' });
    await controls({}, recording).admit({ cardRef: '4111111111111111', destination: JP_MOBILE, channel: 'sms' });
    expect(seen).toHaveLength(6);
    for (const key of seen) {
      expect(key).toMatch(/^rl:(card|dest|client):[A-Za-z0-9_-]{43}$/);
      expect(key).not.toMatch(/DNITHE|taro|example|9012345678|4111/);
    }
  });
});

describe('OtpSendControls with a full memory store', () => {
  it("refuses a send the store has no room to count, even with failMode 'open' (a full store is no outage to send through)", async () => {
    const store = new MemoryOtpStore({ maxEntries: 1 });
    await store.set('something', 'v', 600_000);
    const resolved = resolveOtpDeliveryOptions({ store: { failMode: 'open' } });
    const controls = new OtpSendControls(store, resolved.limits, resolved.store);
    const refused = await refusal(controls.admit({ cardRef: 'card-1', destination: JP_MOBILE, channel: 'sms' }));
    expect(refused.reason).toBe('store-unavailable');
    expect(store.size).toBe(1);
    store.onApplicationShutdown();
  });
});
