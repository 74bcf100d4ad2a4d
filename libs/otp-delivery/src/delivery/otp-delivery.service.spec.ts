import { firstValueFrom, toArray } from 'rxjs';
import { OtpDeliveryService } from './otp-delivery.service.js';
import { OtpDeliveryEvents } from './otp-delivery.events.js';
import { CmStatusReports } from '../cm/cm-status-reports.service.js';
import { OtpDeliveryError } from './otp-delivery.error.js';
import type { OtpDeliveryEvent } from './otp-delivery-event.interface.js';
import { OtpTemplateRenderer } from '../templates/otp-template-renderer.service.js';
import { OtpChannelError } from '../channels/otp-channel.error.js';
import type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from '../channels/otp-channel.interface.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { SecretValue } from '../common/secret-value.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';
import { resolveDeliveryOptions } from './delivery-options.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import type { OtpStore } from '../store/otp-store.interface.js';
import { StoreUnavailableError } from '../store/store-unavailable.error.js';
import { OtpSendRefusedError } from '../limits/otp-send-refused.error.js';

const CODE = '739154';

/** A channel that keeps what it was given and answers as told. */
class RecordingChannel implements OtpChannel {
  readonly received: OtpChannelMessage[] = [];
  constructor(
    readonly name: string,
    private readonly answer: (message: OtpChannelMessage) => Promise<OtpChannelReceipt> = async () => ({ acceptedAt: new Date(), providerMessageId: 'p-1', parts: 1 }),
  ) {}
  deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    this.received.push(message);
    return this.answer(message);
  }
}

const never = () => new Promise<OtpChannelReceipt>(() => undefined);
const failing = (reason: 'rejected' | 'unavailable' | 'invalid-destination') => async (): Promise<OtpChannelReceipt> => {
  throw new OtpChannelError('x', reason, `provider said ${reason}`);
};

function setup(channels: OtpChannel[], options: OtpDeliveryModuleOptions = {}, statusReports?: CmStatusReports, store: OtpStore = new MemoryOtpStore()) {
  const events = new OtpDeliveryEvents(statusReports);
  const seen: OtpDeliveryEvent[] = [];
  events.events$.subscribe((event) => seen.push(event));
  // The service gets what the module's boot check resolves; the fallback is checked against these channels.
  const { options: delivery, problems } = resolveDeliveryOptions(options.delivery, new Set(channels.map((channel) => channel.name)));
  if (problems.length > 0) throw new OtpDeliveryConfigError(problems);
  const resolved = resolveOtpDeliveryOptions({ templates: { issuerName: 'MyBank' }, ...options, delivery: undefined });
  const service = new OtpDeliveryService(
    delivery,
    new Map(channels.map((channel) => [channel.name, channel])),
    new OtpTemplateRenderer(resolved.templates),
    events,
    new OtpSendControls(store, resolved.limits, resolved.store),
  );
  return { service, events, seen };
}

const request = (overrides: Partial<Parameters<OtpDeliveryService['deliver']>[0]> = {}) => ({
  code: new SecretValue(CODE),
  channel: 'sms',
  destination: '+819012345678',
  context: { locale: 'ja-JP', panLastFour: '4111111111111234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 300, correlationId: 'corr-1', enrolmentId: 'enr-1' },
  ...overrides,
});

async function failure(promise: Promise<unknown>): Promise<OtpDeliveryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OtpDeliveryError);
  return error as OtpDeliveryError;
}

