import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CM_OPTIONS } from '../cm/cm.constants.js';
import type { ResolvedCmOptions } from '../cm/cm-options.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { CHANNELS_OPTIONS, EMAIL_OPTIONS } from './channels.constants.js';
import type { ResolvedChannelsOptions } from './channels-options.js';
import type { ResolvedEmailOptions } from './email-options.js';
import { unconfiguredBuiltInChannels } from './unconfigured-fallback.check.js';

/** What the boot says of each built-in channel with nothing to send through. */
const WARNINGS: Readonly<Record<string, string>> = {
  sms:
    'Channel sms cannot send: cm.productToken is not set, so every SMS fails unavailable (a callback answers 911). ' +
    'Set it, give CM a CmSandbox for a try (nestjs-otp-delivery/testing), or switch the channel off (channels.sms: false)',
  email:
    'Channel email cannot send: no email.smtpUrl, email.transport or email.outbox, so every email fails unavailable (a callback answers 911). ' +
    'Set one (an EmailOutbox from nestjs-otp-delivery/testing for a try), or switch the channel off (channels.email: false)',
};

/**
 * Says at boot which built-in channel has nothing to send through: without `cm.productToken` every
 * SMS fails, without an SMTP server or the outbox every email, `unavailable` (a callback answers
 * 911). A first try on a laptop would otherwise learn it one refused send at a time, from a log line
 * that names only the reason. Which channels those are is the boot check's own answer
 * (`unconfiguredBuiltInChannels`, which also refuses a fallback naming one).
 */
@Injectable()
export class UnconfiguredChannelsLog implements OnApplicationBootstrap {
  private readonly logger = new OtpLogger('OtpDeliveryChannels');

  constructor(
    @Inject(CHANNELS_OPTIONS) private readonly channels: ResolvedChannelsOptions,
    @Inject(EMAIL_OPTIONS) private readonly email: ResolvedEmailOptions,
    @Inject(CM_OPTIONS) private readonly cm: Pick<ResolvedCmOptions, 'productToken'>,
  ) {}

  onApplicationBootstrap(): void {
    for (const name of unconfiguredBuiltInChannels(this.channels, this.email, this.cm).keys()) this.logger.warn(WARNINGS[name]!);
  }
}
