import { Inject, Injectable, Module } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OtpDeliveryModule } from './otp-delivery.module.js';
import { OTP_DELIVERY_OPTIONS } from './otp-delivery.constants.js';
import { OtpDeliveryConfigError } from './options/otp-delivery-config.error.js';
import type { OtpDeliveryModuleOptions } from './options/otp-delivery-module-options.js';
import { CardholderContactResolver } from './tokenization/cardholder-contact-resolver.interface.js';

const options: OtpDeliveryModuleOptions = {
  cm: { sender: 'MyBank', otpApiVersion: 'v2', maxMessageParts: 10, otpBaseUrl: 'http://127.0.0.1:1', messagingBaseUrl: 'http://127.0.0.1:1' },
  tokenization: { issuerId: 'ISSUER0001', statusReportSecret: 'status-report-secret' },
};

const CONFIG = Symbol('CONFIG');

/** The callbacks are mounted by default and need the issuer's contact lookup. */
const extraProviders = [{ provide: CardholderContactResolver, useValue: { resolveByCard: async () => null, resolveByConsumer: async () => null } }];

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

@Injectable()
class FeatureService {
  constructor(@Inject(OTP_DELIVERY_OPTIONS) readonly options: OtpDeliveryModuleOptions) {}
}

@Module({ providers: [FeatureService] })
class FeatureModule {}

async function resolvedOptions(imports: Parameters<typeof Test.createTestingModule>[0]['imports']) {
  const moduleRef = await Test.createTestingModule({ imports }).compile();
  const resolved = moduleRef.get<OtpDeliveryModuleOptions>(OTP_DELIVERY_OPTIONS, { strict: false });
  await moduleRef.close();
  return resolved;
}

describe('OtpDeliveryModule registration', () => {
  it.each([
    ['forRoot', () => OtpDeliveryModule.forRoot({ ...options, extraProviders })],
    ['forRootAsync useFactory', () => OtpDeliveryModule.forRootAsync({ useFactory: () => options, extraProviders })],
    ['forRootAsync async useFactory', () => OtpDeliveryModule.forRootAsync({ useFactory: async () => options, extraProviders })],
    [
      'forRootAsync imports + inject',
      () => OtpDeliveryModule.forRootAsync({ imports: [ConfigLikeModule], inject: [CONFIG], useFactory: (config: OtpDeliveryModuleOptions) => config, extraProviders }),
    ],
    ['forRootAsync useClass', () => OtpDeliveryModule.forRootAsync({ useClass: OptionsFactory, extraProviders })],
    ['forRootAsync useExisting', () => OtpDeliveryModule.forRootAsync({ imports: [ExistingFactoryModule], useExisting: OptionsFactory, extraProviders })],
  ])('%s resolves the validated options', async (_name, register) => {
    const resolved = await resolvedOptions([register()]);
    expect(resolved.cm).toEqual(options.cm);
    expect(resolved.tokenization?.issuerId).toBe('ISSUER0001');
  });

  it('isGlobal makes the services injectable from modules that do not import it', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRootAsync({ useFactory: () => options, isGlobal: true, extraProviders }), FeatureModule],
    }).compile();
    expect(moduleRef.get(FeatureService).options.cm?.sender).toBe('MyBank');
    await moduleRef.close();
  });

  it('without isGlobal, a module that does not import it cannot inject its services', async () => {
    const compile = Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ ...options, extraProviders }), FeatureModule],
    }).compile();
    await expect(compile).rejects.toThrow(/FeatureService/);
  });

  it('extraProviders join the module scope and are exported', async () => {
    const EXTRA = Symbol('EXTRA');
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRootAsync({ useFactory: () => options, extraProviders: [...extraProviders, { provide: EXTRA, useValue: 42 }] })],
    }).compile();
    expect(moduleRef.get(EXTRA, { strict: false })).toBe(42);
    await moduleRef.close();
  });

  it('refuses to boot with one error naming every bad key', async () => {
    const compile = Test.createTestingModule({
      imports: [
        OtpDeliveryModule.forRootAsync({
          useFactory: () => ({ cm: { sender: 'TooLongSenderName', maxMessageParts: 0, otpBaseUrl: 'not a url', productToken: 'do-not-print-me' } }),
        }),
      ],
    }).compile();
    const error = await compile.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    const { problems, message } = error as OtpDeliveryConfigError;
    expect(problems).toEqual(
      expect.arrayContaining(['cm.sender must be 3 to 11 characters', expect.stringMatching(/^cm\.maxMessageParts must not be less than 1/), expect.stringMatching(/^cm\.otpBaseUrl must be a URL/)]),
    );
    expect(message).not.toContain('do-not-print-me');
    expect(message).not.toContain('TooLongSenderName');
  });
});
