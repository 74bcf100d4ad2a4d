import {
  Global,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleDestroy,
  type OnModuleInit,
  type Provider,
  type Type,
} from '@nestjs/common';
import { Test, type TestingModule, type TestingModuleBuilder } from '@nestjs/testing';
import {
  EMAIL_CHANNEL,
  InjectOtpChannels,
  InjectSmsChannel,
  OTP_CHANNELS,
  OtpDeliveryModule,
  OtpChannelError,
  OtpDeliveryService,
  SecretValue,
  SMS_CHANNEL,
  type OtpChannel,
  type OtpChannelMessage,
  type OtpChannelReceipt,
  type OtpDeliveryModuleOptions,
} from 'nestjs-otp-delivery';
import { EmailChannel } from '../../libs/otp-delivery/src/channels/email.channel.js';
import { SmsChannel } from '../../libs/otp-delivery/src/channels/sms.channel.js';

const CODE = '602381';

/** The issuer's own provider, in the test's own module: its SMS gateway client. */
@Injectable()
class SmsGateway implements OnModuleInit {
  /** When true the gateway's SMS route is down. */
  smsDown = false;
  /** Set by Nest's `onModuleInit`: a channel's own init must find its dependency ready. */
  connected = false;
  readonly sent: Array<{ via: string; to: string; text: string; reference: string }> = [];
  onModuleInit(): void {
    this.connected = true;
  }
}

/** Every lifecycle hook a channel saw, in order, with whether its gateway was ready then. */
const hookCalls: string[] = [];

/** The hook calls phase by phase (Nest runs one phase for every provider before the next). */
function byPhase(calls: readonly string[]): string[][] {
  const phases: string[][] = [];
  for (const call of calls) {
    const phase = call.slice(call.indexOf(':') + 1);
    const last = phases.at(-1);
    if (last && last[0]!.endsWith(phase)) last.push(call);
    else phases.push([call]);
  }
  return phases.map((phase) => [...phase].sort());
}

/** An issuer's channel with lifecycle hooks: it opens its route at init and closes it at shutdown. */
@Injectable()
abstract class HookedChannel implements OtpChannel, OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  abstract readonly name: string;
  constructor(readonly gateway: SmsGateway) {}
  onModuleInit(): void {
    hookCalls.push(`${this.name}:onModuleInit${this.gateway.connected ? '' : ' (gateway not ready)'}`);
  }
  onApplicationBootstrap(): void {
    hookCalls.push(`${this.name}:onApplicationBootstrap`);
  }
  onModuleDestroy(): void {
    hookCalls.push(`${this.name}:onModuleDestroy`);
  }
  beforeApplicationShutdown(signal?: string): void {
    hookCalls.push(`${this.name}:beforeApplicationShutdown(${signal ?? ''})`);
  }
  onApplicationShutdown(signal?: string): void {
    hookCalls.push(`${this.name}:onApplicationShutdown(${signal ?? ''})`);
  }
  async deliver(): Promise<OtpChannelReceipt> {
    return { acceptedAt: new Date() };
  }
}

@Injectable()
class HookedSmsChannel extends HookedChannel {
  readonly name = 'sms';
}

@Injectable()
class HookedVoiceChannel extends HookedChannel {
  readonly name = 'voice';
}

@Module({ providers: [SmsGateway], exports: [SmsGateway] })
class GatewayModule {}

@Global()
@Module({ providers: [SmsGateway], exports: [SmsGateway] })
class GlobalGatewayModule {}

/** The issuer's SMS channel: DI gives it the issuer's gateway. */
@Injectable()
class GatewaySmsChannel implements OtpChannel {
  readonly name = 'sms';
  constructor(readonly gateway: SmsGateway) {}
  async deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    if (this.gateway.smsDown) throw new OtpChannelError(this.name, 'unavailable', 'SMS route down');
    this.gateway.sent.push({ via: 'gateway-sms', to: message.destination, text: message.text.reveal(), reference: message.deliveryId });
    return { acceptedAt: new Date(), providerMessageId: `gw-${message.deliveryId}` };
  }
}

/** A third channel: a voice call reading the code, through the same gateway. */
@Injectable()
class VoiceChannel implements OtpChannel {
  readonly name = 'voice';
  constructor(readonly gateway: SmsGateway) {}
  async deliver(message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    this.gateway.sent.push({ via: 'voice', to: message.destination, text: message.text.reveal(), reference: message.deliveryId });
    return { acceptedAt: new Date(), providerMessageId: 'call-1' };
  }
}

