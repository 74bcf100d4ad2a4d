import { Test } from '@nestjs/testing';
import {
  OtpDeliveryConfigError,
  OtpDeliveryModule,
  OtpDeliveryService,
  type OtpDeliveryModuleOptions,
} from 'nestjs-otp-delivery';
import { EmailOutbox } from 'nestjs-otp-delivery/testing';
import { OtpTemplateRenderer } from '../../libs/otp-delivery/src/templates/otp-template-renderer.service.js';

const registrations = {
  forRoot: (options: OtpDeliveryModuleOptions) => OtpDeliveryModule.forRoot({ ...options }),
  forRootAsync: (options: OtpDeliveryModuleOptions) => OtpDeliveryModule.forRootAsync({ useFactory: async () => options }),
};

async function bootError(register: (options: OtpDeliveryModuleOptions) => ReturnType<typeof OtpDeliveryModule.forRoot>, options: OtpDeliveryModuleOptions): Promise<Error> {
  const moduleRef = await Test.createTestingModule({ imports: [register(options)] })
    .compile()
    .then(
      (m) => m,
      (error: unknown) => error as Error,
    );
  if (moduleRef instanceof Error) return moduleRef;
  await moduleRef.close();
  throw new Error('expected the boot to fail');
}

describe.each(Object.entries(registrations))('Startup checks of templates and delivery options (%s)', (_name, register) => {
  it('stops the boot on template problems, every one named by template and problem', async () => {
    const error = await bootError(register, {
      cm: { maxMessageParts: 2 },
      templates: {
        issuerName: 'MyBank',
        variables: { branch: { maxLength: 200 } },
        locales: {
          ja: { emailText: 'コードをお知らせします。' },
          en: { sms: '{{code}} at {{branch}}', emailHtml: '<p>{{code}} for {{cardholderName}}</p>' },
        },
      },
    });
    // Template problems come in the one list of option problems.
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect((error as OtpDeliveryConfigError).problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^templates\.locales\.ja\.emailText \(email\): has no OTP placeholder/),
        expect.stringMatching(/^templates\.locales\.en\.emailHtml \(email\): unknown placeholder \{\{cardholderName\}\}/),
      ]),
    );
    expect(error.message).toContain('templates.locales.ja.emailText (email): has no OTP placeholder');
    expect(error.message).toContain('templates.locales.en.emailHtml (email): unknown placeholder {{cardholderName}}');
  });

  it('stops the boot when an SMS template\'s worst case is over cm.maxMessageParts', async () => {
    const error = await bootError(register, {
      cm: { maxMessageParts: 2 },
      templates: { variables: { branch: { maxLength: 200 } }, locales: { en: { sms: '{{code}} at {{branch}}' } } },
    });
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect(error.message).toContain('templates.locales.en.sms (sms): worst case is 214 UCS-2 characters in 4 parts, over the maximum of 2 (cm.maxMessageParts)');
  });

  it('stops the boot on an SMS -> email fallback unless the issuer allows it', async () => {
    const error = await bootError(register, { delivery: { fallback: { sms: ['email'] } } });
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect(error.message).toContain('delivery.fallback.sms: email as a fallback for SMS needs delivery.allowEmailFallbackForSms: true');
  });

  it('stops the boot on bad option values, naming the key', async () => {
    const error = await bootError(register, {
      delivery: { deadlineMs: 0 },
      templates: { defaultLocale: 'not a locale' },
      email: { smtpUrl: 'http://mail' },
      channels: { sms: 'MyChannel' as never },
    });
    expect(error).toBeInstanceOf(OtpDeliveryConfigError);
    expect((error as OtpDeliveryConfigError).problems).toEqual(
      expect.arrayContaining([
        'delivery.deadlineMs must be at least 1',
        'templates.defaultLocale must be a BCP 47 language tag such as ja or en-GB',
        'email.smtpUrl must be a string or SecretValue (an smtp:// or smtps:// URL)',
        'channels.sms must be a channel class or false',
      ]),
    );
  });

  it('boots with the shipped templates and valid options', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        register({
          templates: { defaultLocale: 'ja', issuerName: 'MyBank' },
          // Both ends of a fallback must be able to send: an unconfigured built-in channel in one stops the boot.
          cm: { productToken: '00000000-0000-0000-0000-000000000001' },
          email: { outbox: new EmailOutbox({ log: false }), from: 'no-reply@email.mybank.test' },
          delivery: { fallback: { sms: ['email'] }, allowEmailFallbackForSms: true },
        }),
      ],
    }).compile();
    try {
      expect(moduleRef.get(OtpTemplateRenderer, { strict: false }).defaultLocale).toBe('ja');
      expect(moduleRef.get(OtpDeliveryService, { strict: false }).channelNames).toEqual(['sms', 'email']);
    } finally {
      await moduleRef.close();
    }
  });
});
