import type { LoggerService } from '@nestjs/common';
import { Test, type TestingModule } from '@nestjs/testing';
import { OtpDeliveryModule, SecretValue, type OtpDeliveryModuleForRootOptions } from 'nestjs-otp-delivery';

/** The code every email test delivers. */
export const CODE = '904417';

/** Boots `OtpDeliveryModule.forRoot(options)` and initialises it (the SMTP transporter is created here). */
export async function boot(options: OtpDeliveryModuleForRootOptions, logger?: LoggerService): Promise<TestingModule> {
  const builder = Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({ ...options })] });
  // Set before compiling: the transporter, created while compiling, logs then.
  if (logger) builder.setLogger(logger);
  return (await builder.compile()).init();
}

/** A delivery of `CODE` by email, in Japanese, to add a card to Apple Pay. */
export const japaneseDelivery = (destination: string) => ({
  code: new SecretValue(CODE),
  channel: 'email',
  destination,
  context: { locale: 'ja-JP', panLastFour: '4111111111111234', walletProviderId: 'APPLE_PAY', expiresInSeconds: 600, correlationId: 'c-42' },
});

/** What `promise` rejects with; fails when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}