/** An issuer service that injects channels through the helpers. */
@Injectable()
class ChannelConsumer {
  constructor(
    @InjectSmsChannel() readonly sms: OtpChannel,
    @InjectOtpChannels() readonly channels: ReadonlyMap<string, OtpChannel>,
  ) {}
}

type Registration = 'forRoot' | 'forRootAsync';

/**
 * The module registered either way. With forRootAsync the gateway comes from the factory's own
 * `imports`; with forRoot (no imports) from a global module of the app.
 */
function otpModule(registration: Registration, options: OtpDeliveryModuleOptions, extras: { extraProviders?: Provider[] } = {}): Array<DynamicModule | Type> {
  const extraProviders = extras.extraProviders ?? [];
  if (registration === 'forRoot') return [GlobalGatewayModule, OtpDeliveryModule.forRoot({ ...options, extraProviders })];
  return [
    OtpDeliveryModule.forRootAsync({
      imports: [GatewayModule],
      inject: [SmsGateway],
      useFactory: async (gateway: SmsGateway) => {
        expect(gateway).toBeInstanceOf(SmsGateway);
        return options;
      },
      extraProviders,
    }),
  ];
}

async function start(imports: Array<DynamicModule | Type>, customize: (builder: TestingModuleBuilder) => TestingModuleBuilder = (b) => b): Promise<TestingModule> {
  const builder = Test.createTestingModule({ imports, providers: [ChannelConsumer] });
  return (await customize(builder).compile()).init();
}

