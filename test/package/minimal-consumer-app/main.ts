// A throwaway issuer app with the fewest packages: no @nestjs/swagger, no @nestjs/terminus, no
// prom-client. It sees only the packed `nestjs-otp-delivery`.
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CardholderContactResolver, IdvMethodsService, OtpDeliveryHealthIndicator, OtpDeliveryModule, type CardholderContact } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';

/** Whether the app could load `name` (the optional peers must really be absent for this app to prove anything). */
function installed(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

@Injectable()
class Cardholders implements CardholderContactResolver {
  private readonly hanako: CardholderContact = { phoneNumber: '+81 80-2345-6789', locale: 'ja-JP', panLastFour: '1881' };

  async resolveByCard(issuerCardRefId: string) {
    return issuerCardRefId === 'card-2' ? this.hanako : null;
  }

  async resolveByConsumer() {
    return null;
  }
}

const sandbox = await CmSandbox.start({ log: false });

@Module({
  imports: [
    OtpDeliveryModule.forRoot({
      cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url, sender: 'MinimalApp' },
      tokenization: { issuerId: 'ISSUER0002', auth: { mode: 'none' } },
      callbacks: { classic: true },
      extraProviders: [{ provide: CardholderContactResolver, useClass: Cardholders }],
    }),
  ],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const [sms] = await app.get(IdvMethodsService).forCard('card-2');
const send = (body: Record<string, unknown>) =>
  fetch(`http://127.0.0.1:${port}/issuer/igwapi/v2.0/sendOTP`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-correlation-id': 'minimal-1', 'x-issuer-id': 'ISSUER0002' },
    body: JSON.stringify(body),
  });
const response = await send({ issuerCardRefId: 'card-2', otpValue: '135790', otpMethodId: sms?.id, walletProviderId: 'GOOGLE_PAY' });
const sendOtp = { status: response.status, body: await response.json() };
// The DTO checks run without swagger's decorators: a bad body still gets the Thales 112.
const invalid = await send({ issuerCardRefId: 'card-2', otpValue: 'not-a-code', otpMethodId: sms?.id });
const invalidSendOtp = { status: invalid.status, body: await invalid.json() };
const delivered = sandbox.outbox.map((message) => ({ to: message.to, containsCode: message.text.includes('135790') }));
// The health indicator without Terminus: plain results, ready for a Terminus app elsewhere.
const health = { cm: await app.get(OtpDeliveryHealthIndicator).checkCm(), store: await app.get(OtpDeliveryHealthIndicator).checkStore() };
await app.close();
await sandbox.close();
const peers = { swagger: installed('@nestjs/swagger'), terminus: installed('@nestjs/terminus'), promClient: installed('prom-client') };
console.log(JSON.stringify({ peers, sendOtp, invalidSendOtp, delivered, health }));
