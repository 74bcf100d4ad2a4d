import { MemoryOtpStore } from '../store/memory-otp.store.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { resolveOtpEngineOptions } from './otp-engine-options.js';
import { SecretValue } from '../common/secret-value.js';
import { LocalOtpEngine } from './local-otp.engine.js';
import { OtpValidationError } from './otp-validation.error.js';

describe('LocalOtpEngine', () => {
  let store: MemoryOtpStore;
  const engine = (otp: OtpDeliveryModuleOptions['otp'] = {}) => new LocalOtpEngine(store, resolveOtpEngineOptions({ engine: 'local', hashKey: 'test-key-of-at-least-32-characters', ...otp }));
  const wrong = (code: string) => (code[0] === '0' ? '1' : '0') + code.slice(1);

  beforeEach(() => {
    store = new MemoryOtpStore();
  });
  afterEach(() => store.onApplicationShutdown());

  it('generates a 6-digit code by default, valid for 300 s, and stores only its keyed hash', async () => {
    const otp = await engine().generate({ to: '+819012345678' });
    const code = otp.code!.reveal();
    expect(code).toMatch(/^\d{6}$/);
    expect(otp.expiresAt.getTime() - otp.createdAt.getTime()).toBe(300_000);
    const stored = (await store.get(`otp:local:${otp.id}`))!;
    expect(stored).not.toContain(code);
    expect(JSON.parse(stored)).toEqual({ hash: expect.stringMatching(/^[A-Za-z0-9+/]{43}=$/), channel: 'sms', expiresAt: otp.expiresAt.getTime() });
  });

  it('never prints the code it answers', async () => {
    const otp = await engine().generate({ to: '+819012345678' });
    expect(JSON.stringify(otp)).not.toContain(otp.code!.reveal());
    expect(`${otp.code}`).toBe('[redacted]');
  });

  it('verifies the right code once, then answers already-verified', async () => {
    const local = engine();
    const otp = await local.generate({ to: 'x' });
    await expect(local.verify(otp.id, otp.code!)).resolves.toEqual({ verified: true });
    await expect(local.verify(otp.id, otp.code!)).resolves.toEqual({ verified: false, reason: 'already-verified' });
  });

  it('lets exactly one of many concurrent right answers through', async () => {
    const local = engine({ maxAttempts: 10 });
    const otp = await local.generate({ to: 'x' });
    const results = await Promise.all(Array.from({ length: 8 }, () => local.verify(otp.id, otp.code!.reveal())));
    expect(results.filter((r) => r.verified)).toHaveLength(1);
  });

  it('answers wrong-code, then too-many-attempts after maxAttempts wrong tries, even for the right code', async () => {
    const local = engine({ maxAttempts: 3 });
    const otp = await local.generate({ to: 'x' });
    const code = otp.code!.reveal();
    for (let i = 0; i < 3; i += 1) await expect(local.verify(otp.id, wrong(code))).resolves.toEqual({ verified: false, reason: 'wrong-code' });
    await expect(local.verify(otp.id, code)).resolves.toEqual({ verified: false, reason: 'too-many-attempts' });
  });

  it('takes only an id it issued: the keys next to a session are never read as one, nor written', async () => {
    const local = engine({ maxAttempts: 3 });
    const otp = await local.generate({ to: 'x' });
    await local.verify(otp.id, wrong(otp.code!.reveal()));
    await local.verify(otp.id, otp.code!.reveal());
    const keys = store.size;
    // The attempt counter ("1") and the used marker parsed as a session wrote keys that never expired.
    for (const id of [`${otp.id}:attempts`, `${otp.id}:used`, `${otp.id}:attempts:attempts`, '../x', otp.id.toUpperCase(), '']) {
      await expect(local.verify(id, '123456')).resolves.toEqual({ verified: false, reason: 'not-found' });
    }
    expect(store.size).toBe(keys);
  });

  it('answers not-found for a session key that holds anything but what generate wrote', async () => {
    const local = engine();
    const otp = await local.generate({ to: 'x' });
    for (const value of ['3', 'null', '{"hash":"x"}', 'not json']) {
      await store.set(`otp:local:${otp.id}`, value, 10_000);
      await expect(local.verify(otp.id, otp.code!)).resolves.toEqual({ verified: false, reason: 'not-found' });
    }
  });

  it('answers expired once the code has outlived its expiry', async () => {
    const local = engine({ expirySeconds: 10 });
    const otp = await local.generate({ to: 'x' });
    const record = JSON.parse((await store.get(`otp:local:${otp.id}`))!) as Record<string, unknown>;
    // Moves the stored expiry into the past instead of waiting 10 s; the TTL of the key still holds it.
    await store.set(`otp:local:${otp.id}`, JSON.stringify({ ...record, expiresAt: Date.now() - 1 }), 10_000);
    await expect(local.verify(otp.id, otp.code!)).resolves.toEqual({ verified: false, reason: 'expired' });
  });

  it('answers not-found for an unknown id and wrong-code for a code made under another key', async () => {
    await expect(engine().verify('nope', '123456')).resolves.toEqual({ verified: false, reason: 'not-found' });
    const otp = await engine({ hashKey: new SecretValue('key-a') }).generate({ to: 'x' });
    await expect(engine({ hashKey: 'key-b' }).verify(otp.id, otp.code!)).resolves.toEqual({ verified: false, reason: 'wrong-code' });
  });

  it.each([
    ['digits', { digits: 5 }],
    ['digits', { digits: 11 }],
    ['expirySeconds', { expirySeconds: 601 }],
    ['expirySeconds', { expirySeconds: 5 }],
  ])('refuses a bad %s', async (field, request) => {
    const error = await engine().generate({ to: 'x', ...request }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OtpValidationError);
    expect(error).toMatchObject({ field });
  });

  it('makes codes from the whole range, leading zeros included', async () => {
    const local = engine();
    const firstDigits = new Set<string>();
    for (let i = 0; i < 200; i += 1) firstDigits.add((await local.generate({ to: 'x', digits: 6 })).code!.reveal()[0]!);
    expect(firstDigits.size).toBeGreaterThanOrEqual(9);
  });
});
