// A throwaway issuer app outside the monorepo: it sees only the packed `nestjs-otp-delivery`, with
// the optional peers @nestjs/swagger and @nestjs/terminus installed.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { CardholderContactResolver, IdvMethodsService, OtpDeliveryHealthIndicator, OtpDeliveryModule, type CardholderContact } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';

@Injectable()
class Cardholders implements CardholderContactResolver {
  private readonly taro: CardholderContact = { phoneNumber: '+81 90-1234-5678', locale: 'ja-JP', panLastFour: '4242' };

  async resolveByCard(issuerCardRefId: string) {
    return issuerCardRefId === 'card-1' ? this.taro : null;
  }

  async resolveByConsumer() {
    return null;
  }
}

/** The health endpoint as the README shows it: the app's own TerminusModule, imported once. */
@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly otp: OtpDeliveryHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.otp.checkCm(), () => this.otp.checkSmtp(), () => this.otp.checkStore()]);
  }
}

const sandbox = await CmSandbox.start();

@Module({
  imports: [
    TerminusModule,
    OtpDeliveryModule.forRootAsync({
      useFactory: async () => ({
        cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url, sender: 'PackedApp' },
        tokenization: { issuerId: 'ISSUER0001', auth: { mode: 'none' }, statusReportSecret: 'packed-app-status-report-secret-0001' },
      }),
      callbacks: { classic: true, d1: true, statusReports: true },
      extraProviders: [{ provide: CardholderContactResolver, useClass: Cardholders }],
    }),
  ],
  controllers: [HealthController],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
const document = SwaggerModule.createDocument(app, new DocumentBuilder().build());
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const [sms] = await app.get(IdvMethodsService).forCard('card-1');
const response = await fetch(`http://127.0.0.1:${port}/issuer/igwapi/v2.0/sendOTP`, {
  method: 'POST',
  headers: { 'content-type': 'application/json', 'x-correlation-id': 'packed-1', 'x-issuer-id': 'ISSUER0001' },
  body: JSON.stringify({ issuerCardRefId: 'card-1', otpValue: '024681', otpMethodId: sms?.id, walletProviderId: 'APPLE_PAY' }),
});
const sendOtp = { status: response.status, body: await response.json() };
const delivered = sandbox.outbox.map((message) => ({ to: message.to, containsCode: message.text.includes('024681'), encoding: message.encoding }));
const healthResponse = await fetch(`http://127.0.0.1:${port}/health`);
const health = { status: healthResponse.status, body: await healthResponse.json() };
const openapi = { paths: document.paths, components: document.components };

@Module({ imports: [OtpDeliveryModule.forRoot({ cm: { sender: 'X', maxMessageParts: 99 } })] })
class MisconfiguredModule {}

let bootError = '';
try {
  await NestFactory.createApplicationContext(MisconfiguredModule, { logger: false, abortOnError: false });
} catch (error) {
  bootError = (error as Error).message;
}
await app.close();
await sandbox.close();
console.log(JSON.stringify({ sendOtp, delivered, bootError, health, openapi }));
