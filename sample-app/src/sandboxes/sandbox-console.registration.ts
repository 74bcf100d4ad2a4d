import { ConditionalModule, ConfigService } from '@nestjs/config';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:net';
import { OtpDeliveryEvents } from 'nestjs-otp-delivery';
import { issuerIdOf } from '../config/otp-delivery-options.factory.js';
import { JsonFileCardholderResolver, SAMPLE_CARDHOLDERS_FILE } from '../cardholders/index.js';
import type { Environment } from '../config/environment.js';
import { SandboxConsoleModule, loopbackUrlOf, type SandboxConsoleOptions } from '../sandbox-console/index.js';
import { EmbeddedSandboxes } from './embedded-sandboxes.js';
import { SandboxesModule } from './sandboxes.module.js';

/**
 * The sandbox console at `/sandbox`, imported only while both CM.com and email are sandboxes
 * (`EmbeddedSandboxes.consoleWanted`): with a real product token or SMTP server nothing of it
 * is registered, so every console route answers 404. Mounted on this app, it calls the
 * callbacks on this app's own port.
 */
export function sandboxConsoleWhenSandboxed() {
  return ConditionalModule.registerWhen(
    SandboxConsoleModule.registerAsync({
      imports: [SandboxesModule],
      inject: [EmbeddedSandboxes, OtpDeliveryEvents, ConfigService, HttpAdapterHost],
      useFactory: sandboxConsoleOptions,
    }),
    (env) => EmbeddedSandboxes.consoleWanted(env),
    { debug: false },
  );
}

function sandboxConsoleOptions(
  sandboxes: EmbeddedSandboxes,
  events: OtpDeliveryEvents,
  config: ConfigService<Environment, true>,
  adapterHost: HttpAdapterHost,
): SandboxConsoleOptions {
  // The environment said "sandboxes"; refuse to boot rather than aim the console at a real account.
  if (!sandboxes.cm || !sandboxes.emailOutbox) throw new Error('The sandbox console needs both the CM.com sandbox and the email outbox');
  const cardholdersFile = config.get('CARDHOLDERS_FILE', { infer: true }) || SAMPLE_CARDHOLDERS_FILE;
  return {
    cm: sandboxes.cm,
    emailOutbox: sandboxes.emailOutbox,
    events,
    statusReportSecret: sandboxes.statusReportSecret,
    issuerId: issuerIdOf(config),
    callbackBaseUrl: () => loopbackUrlOf(adapterHost.httpAdapter.getHttpServer() as Server),
    cards: JsonFileCardholderResolver.fromFile(cardholdersFile).cards().map((card) => ({
      issuerCardRefId: card.issuerCardRefId,
      label: [card.issuerCardRefId, card.panLastFour && `ending ${card.panLastFour}`, card.locale && `(${card.locale})`].filter(Boolean).join(' '),
    })),
  };
}
