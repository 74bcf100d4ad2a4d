// Boots the built nestjs-otp-delivery the way an issuer's app does, then prints which of the
// optional or on-demand packages were loaded:
// `node --import ../../support/record-imports.mjs boot.mjs <scenario>`.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { EMAIL_CHANNEL, OtpDeliveryModule, SecretValue, applyOtpDeliveryOpenApi } from 'nestjs-otp-delivery';
import { EmailOutbox } from 'nestjs-otp-delivery/testing';

const WATCHED = ['ioredis', 'nodemailer', '@nestjs/terminus', '@nestjs/swagger'];

const outbox = new EmailOutbox({ log: false });
const scenarios = {
  // The memory store, no email, no callbacks.
  minimal: {},
  // Redis (unreachable: the store connects lazily and boot does not wait for it) and the email outbox.
  configured: {
    store: { type: 'redis', redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 100 },
    email: { outbox, from: 'no-reply@bank.test' },
  },
  // An SMTP server (unreachable: nodemailer connects on the first message).
  smtp: { email: { smtpUrl: 'smtp://127.0.0.1:1', from: 'no-reply@bank.test' } },
  // The memory store, with the callbacks' OpenAPI metadata left for the app to apply.
  'on-demand': { openApi: 'on-demand' },
};
const options = scenarios[process.argv[2]];
if (!options) throw new Error(`unknown scenario ${process.argv[2]}`);

class AppModule {}
Module({ imports: [OtpDeliveryModule.forRoot(options)] })(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
await app.init();

// The recorder logs ES modules and CommonJS loads alike.
const loadedSoFar = () => {
  const recorded = readFileSync(process.env.LOADED_MODULES_LOG, 'utf8').split('\n');
  return WATCHED.filter((name) => recorded.some((entry) => entry.includes(`/node_modules/${name}/`)));
};
const loaded = loadedSoFar();
// What the app does later (and what it loads then): the first email through the outbox, or the
// first build of its OpenAPI document.
let emailsKept;
let swaggerFound;
if (process.argv[2] === 'configured') {
  const email = app.get(EMAIL_CHANNEL);
  await email.deliver({ deliveryId: 'd1', destination: 'taro@example.com', text: new SecretValue('Your code'), subject: 'Code', locale: 'en' });
  emailsKept = outbox.messages.length;
} else {
  swaggerFound = applyOtpDeliveryOpenApi();
}
await app.close();
console.log(JSON.stringify({ booted: true, loaded, emailsKept, swaggerFound, loadedLater: loadedSoFar().filter((name) => !loaded.includes(name)) }));
