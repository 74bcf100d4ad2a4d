// Boots the built nestjs-otp-delivery the way an issuer's app does, then prints which of the
// optional or on-demand packages were loaded:
// `node --import ../../support/record-imports.mjs boot.mjs <scenario>`.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OtpDeliveryModule } from 'nestjs-otp-delivery';
import { EmailOutbox } from 'nestjs-otp-delivery/testing';

const WATCHED = ['ioredis', 'nodemailer', '@nestjs/terminus', '@nestjs/swagger'];

const scenarios = {
  // The memory store, no email, no callbacks.
  minimal: {},
  // Redis (unreachable: the store connects lazily and boot does not wait for it) and the email outbox.
  configured: {
    store: { type: 'redis', redisUrl: 'redis://127.0.0.1:1', commandTimeoutMs: 100 },
    email: { outbox: new EmailOutbox({ log: false }), from: 'no-reply@bank.test' },
  },
};
const options = scenarios[process.argv[2]];
if (!options) throw new Error(`unknown scenario ${process.argv[2]}`);

class AppModule {}
Module({ imports: [OtpDeliveryModule.forRoot(options)] })(AppModule);

const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
await app.init();

const imported = readFileSync(process.env.LOADED_MODULES_LOG, 'utf8').split('\n');
const required = Object.keys(createRequire(import.meta.url).cache);
const loaded = WATCHED.filter((name) => {
  const folder = `/node_modules/${name}/`;
  return imported.some((url) => url.includes(folder)) || required.some((path) => path.includes(folder));
});
await app.close();
console.log(JSON.stringify({ booted: true, loaded }));
