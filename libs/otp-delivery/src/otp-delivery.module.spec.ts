import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OtpDeliveryModule } from './otp-delivery.module.js';
import { OtpDeliveryConfigError } from './options/otp-delivery-config.error.js';
import type { OtpDeliveryModuleOptions } from './options/otp-delivery-module-options.js';
import { CardholderContactResolver } from './tokenization/cardholder-contact-resolver.interface.js';
import { CM_OPTIONS } from './cm/cm.constants.js';
import type { ResolvedCmOptions } from './cm/cm-options.js';
import { TOKENIZATION_OPTIONS } from './tokenization/tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization/tokenization-options.resolver.js';
import { SMS_CHANNEL } from './channels/otp-channel.tokens.js';
import type { OtpChannel, OtpChannelReceipt } from './channels/otp-channel.interface.js';

const options: OtpDeliveryModuleOptions = {
  cm: { sender: 'MyBank', otpApiVersion: 'v2', maxMessageParts: 10, otpBaseUrl: 'http://127.0.0.1:1', messagingBaseUrl: 'http://127.0.0.1:1' },
  tokenization: { issuerId: 'ISSUER0001', statusReportSecret: 'status-report-secret' },
};

const CONFIG = Symbol('CONFIG');

const resolver = { provide: CardholderContactResolver, useValue: { resolveByCard: async () => null, resolveByConsumer: async () => null } };

@Module({ providers: [{ provide: CONFIG, useValue: options }], exports: [CONFIG] })
class ConfigLikeModule {}

@Injectable()
class OptionsFactory {
  createOtpDeliveryOptions(): OtpDeliveryModuleOptions {
    return options;
  }
}

@Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
class ExistingFactoryModule {}

/** An issuer's service reading one feature's options, as the module's own services do. */
@Injectable()
class FeatureService {
  constructor(@Inject(CM_OPTIONS) readonly cm: ResolvedCmOptions) {}
}

@Module({ providers: [FeatureService] })
class FeatureModule {}

async function compiled(imports: Parameters<typeof Test.createTestingModule>[0]['imports']) {
  return Test.createTestingModule({ imports }).compile();
}

