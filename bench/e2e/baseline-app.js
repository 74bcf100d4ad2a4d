// The baseline: a bare Nest 12 app on Express (the sample app's HTTP adapter) with one controller
// that makes the single Business Messaging call the module makes, and nothing else: no
// validation, no idempotency, no contact lookup, no limits, no templates, no log line per request.
//
// It is meant to be the fastest honest way to do that call, so the ratio measures the module:
// - the same client as the module: `undici` `Pool.request` on a keep-alive pool configured like
//   `CmHttpClient` (libs/otp-delivery/src/cm/cm-http.client.ts: connections, connect/headers/body
//   timeouts, keepAliveTimeout, the same three headers, `x-cm-producttoken` included);
// - the same JSON body as `CmMessagingClient` (cm-messaging.client.ts) with the sample app's
//   settings: `messages.msg[]` with from, to in `00` form, body auto, reference (a 32-hex-digit
//   random id made as the module makes its delivery id: `randomUUID` without hyphens, which draws
//   from Node's cached entropy pool; `randomBytes` per request cost the bare app 29 us of its
//   243 us per request in a profile here), validity, allowedChannels SMS, min/max parts;
// - CM's success rule, with the answer parsed: HTTP 200, errorCode 0, every message Accepted
//   (anything else answers 502, which the bench counts as a failure);
// - in the other direction, it does no more than one CM call per request. The phone number
//   arrives ready in CM's `00` form and the text is built with a template literal.
// Plain JavaScript, so decorators are applied as functions.
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Body, Controller, HttpCode, HttpException, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Pool } from 'undici';

const messagingUrl = new URL(process.env.CM_MESSAGING_URL);
const path = `${messagingUrl.pathname.replace(/\/$/, '')}/v1.0/message`;
const headers = {
  'content-type': 'application/json',
  accept: 'application/json',
  'x-cm-producttoken': process.env.CM_PRODUCT_TOKEN,
};
/** `CmHttpClient`'s pool with the module's defaults (`cm.connections` 16, connect 2 s, request 5 s). */
const pool = new Pool(messagingUrl.origin, {
  connections: Number(process.env.CM_CONNECTIONS ?? 16),
  connect: { timeout: 2000 },
  headersTimeout: 5000,
  bodyTimeout: 5000,
  keepAliveTimeout: 4_000,
});
/** The sample app's `cm.sender`, `cm.maxMessageParts` and the SMS validity of a 300 s code. */
const SENDER = 'MyBank';
const MAX_PARTS = 10;
const VALIDITY = '5m';

/** CM's success rule: HTTP 200, errorCode 0, and every message Accepted. */
function accepted(statusCode, text) {
  if (statusCode !== 200) return false;
  let answer;
  try {
    answer = JSON.parse(text);
  } catch {
    return false;
  }
  return answer?.errorCode === 0 && Array.isArray(answer.messages) && answer.messages.length > 0 && answer.messages.every((m) => m?.status === 'Accepted');
}

class SendOtpController {
  async sendOtp(body) {
    const message = {
      from: SENDER,
      to: [{ number: body.phone }],
      body: { type: 'auto', content: `MyBank: ${body.otpValue} is your code to add your card ending 1234 to Apple Pay. It expires in 5 min. Never share it.` },
      reference: randomUUID().replaceAll('-', ''),
      validity: VALIDITY,
      allowedChannels: ['SMS'],
      minimumNumberOfMessageParts: 1,
      maximumNumberOfMessageParts: MAX_PARTS,
    };
    const answer = await pool.request({ method: 'POST', path, headers, body: JSON.stringify({ messages: { msg: [message] } }) });
    const text = await answer.body.text();
    if (!accepted(answer.statusCode, text)) throw new HttpException({ error: 'CM did not accept the message' }, 502);
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
process.once('SIGTERM', async () => {
  await app.close();
  await pool.close();
});