describe('OtpDeliveryService', () => {
  it('renders, sends and answers a receipt; the channel gets the rendered message, the id and the validity', async () => {
    const sms = new RecordingChannel('sms');
    const { service, seen } = setup([sms]);
    const receipt = await service.deliver(request());
    expect(receipt).toEqual({
      deliveryId: expect.stringMatching(/^[a-z0-9]{32}$/),
      channel: 'sms',
      destinationMasked: '********5678',
      acceptedAt: expect.any(Date),
      parts: 1,
      providerMessageId: 'p-1',
    });
    const [message] = sms.received;
    expect(message.deliveryId).toBe(receipt.deliveryId);
    expect(message.text.reveal()).toContain(`認証コード${CODE}`);
    expect(message.text.reveal()).toContain('末尾1234');
    expect(message.validitySeconds).toBe(300);
    expect(message.locale).toBe('ja');
    expect(seen.map((e) => e.type)).toEqual(['requested', 'sent']);
    expect(seen[1]).toMatchObject({ deliveryId: receipt.deliveryId, channel: 'sms', destinationMasked: '********5678', correlationId: 'corr-1' });
  });

  it('renders subject, text and HTML for the email channel', async () => {
    const email = new RecordingChannel('email');
    const { service } = setup([email]);
    await service.deliver(request({ channel: 'email', destination: 'taro.yamada@example.com' }));
    const [message] = email.received;
    expect(message.subject).toContain('Apple Pay');
    expect(message.html?.reveal()).toContain(`<strong>${CODE}</strong>`);
    expect(message.text.reveal()).toContain(CODE);
  });

  it('gives unique alphanumeric delivery ids fit for a CM reference', async () => {
    const { service } = setup([new RecordingChannel('sms')], { limits: { perDestination: { max: 100, windowSeconds: 60 } } });
    const ids = await Promise.all(Array.from({ length: 50 }, () => service.deliver(request()).then((r) => r.deliveryId)));
    expect(new Set(ids).size).toBe(50);
    ids.forEach((id) => expect(id).toMatch(/^[A-Za-z0-9]{1,32}$/));
  });

  it('answers unknown-channel for a channel that does not exist, and sends nothing', async () => {
    const sms = new RecordingChannel('sms');
    const { service, seen } = setup([sms]);
    const error = await failure(service.deliver(request({ channel: 'pigeon' })));
    expect(error).toMatchObject({ reason: 'unknown-channel', channel: 'pigeon', retryable: false });
    expect(sms.received).toHaveLength(0);
    // Nothing was requested of any provider: the only event says the delivery failed.
    expect(seen.map((e) => e.type)).toEqual(['failed']);
    // The name is the caller's text: the event (and the metric label made from it) says `unknown`.
    expect(seen[0]).toMatchObject({ channel: 'unknown', reason: 'unknown-channel' });
  });

  it('answers unknown-channel for names of Object members too, and leaves no deadline timer behind', async () => {
    const sms = new RecordingChannel('sms');
    const { service, seen } = setup([sms], { delivery: { deadlineMs: 60_000, fallback: { sms: [] } } });
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    for (const channel of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(service.fallbacksOf(channel)).toEqual([]);
      expect(await failure(service.deliver(request({ channel })))).toMatchObject({ reason: 'unknown-channel', channel, retryable: false });
    }
    expect(timers()).toBe(before);
    expect(seen.map((e) => `${e.type}:${e.channel}:${e.reason}`)).toEqual(Array(4).fill('failed:unknown:unknown-channel'));
    expect(sms.received).toHaveLength(0);
  });

  it('puts the correlation id in its events as given, masked where it holds a phone number, PAN or email', async () => {
    const { service, seen } = setup([new RecordingChannel('sms')]);
    await service.deliver(request({ context: { correlationId: 'corr-2026-11-30_7' } }));
    await service.deliver(request({ context: { correlationId: '4111111111111111' } }));
    await service.deliver(request({ context: { correlationId: 'taro.yamada@example.jp' } }));
    expect([...new Set(seen.map((e) => e.correlationId))]).toEqual(['corr-2026-11-30_7', '****1111', 'ta*********@example.jp']);
  });

  it('rejects an expiry it would promise in the message that is no whole number of seconds from 1 to a day, sending nothing', async () => {
    const sms = new RecordingChannel('sms');
    const { service } = setup([sms]);
    for (const expiresInSeconds of [Infinity, 1e12, 86_401, 0, -5, 30.5, Number.NaN]) {
      expect(await failure(service.deliver(request({ context: { expiresInSeconds } })))).toMatchObject({ reason: 'rejected', retryable: false });
    }
    expect(await failure(service.deliver(request({ code: '123456' as never })))).toMatchObject({ reason: 'rejected', detail: 'code must be a non-empty SecretValue' });
    expect(sms.received).toHaveLength(0);
    // Eight refusals counted nothing: the destination's limit (5 an hour) still lets this one through.
    await service.deliver(request({ context: { expiresInSeconds: 86_400 } }));
    expect(sms.received).toHaveLength(1);
  });

  it('rejects context fields of the wrong type, naming the field, before anything is counted or requested', async () => {
    const sms = new RecordingChannel('sms');
    const store = new MemoryOtpStore();
    const { service, seen } = setup([sms], {}, undefined, store);
    const base = request().context;
    const bad: [string, object | null | string][] = [
      ['context.panLastFour', { ...base, panLastFour: 1234 }],
      ['context.locale', { ...base, locale: 81 }],
      ['context.walletProviderId', { ...base, walletProviderId: 7 }],
      ['context.correlationId', { ...base, correlationId: { id: 1 } }],
      ['context.enrolmentId', { ...base, enrolmentId: 5 }],
      ['context.extras', { ...base, extras: { note: 12 } }],
      ['context.extras', { ...base, extras: 'note' }],
      ['context', 'ja-JP'],
    ];
    for (const [field, context] of bad) {
      const error = await failure(service.deliver(request({ context: context as never })));
      expect(error).toMatchObject({ reason: 'rejected', channel: 'sms', retryable: false });
      expect(error.detail).toMatch(new RegExp(`^${field.replace('.', '\\.')} must be`));
    }
    expect(sms.received).toHaveLength(0);
    expect(store.size).toBe(0);
    expect(seen.map((e) => e.type)).toEqual(Array(bad.length).fill('failed'));
    expect(seen.every((e) => e.type === 'failed' && e.reason === 'rejected' && e.destinationMasked === '********5678')).toBe(true);
  });

  it('reads a null in the context (JSON\'s, a nullable column\'s) as an absent value, as the callback bodies do, and sends', async () => {
    const sms = new RecordingChannel('sms');
    const { service, seen } = setup([sms], { limits: { perDestination: { max: 100, windowSeconds: 60 } } });
    const nulls = { locale: null, panLastFour: null, walletProviderId: null, correlationId: null, enrolmentId: null, expiresInSeconds: null, extras: null };
    await service.deliver(request({ context: nulls as never, signal: null as never, destinations: null as never }));
    await service.deliver(request({ context: null as never }));
    await service.deliver(request({ context: { locale: 'ja-JP', extras: { note: null } } as never }));
    expect(sms.received).toHaveLength(3);
    // The default locale's text, no card digits, no validity: what an absent value gives.
    expect(sms.received[0]!.locale).toBe('en');
    expect(sms.received[0]!.text.reveal()).toContain(CODE);
    expect(sms.received[0]!.validitySeconds).toBeUndefined();
    expect(seen.filter((event) => event.type === 'sent')).toHaveLength(3);
  });

  it('answers invalid-destination naming the field for a destination that is no string, counting and sending nothing', async () => {
    const sms = new RecordingChannel('sms', failing('unavailable'));
    const voice = new RecordingChannel('voice');
    const store = new MemoryOtpStore();
    const { service, seen } = setup([sms, voice], { delivery: { fallback: { sms: ['voice'] } } }, undefined, store);
    for (const destination of [undefined, null, 819012345678, { destination: 819012345678 }, ['+819012345678']]) {
      const error = await failure(service.deliver(request({ destination: destination as never })));
      expect(error).toMatchObject({ reason: 'invalid-destination', channel: 'sms', detail: 'destination must be a phone number or an email address (a string)' });
    }
    expect(await failure(service.deliver(request({ destinations: { voice: 819012345678 as never } })))).toMatchObject({
      reason: 'invalid-destination',
      detail: 'destinations.voice must be a phone number or an email address (a string)',
    });
    expect(await failure(service.deliver(request({ signal: {} as never })))).toMatchObject({ reason: 'rejected', detail: 'signal must be an AbortSignal' });
    expect(sms.received).toHaveLength(0);
    expect(voice.received).toHaveLength(0);
    expect(store.size).toBe(0);
    expect(seen.every((e) => e.type === 'failed')).toBe(true);
    expect(seen.map((e) => e.destinationMasked)).toEqual(['', '', '', '', '', '********5678', '********5678']);
  });

  it('answers invalid-destination for an empty destination, and sends nothing', async () => {
    const sms = new RecordingChannel('sms');
    const { service } = setup([sms]);
    expect(await failure(service.deliver(request({ destination: '  ' })))).toMatchObject({ reason: 'invalid-destination', channel: 'sms' });
    expect(sms.received).toHaveLength(0);
  });

  it('maps a channel error onto the delivery error, with retryable from the channel', async () => {
    const { service } = setup([new RecordingChannel('sms', failing('unavailable'))]);
    const error = await failure(service.deliver(request()));
    expect(error).toMatchObject({ reason: 'unavailable', retryable: true, channel: 'sms', detail: 'provider said unavailable' });
    expect(error.cause).toBeInstanceOf(OtpChannelError);
  });

  it('never hangs past the deadline, even when the channel ignores its signal', async () => {
    const sms = new RecordingChannel('sms', never);
    const { service, seen } = setup([sms], { delivery: { deadlineMs: 50 } });
    const error = await failure(service.deliver(request()));
    expect(error).toMatchObject({ reason: 'timeout', channel: 'sms', retryable: true });
    expect(sms.received[0].signal?.aborted).toBe(true);
    expect(seen.at(-1)).toMatchObject({ type: 'failed', reason: 'timeout' });
  });

  it('stops when the caller aborts, and when the enrolment is cancelled', async () => {
    const { service } = setup([new RecordingChannel('sms', never)], { delivery: { deadlineMs: 10_000 } });
    const caller = new AbortController();
    const byCaller = service.deliver(request({ signal: caller.signal }));
    caller.abort();
    expect(await failure(byCaller)).toMatchObject({ reason: 'cancelled', retryable: false });

    const first = service.deliver(request());
    const second = service.deliver(request());
    const other = service.deliver(request({ context: { enrolmentId: 'enr-2' } }));
    service.cancelEnrolment('enr-1');
    expect(await failure(first)).toMatchObject({ reason: 'cancelled' });
    expect(await failure(second)).toMatchObject({ reason: 'cancelled' });
    service.cancelEnrolment('enr-2');
    expect(await failure(other)).toMatchObject({ reason: 'cancelled' });
  });

  it('refuses a delivery of an enrolment cancelled before it started (a delayed callback), nothing sent', async () => {
    const sms = new RecordingChannel('sms');
    const { service } = setup([sms]);
    service.cancelEnrolment('enr-1');
    expect(await failure(service.deliver(request()))).toMatchObject({ reason: 'cancelled' });
    expect(sms.received).toHaveLength(0);
    await service.deliver(request({ context: { enrolmentId: 'enr-2' } }));
    expect(sms.received).toHaveLength(1);
  });

  it('says whether it would count and try a first hop: not for a request it refuses as given or a channel it lacks', () => {
    const { service } = setup([new RecordingChannel('sms')]);
    expect(service.triesFirstHop(request())).toBe(true);
    expect(service.triesFirstHop(request({ context: { locale: null } as never }))).toBe(true);
    expect(service.triesFirstHop(request({ context: { locale: 81 } as never }))).toBe(false);
    expect(service.triesFirstHop(request({ context: { panLastFour: 1234 } as never }))).toBe(false);
    expect(service.triesFirstHop(request({ context: { expiresInSeconds: 0 } }))).toBe(false);
    expect(service.triesFirstHop(request({ channel: 'email' }))).toBe(false);
    service.cancelEnrolment('enr-1');
    expect(service.triesFirstHop(request())).toBe(false);
  });

  it('does not send at all when the caller signal is already aborted', async () => {
    const sms = new RecordingChannel('sms');
    const { service } = setup([sms]);
    expect(await failure(service.deliver(request({ signal: AbortSignal.abort() })))).toMatchObject({ reason: 'cancelled' });
    expect(sms.received).toHaveLength(0);
  });

  it('does not fall back unless configured', async () => {
    const voice = new RecordingChannel('voice');
    const { service } = setup([new RecordingChannel('sms', failing('rejected')), voice]);
    expect(await failure(service.deliver(request()))).toMatchObject({ reason: 'rejected', channel: 'sms' });
    expect(voice.received).toHaveLength(0);
  });

  it('falls back in order when configured, to the fallback destination', async () => {
    const voice = new RecordingChannel('voice', failing('unavailable'));
    const email = new RecordingChannel('email');
    const { service, seen } = setup([new RecordingChannel('sms', failing('rejected')), voice, email], {
      delivery: { fallback: { sms: ['voice', 'email'] }, allowEmailFallbackForSms: true },
    });
    const receipt = await service.deliver(request({ destinations: { email: 'taro@example.com' } }));
    expect(receipt).toMatchObject({ channel: 'email', destinationMasked: 'ta**@example.com' });
    expect(voice.received[0].destination).toBe('+819012345678');
    expect(email.received[0].destination).toBe('taro@example.com');
    expect(new Set(seen.map((e) => e.deliveryId)).size).toBe(1);
    expect(seen.map((e) => `${e.type}:${e.channel}`)).toEqual([
      'requested:sms', 'failed:sms', 'requested:voice', 'failed:voice', 'requested:email', 'sent:email',
    ]);
  });

  it('reports every attempt when the whole chain fails', async () => {
    const { service } = setup([new RecordingChannel('sms', failing('rejected')), new RecordingChannel('voice', failing('unavailable'))], {
      delivery: { fallback: { sms: ['voice'] } },
    });
    const error = await failure(service.deliver(request()));
    expect(error).toMatchObject({ reason: 'unavailable', channel: 'voice' });
    expect(error.attempts).toEqual([{ channel: 'sms', reason: 'rejected' }, { channel: 'voice', reason: 'unavailable' }]);
  });

  it('refuses at startup email as an SMS fallback unless explicitly allowed, and unknown fallback channels', () => {
    const channels = [new RecordingChannel('sms'), new RecordingChannel('email')];
    expect(() => setup(channels, { delivery: { fallback: { sms: ['email'] } } })).toThrow(OtpDeliveryConfigError);
    expect(() => setup(channels, { delivery: { fallback: { sms: ['email'] } } })).toThrow(/delivery\.fallback\.sms: email as a fallback for SMS needs delivery\.allowEmailFallbackForSms: true/);
    expect(() => setup(channels, { delivery: { fallback: { sms: ['fax'] } } })).toThrow('delivery.fallback.sms: no channel is named "fax"');
    expect(() => setup(channels, { delivery: { fallback: { sms: ['email'] }, allowEmailFallbackForSms: true } })).not.toThrow();
  });

  it('never puts the code in an event or an error message', async () => {
    const { service, events } = setup([new RecordingChannel('sms', failing('rejected')), new RecordingChannel('voice')], {
      delivery: { fallback: { sms: ['voice'] } },
    });
    const collected = firstValueFrom(events.events$.pipe(toArray()));
    await service.deliver(request());
    const error = await failure(setup([new RecordingChannel('sms', never)], { delivery: { deadlineMs: 20 } }).service.deliver(request()));
    events.onApplicationShutdown();
    const all = await collected;
    expect(all).toHaveLength(4);
    for (const text of [JSON.stringify(all), error.message, String(error), JSON.stringify(error)]) {
      expect(text).not.toContain(CODE);
      expect(text).not.toContain('9012345678');
    }
  });

  it('turns CM status reports into delivered / undelivered events by delivery id', async () => {
    const reports = new CmStatusReports();
    const { service, seen } = setup([new RecordingChannel('sms')], {}, reports);
    const { deliveryId } = await service.deliver(request());
    reports.publish([{ reference: deliveryId, status: 'accepted', destinationMasked: '*******5678', receivedAt: new Date() }]);
    reports.publish([{ reference: deliveryId, status: 'delivered', destinationMasked: '*******5678', cmStatusCode: 2, receivedAt: new Date() }]);
    reports.publish([{ reference: 'unknownref', status: 'failed', destinationMasked: '*******0000', cmErrorCode: 14, cmErrorDescription: 'Absent subscriber', receivedAt: new Date() }]);
    expect(seen.slice(2)).toEqual([
      expect.objectContaining({ type: 'delivered', deliveryId, channel: 'sms', correlationId: 'corr-1' }),
      expect.objectContaining({ type: 'undelivered', deliveryId: 'unknownref', reason: 'cm-failed 14: Absent subscriber', correlationId: undefined }),
    ]);
  });

  describe('every send is checked for its channel, counted and refused the same way', () => {
    async function refusedBy(promise: Promise<unknown>): Promise<OtpSendRefusedError> {
      const error = await promise.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(OtpSendRefusedError);
      return error as OtpSendRefusedError;
    }

    it('refuses a number outside allowedCountries, a fixed line and a premium-rate number, sending nothing', async () => {
      const sms = new RecordingChannel('sms');
      const { service, seen } = setup([sms], { limits: { allowedCountries: ['JP', 'GB'] } });
      expect((await refusedBy(service.deliver(request({ destination: '+12015550123' })))).reason).toBe('country-not-allowed');
      expect((await refusedBy(service.deliver(request({ destination: '+442079460000' })))).reason).toBe('not-mobile');
      expect((await refusedBy(service.deliver(request({ destination: '+449098765432' })))).reason).toBe('premium-rate');
      expect(sms.received).toHaveLength(0);
      expect(seen).toHaveLength(0);
    });

    it('answers invalid-destination for text that is not a phone number, counting nothing', async () => {
      const sms = new RecordingChannel('sms');
      const store = new MemoryOtpStore();
      const { service } = setup([sms], {}, undefined, store);
      expect(await failure(service.deliver(request({ destination: 'not a number' })))).toMatchObject({ reason: 'invalid-destination', channel: 'sms', retryable: false });
      expect(sms.received).toHaveLength(0);
      expect(store.size).toBe(0);
    });

    it('hands the channel the checked destination: E.164 for a phone, one lower-case address for an email', async () => {
      const sms = new RecordingChannel('sms');
      const email = new RecordingChannel('email');
      const { service } = setup([sms, email], { cm: { defaultRegion: 'JP' } });
      await service.deliver(request({ destination: '090-1234-5678' }));
      await service.deliver(request({ channel: 'email', destination: ' Taro.Yamada@Example.JP ' }));
      expect(sms.received[0]!.destination).toBe('+819012345678');
      expect(email.received[0]!.destination).toBe('taro.yamada@example.jp');
    });

    it('counts sends per card, per destination and per caller, whoever calls deliver()', async () => {
      const sms = new RecordingChannel('sms');
      const { service } = setup([sms], { limits: { perCard: { max: 2, windowSeconds: 60 }, perClient: { max: 3, windowSeconds: 60 } } });
      await service.deliver(request({ cardRef: 'card-1', destination: '+819012345601', clientId: 'app' }));
      await service.deliver(request({ cardRef: 'card-1', destination: '+819012345602', clientId: 'app' }));
      expect(await refusedBy(service.deliver(request({ cardRef: 'card-1', destination: '+819012345603', clientId: 'app' })))).toMatchObject({ reason: 'rate-limited', limit: 'card' });
      await service.deliver(request({ cardRef: 'card-2', destination: '+819012345604', clientId: 'app' }));
      expect(await refusedBy(service.deliver(request({ cardRef: 'card-3', destination: '+819012345605', clientId: 'app' })))).toMatchObject({ limit: 'client' });
      // Another caller has a budget of its own.
      await service.deliver(request({ cardRef: 'card-3', destination: '+819012345605', clientId: 'call-centre' }));
      expect(sms.received).toHaveLength(4);
    });

    it('counts an email mailbox however it is written: case, Unicode width, IDN domain, plus tag', async () => {
      const email = new RecordingChannel('email');
      const { service } = setup([email], { limits: { perDestination: { max: 1, windowSeconds: 60 } } });
      await service.deliver(request({ channel: 'email', destination: 'taro@bücher.example' }));
      for (const variant of ['TARO@BÜCHER.example', 'taro+wallet@xn--bcher-kva.example', 'ｔａｒｏ@bücher.example']) {
        expect(await refusedBy(service.deliver(request({ channel: 'email', destination: variant })))).toMatchObject({ limit: 'destination' });
      }
      expect(email.received).toHaveLength(1);
    });

    it('counts plus tags as distinct mailboxes when told to', async () => {
      const email = new RecordingChannel('email');
      const { service } = setup([email], { limits: { perDestination: { max: 1, windowSeconds: 60 }, emailPlusTagsAsSameMailbox: false } });
      await service.deliver(request({ channel: 'email', destination: 'taro@example.jp' }));
      await service.deliver(request({ channel: 'email', destination: 'taro+wallet@example.jp' }));
      expect(email.received).toHaveLength(2);
    });

    it('never hands a phone number to the email channel: a fallback hop is checked for its own channel', async () => {
      const sms = new RecordingChannel('sms', failing('rejected'));
      const email = new RecordingChannel('email');
      const { service, seen } = setup([sms, email], { delivery: { fallback: { sms: ['email'] }, allowEmailFallbackForSms: true } });
      const error = await failure(service.deliver(request()));
      expect(error.attempts).toEqual([
        { channel: 'sms', reason: 'rejected' },
        { channel: 'email', reason: 'invalid-destination' },
      ]);
      expect(email.received).toHaveLength(0);
      expect(seen.filter((event) => event.type === 'requested').map((event) => event.channel)).toEqual(['sms']);
    });

    it('counts a fallback hop against its own destination, and a refused hop ends the delivery', async () => {
      const sms = new RecordingChannel('sms', failing('unavailable'));
      const email = new RecordingChannel('email');
      const { service } = setup([sms, email], {
        delivery: { fallback: { sms: ['email'] }, allowEmailFallbackForSms: true },
        limits: { perDestination: { max: 1, windowSeconds: 60 } },
      });
      const withEmail = request({ destinations: { email: 'taro@example.jp' } });
      await expect(service.deliver(withEmail)).resolves.toMatchObject({ channel: 'email' });
      // The second SMS goes to another number, but its fallback would reach the same mailbox again.
      expect(await refusedBy(service.deliver({ ...withEmail, destination: '+819012345699' }))).toMatchObject({ limit: 'destination' });
      expect(email.received).toHaveLength(1);
    });

    it("refuses to send while the store is down under failMode 'closed', and sends unchecked under 'open'", async () => {
      class DownStore extends MemoryOtpStore {
        override async consume(): Promise<never> {
          throw new StoreUnavailableError('consume');
        }
      }
      const closed = setup([new RecordingChannel('sms')], {}, undefined, new DownStore());
      expect((await refusedBy(closed.service.deliver(request()))).reason).toBe('store-unavailable');
      const sms = new RecordingChannel('sms');
      const open = setup([sms], { store: { failMode: 'open' } }, undefined, new DownStore());
      await open.service.deliver(request());
      expect(sms.received).toHaveLength(1);
    });
  });
});
