// A CommonJS issuer app outside the monorepo: its package.json has no "type": "module" and tsc
// compiles it with "module": "commonjs" (moduleResolution node10), so these imports become
// require() calls, and Node loads the ES modules of nestjs-otp-delivery (and of Nest 12) through
// require(esm). Types of `nestjs-otp-delivery/testing` resolve through the package's typesVersions.
import 'reflect-metadata';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CardholderContactResolver, IdvMethodsService, OtpDeliveryService, SecretValue, type CardholderContact } from 'nestjs-otp-delivery';
import { CmSandbox, EmailOutbox, OTP_DELIVERY_TEST_DEFAULTS, OtpDeliveryTestingModule } from 'nestjs-otp-delivery/testing';

@Injectable()
class Cardholders implements CardholderContactResolver {
  private readonly hanako: CardholderContact = { phoneNumber: '+81 80-2345-6789', email: 'hanako@example.jp', locale: 'en-GB', panLastFour: '1881' };

  async resolveByCard(issuerCardRefId: string) {
    return issuerCardRefId === 'card-cjs' ? this.hanako : null;
  }

  async resolveByConsumer() {
    return null;
  }
}

@Module({ imports: [OtpDeliveryTestingModule.forRoot({ callbacks: { classic: true }, resolver: Cardholders })] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: false });
  await app.listen(0, '127.0.0.1');
  const [sms] = await app.get(IdvMethodsService).forCard('card-cjs');
  const response = await fetch(`${await app.getUrl()}/issuer/igwapi/v2.0/sendOTP`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'cjs-1', 'x-issuer-id': OTP_DELIVERY_TEST_DEFAULTS.issuerId },
    body: JSON.stringify({ issuerCardRefId: 'card-cjs', otpValue: '975310', otpMethodId: sms?.id }),
  });
  await app.get(OtpDeliveryService).deliver({ code: new SecretValue('864200'), channel: 'email', destination: 'hanako@example.jp' });
  const result = {
    // `module` exists only in a CommonJS module: proof this file ran as one.
    moduleFormat: typeof module === 'object' && typeof require === 'function' ? 'commonjs' : 'esm',
    sendOtp: { status: response.status, body: await response.json() },
    sms: app.get(CmSandbox).outbox.map((message) => ({ to: message.to, containsCode: message.text.includes('975310') })),
    email: app.get(EmailOutbox).messages.map((message) => ({ to: message.to, containsCode: message.text.includes('864200') })),
  };
  await app.close();
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
