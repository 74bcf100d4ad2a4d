import { Injectable } from '@nestjs/common';
import { CmSandbox, EmailOutbox } from 'nestjs-otp-delivery/testing';
import type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from 'nestjs-otp-delivery';
import { CapturedLogs } from '../support/capture-logs.js';
import { boot } from './support/email-delivery.js';

@Injectable()
class GatewaySmsChannel implements OtpChannel {
  readonly name = 'sms';
  async deliver(_message: OtpChannelMessage): Promise<OtpChannelReceipt> {
    return { providerMessageId: 'gw-1', acceptedAt: new Date() };
  }
}

/** What the boot said about channels that cannot send. */
async function bootWarnings(options: Parameters<typeof boot>[0]): Promise<string[]> {
  const logs = new CapturedLogs();
  const app = await boot(options, logs);
  await app.close();
  return logs.lines.filter((line) => line.level === 'warn').map((line) => String((line.message as { msg?: unknown }).msg ?? line.message)).filter((msg) => msg.includes('cannot send'));
}

/**
 * A first try with no CM.com account and no SMTP server boots, and every send then fails
 * `unavailable`: the boot says so for each built-in channel, with what to set.
 */
describe('built-in channels with nothing to send through', () => {
  it('are named at boot, each with what to set', async () => {
    expect(await bootWarnings({ cm: { sender: 'MyBank' } })).toEqual([
      expect.stringMatching(/^Channel sms cannot send: cm\.productToken is not set, so every SMS fails unavailable .*channels\.sms: false/),
      expect.stringMatching(/^Channel email cannot send: no email\.smtpUrl, email\.transport or email\.outbox, .*channels\.email: false/),
    ]);
  });

  it('are not named when configured, switched off or replaced', async () => {
    const sandbox = await CmSandbox.start();
    try {
      const configured = { cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url }, email: { outbox: new EmailOutbox({ log: false }), from: 'otp@mybank.test' } };
      expect(await bootWarnings(configured)).toEqual([]);
      expect(await bootWarnings({ channels: { sms: false, email: false } })).toEqual([]);
      expect(await bootWarnings({ channels: { sms: GatewaySmsChannel, email: false } })).toEqual([]);
    } finally {
      await sandbox.close();
    }
  });
});
