import { CmSandbox } from '../testing/cm-sandbox/cm-sandbox.js';
import { resolveOtpDeliveryOptions, type ResolvedOtpDeliveryOptions } from '../options/resolve-options.js';
import { SecretValue } from '../common/secret-value.js';
import type { OtpGenerateRequest } from '../otp/otp-engine.interface.js';
import { OtpValidationError } from '../otp/otp-validation.error.js';
import { CmOtpService } from './cm-otp.service.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import { CmHttpClient } from './cm-http.client.js';
import { CmValidationError } from './cm.error.js';
import type { CmOptions } from './cm-options.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { RedisOtpStore } from '../store/redis-otp.store.js';
import { failFastRedisOptions } from '../store/redis-client.factory.js';
import type { OtpStore } from '../store/otp-store.interface.js';

/** The in-memory store, recording the TTL of every write. */
class RecordingStore extends MemoryOtpStore {
  readonly writes: Array<{ key: string; ttlMs: number }> = [];
  override async set(key: string, value: string, ttlMs: number): Promise<void> {
    this.writes.push({ key, ttlMs });
    return super.set(key, value, ttlMs);
  }
}

describe('CmOtpService against the CM sandbox', () => {
  let sandbox: CmSandbox;
  const clients: CmHttpClient[] = [];

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
  });
  afterAll(async () => {
    await Promise.all(clients.map((client) => client.close()));
    await sandbox.close();
  });
  beforeEach(() => sandbox.clear());

  const service = (otpApiVersion: 'v1' | 'v2', extra: Record<string, unknown> = {}, store: OtpStore = new MemoryOtpStore()) => {
    const { http, options } = cmHttpClientFor({ productToken: sandbox.productToken, otpBaseUrl: sandbox.url, sender: 'MyBank', defaultRegion: 'JP', otpApiVersion, ...extra });
    clients.push(http);
    // The controls count on a store of their own: these tests are about what the verified-id store does.
    return new CmOtpService(http, options.otp, new OtpSendControls(new MemoryOtpStore(), options.limits, options.store), store);
  };
  const wrongCode = (code: string) => (code[0] === '0' ? '1' : '0') + code.slice(1);

  describe('v1', () => {
    it('sends exactly the documented generate request and maps the answer', async () => {
      const generated = await service('v1').generate({ to: '+81 90-1234-5678', message: 'Your code: {code}', expirySeconds: 120 });
      expect(sandbox.requests).toHaveLength(1);
      const seen = sandbox.requests[0]!;
      expect(seen).toMatchObject({ method: 'POST', path: '/v1.0/otp/generate' });
      expect(seen.headers['x-cm-producttoken']).toBe(sandbox.productToken);
      expect(seen.headers['content-type']).toBe('application/json');
      expect(seen.body).toEqual({ recipient: '00819012345678', sender: 'MyBank', length: 6, expiry: 120, message: 'Your code: {code}' });
      expect(generated).toEqual({ id: sandbox.outbox[0]!.reference, channel: 'sms', createdAt: expect.any(Date), expiresAt: expect.any(Date) });
      expect(generated.expiresAt.getTime() - generated.createdAt.getTime()).toBe(120_000);
      expect(generated.code).toBeUndefined();
    });

    it('sends push and voice options in v1 terms', async () => {
      await service('v1').generate({ to: '090-1234-5678', channel: 'push', appKey: '6d2b0a6e-3c1f-4b8e-9a7d-1f2e3c4b5a69' });
      await service('v1').generate({ to: '090-1234-5678', channel: 'voice', from: '+31201234567', locale: 'nl-NL' });
      expect(sandbox.requests.map((r) => r.body)).toEqual([
        { recipient: '00819012345678', sender: 'MyBank', length: 6, expiry: 300, allowPush: true, appKey: '6d2b0a6e-3c1f-4b8e-9a7d-1f2e3c4b5a69' },
        { recipient: '00819012345678', sender: '+31201234567', length: 6, expiry: 300, allowVoice: true, voiceLanguage: 'nl' },
      ]);
    });

    it('verifies once with the exact verify request, then answers already-verified without asking CM again', async () => {
      const otp = service('v1');
      const { id } = await otp.generate({ to: '0081 90 1234 5678' });
      const code = sandbox.outbox[0]!.code!;
      await expect(otp.verify(id, new SecretValue(code))).resolves.toEqual({ verified: true });
      expect(sandbox.requests[1]).toMatchObject({ path: '/v1.0/otp/verify', body: { id, code } });
      await expect(otp.verify(id, code)).resolves.toEqual({ verified: false, reason: 'already-verified' });
      await expect(otp.verify(id, wrongCode(code))).resolves.toEqual({ verified: false, reason: 'already-verified' });
      expect(sandbox.requests).toHaveLength(2);
    });

    it('remembers a verified id in the shared store (another replica answers already-verified), for as long as a v1 code can live', async () => {
      const store = new RecordingStore();
      const replicaA = service('v1', {}, store);
      const replicaB = service('v1', {}, store);
      const { id } = await replicaA.generate({ to: '+819012345678', expirySeconds: 60 });
      await expect(replicaA.verify(id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: true });
      await expect(replicaB.verify(id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: false, reason: 'already-verified' });
      // Keyed by a hash of the id; kept 3600 s, CM's longest v1 expiry, so it outlives every code.
      expect(store.writes).toEqual([{ key: expect.stringMatching(/^cm:v1:verified:[\w-]{43}$/), ttlMs: 3_600_000 }]);
      expect(store.writes[0]!.key).not.toContain(id);
    });

    it('still answers CM’s verdict when the store is down (it only refines the reason), and says so once', async () => {
      const client = new Redis('redis://127.0.0.1:1', failFastRedisOptions(100));
      client.on('error', () => undefined);
      const down = new RedisOtpStore(client, { ownsClient: true, connectTimeoutMs: 100 });
      const warnings: unknown[] = [];
      Logger.overrideLogger({ log: () => undefined, error: () => undefined, warn: (message: unknown) => warnings.push(message) });
      try {
        const otp = service('v1', {}, down);
        const { id } = await otp.generate({ to: '+819012345678' });
        await expect(otp.verify(id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: true });
        await expect(otp.verify(id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: false, reason: 'wrong-code' });
        expect(warnings).toEqual([expect.objectContaining({ msg: expect.stringContaining('OTP store unavailable') })]);
      } finally {
        Logger.overrideLogger(false);
        await down.onApplicationShutdown();
      }
    });

    it.each([
      [404, { status: 404, message: 'OTP not found' }],
      [404, { status: 404, message: 'Not Found' }],
      [404, ''],
      [404, { message: 'The OTP does not exist' }],
      [400, { status: 400, message: 'Invalid id' }],
      [400, { status: 400, message: 'Unknown OTP id' }],
    ])('answers not-found, not an error, for an id CM does not know (%i %j)', async (status, body) => {
      sandbox.failNext(1, { status, body });
      await expect(service('v1').verify('no-such-id', '123456')).resolves.toEqual({ verified: false, reason: 'not-found' });
    });

    it('answers wrong-code for an id CM does not know when CM says only { valid: false } (v1 cannot tell them apart)', async () => {
      await expect(service('v1').verify('00000000-0000-0000-0000-000000000000', '123456')).resolves.toEqual({ verified: false, reason: 'wrong-code' });
    });

    it('still fails a verify whose request CM refused for another reason', async () => {
      sandbox.failNext(1, { status: 400, body: { status: 400, message: 'id and code are required' } });
      await expect(service('v1').verify('an-id', '123456')).rejects.toMatchObject({ status: 400 });
    });

    it.each([
      [{ valid: 'true' }, { verified: true }],
      [{ valid: 'false' }, { verified: false, reason: 'wrong-code' }],
      [{ valid: false }, { verified: false, reason: 'wrong-code' }],
    ])('reads valid %j', async (body, expected) => {
      sandbox.failNext(1, { status: 200, body });
      await expect(service('v1').verify('an-id', '123456')).resolves.toEqual(expected);
    });

    it('maps a wrong code to wrong-code', async () => {
      const otp = service('v1');
      const { id } = await otp.generate({ to: '+819012345678' });
      await expect(otp.verify(id, wrongCode(sandbox.outbox[0]!.code!))).resolves.toEqual({ verified: false, reason: 'wrong-code' });
    });
  });

  describe('v2', () => {
    it('sends exactly the documented create request and maps the answer', async () => {
      const generated = await service('v2').generate({ to: '090-1234-5678', message: 'Code {code}', digits: 8, expirySeconds: 60, locale: 'ja-JP' });
      const seen = sandbox.requests[0]!;
      expect(seen).toMatchObject({ method: 'POST', path: '/otp/v2/otp' });
      expect(seen.headers['x-cm-producttoken']).toBe(sandbox.productToken);
      expect(seen.body).toEqual({ channel: 'sms', from: 'MyBank', to: '+819012345678', digits: 8, expiry: 60, message: 'Code {code}', locale: 'ja-JP' });
      expect(generated).toEqual({ id: sandbox.outbox[0]!.reference, channel: 'sms', createdAt: expect.any(Date), expiresAt: expect.any(Date) });
      expect(sandbox.outbox[0]!.text).toMatch(/^Code \d{8}$/);
    });

    it('sends email and push in v2 terms', async () => {
      await service('v2').generate({ to: 'taro@example.com', channel: 'email', message: 'Your sign-in code' });
      await service('v2').generate({ to: '+819012345678', channel: 'push', appKey: '6d2b0a6e-3c1f-4b8e-9a7d-1f2e3c4b5a69' });
      expect(sandbox.requests.map((r) => r.body)).toEqual([
        { channel: 'email', from: 'MyBank', to: 'taro@example.com', digits: 6, expiry: 300, message: 'Your sign-in code' },
        { channel: 'push', from: 'MyBank', to: '+819012345678', digits: 6, expiry: 300, pushAppKey: '6d2b0a6e-3c1f-4b8e-9a7d-1f2e3c4b5a69' },
      ]);
    });

    it('verifies with POST /otp/v2/otp/{id}/verify, once', async () => {
      const otp = service('v2');
      const { id } = await otp.generate({ to: '+819012345678' });
      const code = sandbox.outbox[0]!.code!;
      await expect(otp.verify(id, wrongCode(code))).resolves.toEqual({ verified: false, reason: 'wrong-code' });
      await expect(otp.verify(id, code)).resolves.toEqual({ verified: true });
      expect(sandbox.requests[2]).toMatchObject({ path: `/otp/v2/otp/${id}/verify`, body: { code } });
      await expect(otp.verify(id, code)).resolves.toEqual({ verified: false, reason: 'already-verified' });
    });

    it('answers expired, too-many-attempts and not-found from the sandbox’s real state', async () => {
      const otp = service('v2');
      const first = await otp.generate({ to: '+819012345678', expirySeconds: 10 });
      sandbox.advanceTime(11_000);
      await expect(otp.verify(first.id, sandbox.outbox[0]!.code!)).resolves.toEqual({ verified: false, reason: 'expired' });
      const second = await otp.generate({ to: '+819012345678' });
      const code = sandbox.outbox[1]!.code!;
      for (let i = 0; i < 5; i += 1) await otp.verify(second.id, wrongCode(code));
      await expect(otp.verify(second.id, code)).resolves.toEqual({ verified: false, reason: 'too-many-attempts' });
      await expect(otp.verify('00000000-0000-0000-0000-000000000000', code)).resolves.toEqual({ verified: false, reason: 'not-found' });
    });

    it('answers wrong-code for a malformed code without a call', async () => {
      await expect(service('v2').verify('an-id', '12ab')).resolves.toEqual({ verified: false, reason: 'wrong-code' });
      expect(sandbox.requests).toHaveLength(0);
    });

    it('refuses an id that would be a dot segment of the verify path, without a call', async () => {
      // `/otp/v2/otp/../verify` is another CM endpoint once a proxy normalises it.
      for (const id of ['.', '..']) await expect(service('v2').verify(id, '123456')).rejects.toMatchObject({ field: 'id' });
      expect(sandbox.requests).toHaveLength(0);
    });
  });

  describe('generate is a send: the fraud and rate controls apply', () => {
    const controlled = (limits: OtpDeliveryModuleOptions['limits']) => {
      const { http, options } = cmHttpClientFor({ productToken: sandbox.productToken, otpBaseUrl: sandbox.url, sender: 'MyBank', defaultRegion: 'JP' }, { limits });
      clients.push(http);
      const store = new MemoryOtpStore();
      return new CmOtpService(http, options.otp, new OtpSendControls(store, options.limits, options.store), store);
    };

    it('refuses a number outside allowedCountries and a fixed line, with no call to CM', async () => {
      const cm = controlled({ allowedCountries: ['JP'] });
      await expect(cm.generate({ to: '+44 7400 123456' })).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'country-not-allowed' });
      await expect(controlled({}).generate({ to: '+81 3-1234-5678' })).rejects.toThrow(CmValidationError);
      expect(sandbox.requests).toHaveLength(0);
    });

    it('checks the destination CM is sent, read with cm.defaultRegion, not as the limits would read it with theirs', async () => {
      // CM reads a national number as Indian, the limits' own region is Japan and only Japan is allowed.
      const { http, options } = cmHttpClientFor({ productToken: sandbox.productToken, otpBaseUrl: sandbox.url, sender: 'MyBank', defaultRegion: 'IN' }, { limits: { defaultRegion: 'JP', allowedCountries: ['JP'] } });
      clients.push(http);
      const store = new MemoryOtpStore();
      const cm = new CmOtpService(http, options.otp, new OtpSendControls(store, options.limits, options.store), store);
      await expect(cm.generate({ to: '9012345678' })).rejects.toMatchObject({ name: 'OtpSendRefusedError', reason: 'country-not-allowed' });
      expect(sandbox.requests).toHaveLength(0);
    });

    it('counts generates per card and per caller like deliveries', async () => {
      const cm = controlled({ perCard: { max: 1, windowSeconds: 60 } });
      await cm.generate({ to: '+81 90-1234-5678', cardRef: 'card-1', clientId: 'app' });
      await expect(cm.generate({ to: '+81 90-1234-5679', cardRef: 'card-1', clientId: 'app' })).rejects.toMatchObject({ reason: 'rate-limited', limit: 'card' });
      expect(sandbox.outbox).toHaveLength(1);
    });
  });

  describe('refuses bad input before the network', () => {
    const cases: Array<[version: 'v1' | 'v2', field: string, request: Partial<OtpGenerateRequest>]> = [
      ['v1', 'from', { from: 'AB' }],
      ['v1', 'from', { from: 'ABCDEFGHIJKL' }],
      ['v2', 'from', { from: 'AB' }],
      ['v2', 'from', { from: 'My-Bank!' }],
      ['v2', 'from', { channel: 'voice', from: 'MyBank' }],
      ['v1', 'from', { channel: 'voice', from: 'MyBank' }],
      ['v1', 'digits', { digits: 3 }],
      ['v2', 'digits', { digits: 11 }],
      ['v2', 'digits', { digits: 6.5 }],
      ['v1', 'expirySeconds', { expirySeconds: 9 }],
      ['v2', 'expirySeconds', { expirySeconds: 3601 }],
      ['v1', 'appKey', { channel: 'push' }],
      ['v2', 'appKey', { channel: 'push', appKey: ' ' }],
      ['v1', 'appKey', { channel: 'push', appKey: 'not-a-guid\r\nX-Injected: 1' }],
      ['v1', 'from', { from: 'Bank\r\nX-Y' }],
      ['v1', 'from', { from: '\u202eknab' }],
      ['v2', 'from', { from: '   ' }],
      ['v2', 'message', { message: 'Code {code}\u202e' }],
      ['v1', 'message', { message: `Your code is {code}. ${'\u3042'.repeat(2000)}` }],
      ['v2', 'to', { to: 'taro\u200b@example.jp', channel: 'email' }],
      ['v1', 'cardRef', { cardRef: 42 as unknown as string }],
      ['v2', 'clientId', { clientId: '' }],
      ['v1', 'message', { message: 'no placeholder' }],
      ['v2', 'message', { message: 'no placeholder' }],
      ['v2', 'message', { message: '' }],
      ['v1', 'channel', { channel: 'whatsapp' }],
      ['v2', 'channel', { channel: 'fax' as OtpGenerateRequest['channel'] }],
      ['v2', 'locale', { locale: 'japanese' }],
      ['v1', 'locale', { channel: 'voice', from: '+31201234567', locale: 'ja-JP' }],
      ['v1', 'to', { to: 'hello' }],
      ['v2', 'to', { to: '+81 3-1234-5678' }], // fixed line
      ['v1', 'to', { to: '+81 3-1234-5678' }],
      ['v2', 'to', { to: '12345' }],
      ['v2', 'to', { channel: 'email', to: 'not-an-email' }],
      ['v2', 'to', { channel: 'email', to: '+819012345678' }],
    ];

    it.each(cases)('%s refuses a bad %s (%j)', async (version, field, override) => {
      const error = await service(version)
        .generate({ to: '+819012345678', ...override } as OtpGenerateRequest)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CmValidationError);
      expect(error).toBeInstanceOf(OtpValidationError);
      expect((error as CmValidationError).field).toBe(field);
      expect(sandbox.requests).toHaveLength(0);
    });

    it('refuses a national number when no default region is set', async () => {
      const error = await service('v2', { defaultRegion: undefined }).generate({ to: '090-1234-5678' }).catch((e: unknown) => e);
      expect(error).toMatchObject({ field: 'to' });
      expect(sandbox.requests).toHaveLength(0);
    });

    it('refuses an empty verify id', async () => {
      await expect(service('v2').verify('', '123456')).rejects.toMatchObject({ field: 'id' });
      expect(sandbox.requests).toHaveLength(0);
    });
  });
});

/** A CmHttpClient on given CM options, without Nest (as an issuer without DI would build it). */
function cmHttpClientFor(cm: CmOptions, more: OtpDeliveryModuleOptions = {}): { http: CmHttpClient; options: ResolvedOtpDeliveryOptions } {
  const options = resolveOtpDeliveryOptions({ ...more, cm });
  return { http: new CmHttpClient(options.cm), options };
}