async function bootError(imports: Parameters<typeof Test.createTestingModule>[0]['imports']): Promise<OtpDeliveryConfigError> {
  const error = await compiled(imports).then(
    async (moduleRef) => {
      await moduleRef.close();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(OtpDeliveryConfigError);
  return error as OtpDeliveryConfigError;
}

describe('OtpDeliveryModule registration', () => {
  it.each([
    ['forRoot', () => OtpDeliveryModule.forRoot(options)],
    ['forRootAsync useFactory', () => OtpDeliveryModule.forRootAsync({ useFactory: () => options })],
    ['forRootAsync async useFactory', () => OtpDeliveryModule.forRootAsync({ useFactory: async () => options })],
    ['forRootAsync imports + inject', () => OtpDeliveryModule.forRootAsync({ imports: [ConfigLikeModule], inject: [CONFIG], useFactory: (config: OtpDeliveryModuleOptions) => config })],
    ['forRootAsync useClass', () => OtpDeliveryModule.forRootAsync({ useClass: OptionsFactory })],
    ['forRootAsync useExisting', () => OtpDeliveryModule.forRootAsync({ imports: [ExistingFactoryModule], useExisting: OptionsFactory })],
  ])('%s resolves each feature its own options', async (_name, register) => {
    const moduleRef = await compiled([register()]);
    expect(moduleRef.get<ResolvedCmOptions>(CM_OPTIONS, { strict: false })).toMatchObject({ sender: 'MyBank', otpApiVersion: 'v2', maxMessageParts: 10, connections: 16 });
    expect(moduleRef.get<ResolvedTokenizationOptions>(TOKENIZATION_OPTIONS, { strict: false })).toMatchObject({ issuerId: 'ISSUER0001', idempotencyLeaseMs: 7000 });
    await moduleRef.close();
  });

  it('boots with no options at all, and with CM alone: nothing else is required', async () => {
    await (await compiled([OtpDeliveryModule.forRoot({})])).close();
    await (await compiled([OtpDeliveryModule.forRoot()])).close();
    await (await compiled([OtpDeliveryModule.forRoot({ cm: { productToken: '00000000-0000-0000-0000-000000000001', sender: 'MyBank' } })])).close();
  });

  it('isGlobal makes the services injectable from modules that do not import it', async () => {
    const moduleRef = await compiled([OtpDeliveryModule.forRootAsync({ useFactory: () => options, isGlobal: true }), FeatureModule]);
    expect(moduleRef.get(FeatureService).cm.sender).toBe('MyBank');
    await moduleRef.close();
  });

  it('without isGlobal, a module that does not import it cannot inject its services', async () => {
    await expect(compiled([OtpDeliveryModule.forRoot(options), FeatureModule])).rejects.toThrow(/FeatureService/);
  });

  it('extraProviders join the module scope and are exported', async () => {
    const EXTRA = Symbol('EXTRA');
    const moduleRef = await compiled([OtpDeliveryModule.forRootAsync({ useFactory: () => options, extraProviders: [{ provide: EXTRA, useValue: 42 }] })]);
    expect(moduleRef.get(EXTRA, { strict: false })).toBe(42);
    await moduleRef.close();
  });
});

describe('OtpDeliveryModule boot checks', () => {
  it('refuses to boot with one error naming every bad key, never a value', async () => {
    const { problems, message } = await bootError([
      OtpDeliveryModule.forRootAsync({
        useFactory: () => ({ cm: { sender: 'TooLongSenderName', maxMessageParts: 0, otpBaseUrl: 'not a url', productToken: 'do-not-print-me' } }),
      }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'cm.sender must be 3 to 11 characters',
        expect.stringMatching(/^cm\.maxMessageParts must not be less than 1/),
        expect.stringMatching(/^cm\.otpBaseUrl must be a URL/),
        'cm.productToken must be a string or SecretValue (a GUID such as 00000000-0000-0000-0000-000000000000)',
      ]),
    );
    expect(message).not.toContain('do-not-print-me');
    expect(message).not.toContain('TooLongSenderName');
  });

  it('refuses unknown keys with the option meant, at every level', async () => {
    const { problems } = await bootError([
      OtpDeliveryModule.forRoot({ cm: { productTokn: 'x' }, store: { typ: 'redis' }, limts: {}, tokenization: { auth: { moed: 'none' } } } as never),
    ]);
    expect(problems).toEqual([
      'cm.productTokn is not an option (did you mean cm.productToken?)',
      'tokenization.auth.moed is not an option (did you mean tokenization.auth.mode?)',
      'store.typ is not an option (did you mean store.type?)',
      'limts is not an option (did you mean limits?)',
    ].sort((a, b) => problems.indexOf(a) - problems.indexOf(b)));
  });

  it('secrets are checked for type and length', async () => {
    const { problems } = await bootError([
      OtpDeliveryModule.forRoot({ tokenization: { methodIdSecret: 'short', statusReportSecret: 42 as never }, otp: { hashKey: 'tiny' } }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'tokenization.methodIdSecret must be a string or SecretValue (at least 32 characters)',
        'tokenization.statusReportSecret must be a string or SecretValue (at least 16 characters)',
        'otp.hashKey must be a string or SecretValue (at least 32 characters)',
      ]),
    );
  });

  it('lists the DI-level problems with the others, in one error, before any of the module\'s providers is created', async () => {
    let channelsCreated = 0;
    class CountingChannel implements OtpChannel {
      readonly name = 'voice';
      constructor() {
        channelsCreated += 1;
      }
      async deliver(): Promise<OtpChannelReceipt> {
        return { acceptedAt: new Date() };
      }
    }
    const { problems } = await bootError([
      OtpDeliveryModule.forRoot({
        cm: { sender: 'X' },
        channels: { voice: CountingChannel },
        delivery: { fallback: { sms: ['fax', 'email'] } },
        metrics: { enabled: true },
        callbacks: { classic: true, statusReports: true, d1: '/d1', clasic: true } as never,
        extraProviders: [{ provide: SMS_CHANNEL, useValue: null }],
        openApi: 'lazy' as never,
      }),
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        'cm.sender must be 3 to 11 characters',
        'delivery.fallback.sms: no channel is named "fax"',
        expect.stringMatching(/^delivery\.fallback\.sms: email as a fallback for SMS needs delivery\.allowEmailFallbackForSms: true/),
        'callbacks.clasic is not a callback group (classic, d1, statusReports) (did you mean classic?)',
        'tokenization.issuerId is required while callbacks.classic and callbacks.d1 are mounted',
        expect.stringMatching(/^a CardholderContactResolver provider is required while callbacks\.classic and callbacks\.d1 are mounted/),
        'tokenization.statusReportSecret is required while callbacks.statusReports is mounted',
        expect.stringMatching(/^extraProviders must not provide SMS_CHANNEL: replace the SMS channel with channels\.sms/),
        "openApi must be 'startup' or 'on-demand'",
      ]),
    );
    expect(channelsCreated).toBe(0);
  });

  it('refuses a fallback that names an unconfigured built-in channel, at either end, and boots while no fallback names it', async () => {
    class VoiceChannel implements OtpChannel {
      readonly name = 'voice';
      async deliver(): Promise<OtpChannelReceipt> {
        return { acceptedAt: new Date() };
      }
    }
    const { problems } = await bootError([
      OtpDeliveryModule.forRoot({ ...options, channels: { voice: VoiceChannel }, delivery: { fallback: { voice: ['email'], email: ['voice'], sms: ['voice'] } } }),
    ]);
    const unconfigured = (from: string, channel: string) => expect.stringMatching(new RegExp(`^delivery\\.fallback\\.${from}: the built-in ${channel} channel is not configured`));
    expect(problems).toEqual([unconfigured('voice', 'email'), unconfigured('email', 'email'), unconfigured('sms', 'sms')]);
    expect(problems[1]).toContain('set email.smtpUrl, email.transport or email.outbox, or name your own class in channels.email');
    // Email left unconfigured and named in no fallback: a boot warning, not an error.
    await (await compiled([OtpDeliveryModule.forRoot({ ...options, channels: { voice: VoiceChannel }, delivery: { fallback: { voice: ['sms'] } }, cm: { ...options.cm, productToken: '00000000-0000-0000-0000-000000000001' } })])).close();
  });

  it('names an extraProviders entry that is no provider, and a value that is no list, instead of failing in a TypeError', async () => {
    // `undefined`: a class read before its module finished loading, in an ESM import cycle.
    const entries = await bootError([OtpDeliveryModule.forRoot({ ...options, extraProviders: [resolver, undefined as never, 'x' as never] })]);
    expect(entries.problems).toEqual([
      'extraProviders[1] is undefined: a class imported before its module finished loading (an import cycle)?',
      'extraProviders[2] must be a class or { provide, useClass | useValue | useFactory | useExisting }',
    ]);
    const list = await bootError([OtpDeliveryModule.forRootAsync({ useFactory: () => options, extraProviders: resolver as never })]);
    expect(list.problems).toEqual(['extraProviders must be an array of providers']);
  });

  it('says where extras belong when a forRootAsync factory answers them, and takes isGlobal only as a boolean', async () => {
    const inFactory = await bootError([OtpDeliveryModule.forRootAsync({ useFactory: () => ({ ...options, callbacks: { classic: true }, isGlobal: true }) as OtpDeliveryModuleOptions })]);
    expect(inFactory.problems).toEqual([
      'isGlobal is not an option: in forRootAsync it goes beside useFactory (or useClass / useExisting), not in the options they answer',
      'callbacks is not an option: in forRootAsync it goes beside useFactory (or useClass / useExisting), not in the options they answer',
    ]);
    const notBoolean = await bootError([OtpDeliveryModule.forRoot({ ...options, isGlobal: 'yes' as never })]);
    expect(notBoolean.problems).toEqual(['isGlobal must be true or false']);
  });

  it('takes only regions libphonenumber-js knows for cm.defaultRegion and the limits, not merely two capitals', async () => {
    const { problems } = await bootError([
      OtpDeliveryModule.forRoot({ ...options, cm: { ...options.cm, defaultRegion: 'ZZ' }, limits: { allowedCountries: ['JP', 'QQ'], defaultRegion: 'XX' } }),
    ]);
    expect(problems).toEqual([
      'cm.defaultRegion must be an ISO 3166 alpha-2 country code libphonenumber-js knows, such as JP',
      'limits.allowedCountries must hold ISO 3166 alpha-2 codes libphonenumber-js knows, such as JP',
      'limits.defaultRegion must be an ISO 3166 alpha-2 country code libphonenumber-js knows, such as JP',
    ]);
  });

  it('mounts what callbacks ask for and requires only what they need', async () => {
    // Status reports alone: a secret, no issuer id, no resolver.
    await (await compiled([OtpDeliveryModule.forRoot({ tokenization: { statusReportSecret: 'status-report-secret' }, callbacks: { statusReports: true } })])).close();
    // Classic: issuer id and resolver.
    await (await compiled([OtpDeliveryModule.forRoot({ ...options, callbacks: { classic: true }, extraProviders: [resolver] })])).close();
  });
});
