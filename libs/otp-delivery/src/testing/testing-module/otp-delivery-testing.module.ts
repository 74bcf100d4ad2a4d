import { Inject, Injectable, Module, type DynamicModule, type OnApplicationShutdown, type Provider } from '@nestjs/common';
import { OtpDeliveryModule } from '../../otp-delivery.module.js';
import { CardholderContactResolver } from '../../tokenization/cardholder-contact-resolver.interface.js';
import { CmSandbox } from '../cm-sandbox/cm-sandbox.js';
import type { CmSandboxOptions } from '../cm-sandbox/cm-sandbox.types.js';
import { EmailOutbox } from '../email-outbox/email-outbox.js';
import { mergeTestOptions, type OtpDeliveryTestingModuleOptions } from './otp-delivery-testing-options.js';

/** Carries the sandbox and the outbox, imported by the testing module and by `OtpDeliveryModule`'s factory. */
@Module({})
class OtpDeliveryTestingSandboxesModule {}

/** Closes the sandbox at shutdown, after the module's own services (this module is shallower, so its hooks run later). */
@Injectable()
class SandboxShutdown implements OnApplicationShutdown {
  constructor(@Inject(CmSandbox) private readonly sandbox: CmSandbox) {}

  async onApplicationShutdown(): Promise<void> {
    await this.sandbox.close();
  }
}

/**
 * `OtpDeliveryModule` wired to a started `CmSandbox` and an `EmailOutbox`, with test defaults
 * (`OTP_DELIVERY_TEST_DEFAULTS`): the sandbox's URLs and product token, email to the outbox, an
 * issuer id, 32-character test secrets, callers unchecked (`auth.mode: 'none'`), rate limits with
 * room for a whole suite. Every option of `OtpDeliveryModule` can be given, merged group by group
 * over those defaults; `callbacks` mounts the callbacks, `resolver` is the cardholder directory.
 * The sandbox and the outbox are providers (their classes are the tokens); the sandbox starts
 * before the module and closes when the app does.
 *
 * @example
 * const moduleRef = await Test.createTestingModule({
 *   imports: [OtpDeliveryTestingModule.forRoot({ callbacks: { classic: true }, resolver: Cardholders })],
 * }).compile();
 * await moduleRef.get(OtpDeliveryService).deliver({ code: new SecretValue('123456'), channel: 'sms', destination: '+819012345678' });
 * expect(moduleRef.get(CmSandbox).outbox[0].text).toContain('123456');
 */
@Module({})
export class OtpDeliveryTestingModule {
  /** The module on a sandbox and an outbox, `options` merged group by group over the test defaults. */
  static forRoot(options: OtpDeliveryTestingModuleOptions = {}): DynamicModule {
    const sandboxes: DynamicModule = {
      module: OtpDeliveryTestingSandboxesModule,
      providers: [
        { provide: CmSandbox, useFactory: startSandbox(options.sandbox) },
        { provide: EmailOutbox, useFactory: () => new EmailOutbox({ log: false, ...options.outbox }) },
      ],
      exports: [CmSandbox, EmailOutbox],
    };
    const otpDelivery = OtpDeliveryModule.forRootAsync({
      imports: [sandboxes, ...(options.imports ?? [])],
      inject: [CmSandbox, EmailOutbox],
      useFactory: (sandbox: CmSandbox, outbox: EmailOutbox) => mergeTestOptions(sandbox, outbox, options),
      isGlobal: options.isGlobal ?? true,
      callbacks: options.callbacks,
      openApi: options.openApi,
      // Anything but a list is handed on as given, for the module's boot check to name it.
      extraProviders: Array.isArray(options.extraProviders) || options.extraProviders === undefined ? [...resolverProvider(options.resolver), ...(options.extraProviders ?? [])] : options.extraProviders,
    });
    return {
      module: OtpDeliveryTestingModule,
      imports: [sandboxes, otpDelivery],
      providers: [SandboxShutdown],
      exports: [sandboxes, otpDelivery],
    };
  }
}

function startSandbox(sandboxOptions: CmSandboxOptions | undefined): () => Promise<CmSandbox> {
  return async () => {
    const sandbox = await CmSandbox.start(sandboxOptions);
    sandbox.unref();
    return sandbox;
  };
}

function resolverProvider(resolver: OtpDeliveryTestingModuleOptions['resolver']): Provider[] {
  if (resolver === undefined) return [];
  return [typeof resolver === 'function' ? { provide: CardholderContactResolver, useClass: resolver } : { provide: CardholderContactResolver, useValue: resolver }];
}
