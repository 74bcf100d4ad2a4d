// A throwaway issuer app outside the monorepo: it sees only the packed `nestjs-otp-delivery`.
import 'reflect-metadata';
import { Controller, Get, Inject, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OTP_DELIVERY_OPTIONS, OtpDeliveryModule, type OtpDeliveryModuleOptions } from 'nestjs-otp-delivery';

@Controller('probe')
class ProbeController {
  constructor(@Inject(OTP_DELIVERY_OPTIONS) private readonly options: OtpDeliveryModuleOptions) {}

  @Get()
  probe() {
    return { sender: this.options.cm?.sender };
  }
}

@Module({
  imports: [OtpDeliveryModule.forRootAsync({ isGlobal: true, useFactory: async () => ({ cm: { sender: 'PackedApp' } }) })],
  controllers: [ProbeController],
})
class AppModule {}

const app = await NestFactory.create(AppModule, { logger: false });
await app.listen(0, '127.0.0.1');
const { port } = app.getHttpServer().address();
const probe = await (await fetch(`http://127.0.0.1:${port}/probe`)).json();

@Module({ imports: [OtpDeliveryModule.forRoot({ cm: { sender: 'X', maxMessageParts: 99 } })] })
class MisconfiguredModule {}

let bootError = '';
try {
  await NestFactory.createApplicationContext(MisconfiguredModule, { logger: false, abortOnError: false });
} catch (error) {
  bootError = (error as Error).message;
}
await app.close();
console.log(JSON.stringify({ probe, bootError }));