const smsRequest = (channel = 'sms') => ({
  code: new SecretValue(CODE),
  channel,
  destination: '+819012345678',
  context: { locale: 'en', panLastFour: '1234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 300 },
});

describe.each<Registration>(['forRoot', 'forRootAsync'])('Channel strategies through DI (%s)', (registration) => {
  let app: TestingModule | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  const gatewayOf = (moduleRef: TestingModule) => moduleRef.get(SmsGateway, { strict: false });

  it('replaces the SMS channel with the issuer\'s class, which DI gives the issuer\'s own provider', async () => {
    app = await start(otpModule(registration, { channels: { sms: GatewaySmsChannel }, templates: { issuerName: 'MyBank' } }));
    const channel = app.get<OtpChannel>(SMS_CHANNEL, { strict: false });
    expect(channel).toBeInstanceOf(GatewaySmsChannel);
    // The very instance the issuer's module holds, not a copy.
    expect((channel as GatewaySmsChannel).gateway).toBe(gatewayOf(app));

    const receipt = await app.get(OtpDeliveryService, { strict: false }).deliver(smsRequest());
    expect(gatewayOf(app).sent).toEqual([
      { via: 'gateway-sms', to: '+819012345678', text: expect.stringContaining(`MyBank: ${CODE} is your code`), reference: receipt.deliveryId },
    ]);
    expect(receipt.providerMessageId).toBe(`gw-${receipt.deliveryId}`);
    const consumer = app.get(ChannelConsumer);
    expect(consumer.sms).toBe(channel);
    expect(consumer.channels.get('sms')).toBe(channel);
    expect(app.get(SmsChannel, { strict: false })).not.toBe(channel);
  });

  it('adds a third channel (voice) that deliveries route to, and that SMS can fall back to', async () => {
    app = await start(
      otpModule(registration, {
        channels: { sms: GatewaySmsChannel, voice: VoiceChannel },
        delivery: { fallback: { sms: ['voice'] } },
        templates: { issuerName: 'MyBank', locales: { en: { channels: { voice: 'Your {{issuerName}} code is {{code}}.' } } } },
      }),
    );
    const delivery = app.get(OtpDeliveryService, { strict: false });
    expect(delivery.channelNames).toEqual(['sms', 'email', 'voice']);
    const receipt = await delivery.deliver(smsRequest('voice'));
    expect(receipt).toMatchObject({ channel: 'voice', providerMessageId: 'call-1', destinationMasked: '********5678' });
    expect(gatewayOf(app).sent).toEqual([expect.objectContaining({ via: 'voice', text: `Your MyBank code is ${CODE}.`, reference: receipt.deliveryId })]);

    gatewayOf(app).smsDown = true;
    const fallback = await delivery.deliver(smsRequest('sms'));
    expect(fallback.channel).toBe('voice');
    expect(gatewayOf(app).sent.map((s) => s.via)).toEqual(['voice', 'voice']);
  });

  it('refuses to replace a channel through extraProviders: channels.sms is the one way', async () => {
    await expect(start(otpModule(registration, {}, { extraProviders: [{ provide: SMS_CHANNEL, useClass: GatewaySmsChannel }] }))).rejects.toThrow(
      'extraProviders must not provide SMS_CHANNEL: replace the SMS channel with channels.sms',
    );
  });

  it('swaps a channel in tests with overrideProvider(SMS_CHANNEL)', async () => {
    const delivered: string[] = [];
    const fake: OtpChannel = {
      name: 'sms',
      deliver: async (message) => {
        delivered.push(message.text.reveal());
        return { acceptedAt: new Date(), providerMessageId: 'fake' };
      },
    };
    app = await start(otpModule(registration, {}), (builder) => builder.overrideProvider(SMS_CHANNEL).useValue(fake));
    const receipt = await app.get(OtpDeliveryService, { strict: false }).deliver(smsRequest());
    expect(receipt.providerMessageId).toBe('fake');
    expect(delivered).toEqual([expect.stringContaining(CODE)]);
    expect(app.get(ChannelConsumer).sms).toBe(fake);
  });

  it('runs the lifecycle hooks of channel classes given in channels, once each, in Nest\'s order', async () => {
    hookCalls.length = 0;
    app = await start(otpModule(registration, { channels: { sms: HookedSmsChannel, voice: HookedVoiceChannel } }));
    expect(byPhase(hookCalls)).toEqual([
      ['sms:onModuleInit', 'voice:onModuleInit'],
      ['sms:onApplicationBootstrap', 'voice:onApplicationBootstrap'],
    ]);
    expect(app.get<OtpChannel>(SMS_CHANNEL, { strict: false })).toBeInstanceOf(HookedSmsChannel);
    expect(app.get<ReadonlyMap<string, OtpChannel>>(OTP_CHANNELS, { strict: false }).get('voice')).toBeInstanceOf(HookedVoiceChannel);

    hookCalls.length = 0;
    app.enableShutdownHooks();
    await app.close('SIGTERM');
    app = undefined;
    expect(byPhase(hookCalls)).toEqual([
      ['sms:onModuleDestroy', 'voice:onModuleDestroy'],
      ['sms:beforeApplicationShutdown(SIGTERM)', 'voice:beforeApplicationShutdown(SIGTERM)'],
      ['sms:onApplicationShutdown(SIGTERM)', 'voice:onApplicationShutdown(SIGTERM)'],
    ]);
  });

  it('uses an extra channel class the issuer registered as that provider: one instance, hooks once', async () => {
    hookCalls.length = 0;
    app = await start(otpModule(registration, { channels: { voice: HookedVoiceChannel } }, { extraProviders: [HookedVoiceChannel] }));
    expect(app.get<ReadonlyMap<string, OtpChannel>>(OTP_CHANNELS, { strict: false }).get('voice')).toBe(app.get(HookedVoiceChannel, { strict: false }));
    await app.close();
    app = undefined;
    expect(byPhase(hookCalls)).toEqual([
      ['voice:onModuleInit'],
      ['voice:onApplicationBootstrap'],
      ['voice:onModuleDestroy'],
      ['voice:beforeApplicationShutdown()'],
      ['voice:onApplicationShutdown()'],
    ]);
  });

  it('refuses to boot when a class named in channels.sms is also a provider (its hooks would run twice)', async () => {
    hookCalls.length = 0;
    await expect(start(otpModule(registration, { channels: { sms: HookedSmsChannel } }, { extraProviders: [HookedSmsChannel] }))).rejects.toThrow(
      'channels.sms: HookedSmsChannel is already a provider; name it in channels.sms only, and let the module create it (its hooks then run once)',
    );
    expect(hookCalls).toEqual([]);
  });

  it('switches a channel off with false', async () => {
    app = await start(otpModule(registration, { channels: { sms: false } }));
    expect(app.get(SMS_CHANNEL, { strict: false })).toBeNull();
    expect(app.get(EMAIL_CHANNEL, { strict: false })).toBeInstanceOf(EmailChannel);
    expect(app.get<ReadonlyMap<string, OtpChannel>>(OTP_CHANNELS, { strict: false }).has('sms')).toBe(false);
    await expect(app.get(OtpDeliveryService, { strict: false }).deliver(smsRequest())).rejects.toMatchObject({ reason: 'unknown-channel', channel: 'sms' });
  });

  it('refuses to boot with a channel whose name is not the name it is given, or a value that is not a class', async () => {
    await expect(start(otpModule(registration, { channels: { fax: GatewaySmsChannel } }))).rejects.toThrow(
      'channels.fax: the channel\'s name is "sms"; it must be the name it is given in channels',
    );
    await expect(start(otpModule(registration, { channels: { fax: Symbol('fax') as never, 'Bad Name': VoiceChannel } }))).rejects.toThrow(
      /channels\.fax must be a channel class[\s\S]*channels\.Bad Name: a channel name is lower-case letters/,
    );
  });
});
