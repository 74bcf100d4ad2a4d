// The baseline: a bare Nest app with one controller that makes the same single Business
// Messaging call with plain fetch and nothing else (no validation, no idempotency, no limits,
// no templates). Plain JavaScript, so decorators are applied as functions.
import 'reflect-metadata';
import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

const messagingUrl = `${process.env.CM_MESSAGING_URL}/v1.0/message`;
const productToken = process.env.CM_PRODUCT_TOKEN;
let sequence = 0;

class SendOtpController {
  async sendOtp(body) {
    const reference = `b${process.pid}x${++sequence}`;
    const response = await fetch(messagingUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-cm-producttoken': productToken },
      body: JSON.stringify({
        messages: {
          msg: [
            {
              from: 'MyBank',
              to: [{ number: body.phone }],
              body: { type: 'auto', content: `Your code is ${body.otpValue}` },
              reference,
              allowedChannels: ['SMS'],
            },
          ],
        },
      }),
    });
    await response.arrayBuffer();
    return {};
  }
}
Controller('issuer/igwapi/v2.0')(SendOtpController);
const descriptor = Object.getOwnPropertyDescriptor(SendOtpController.prototype, 'sendOtp');
Post('sendOTP')(SendOtpController.prototype, 'sendOtp', descriptor);
HttpCode(200)(SendOtpController.prototype, 'sendOtp', descriptor);
Body()(SendOtpController.prototype, 'sendOtp', 0);

class BaselineModule {}
Module({ controllers: [SendOtpController] })(BaselineModule);

const app = await NestFactory.create(BaselineModule, { logger: ['error'] });
await app.listen(Number(process.env.PORT ?? 0), '127.0.0.1');
console.log(`listening on http://localhost:${app.getHttpServer().address().port}`);
process.once('SIGTERM', () => void app.close());
