import type { INestApplication } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Server } from 'node:net';
import { CardholderContactResolver, OtpDeliveryEvents } from 'nestjs-otp-delivery';
import { JsonFileCardholderResolver } from '../cardholders/index.js';
import type { Environment } from '../config/environment.js';
import { loopbackUrlOf, type SandboxConsoleOptions } from '../sandbox-console/index.js';
import { EmbeddedSandboxes } from './embedded-sandboxes.js';

/**
 * The sandbox console's options, taken from the callback app, for the management app to mount
 * the console (`/sandbox` on the management port); undefined unless both CM.com and email are
 * sandboxes (`EmbeddedSandboxes.consoleWanted`): with a real product token or SMTP server nothing
 * of it is registered, so every console route answers 404. The console calls the callbacks on the
 * callback app's own port, as the platform would.
 */
export function sandboxConsoleOptionsOf(app: INestApplication): SandboxConsoleOptions | undefined {
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const env = { CM_PRODUCT_TOKEN: config.get('CM_PRODUCT_TOKEN', { infer: true }), SMTP_URL: config.get('SMTP_URL', { infer: true }) };
  if (!EmbeddedSandboxes.consoleWanted(env)) return undefined;
  const sandboxes = app.get(EmbeddedSandboxes);
  // The environment said "sandboxes"; refuse to boot rather than aim the console at a real account.
  if (!sandboxes.cm || !sandboxes.emailOutbox) throw new Error('The sandbox console needs both the CM.com sandbox and the email outbox');
  // The resolver the callbacks use, not a second read of its file.
  const cardholders = app.get(CardholderContactResolver, { strict: false });
  if (!(cardholders instanceof JsonFileCardholderResolver)) throw new Error('The sandbox console lists the cards of the JSON file resolver');
  return {
    cm: sandboxes.cm,
    emailOutbox: sandboxes.emailOutbox,
    events: app.get(OtpDeliveryEvents),
    statusReportSecret: sandboxes.statusReportSecret,
    issuerId: config.get('ISSUER_ID', { infer: true }),
    callbackBaseUrl: () => loopbackUrlOf(app.getHttpServer() as Server),
    allowedHosts: config.get('SANDBOX_CONSOLE_HOSTS', { infer: true }) ?? [],
    cards: cardholders.cards().map((card) => ({
      issuerCardRefId: card.issuerCardRefId,
      label: [card.issuerCardRefId, card.panLastFour && `ending ${card.panLastFour}`, card.locale && `(${card.locale})`].filter(Boolean).join(' '),
    })),
  };
}
