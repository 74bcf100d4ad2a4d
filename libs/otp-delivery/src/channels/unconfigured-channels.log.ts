import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { CM_OPTIONS } from '../cm/cm.constants.js';
import type { ResolvedCmOptions } from '../cm/cm-options.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { EmailChannel } from './email.channel.js';
import type { OtpChannel } from './otp-channel.interface.js';
import { OTP_CHANNELS } from './otp-channel.tokens.js';
import { SmsChannel } from './sms.channel.js';

/**
 * Says at boot which built-in channel has nothing to send through: without `cm.productToken` every
 * SMS fails, without an SMTP server or the outbox every email, `unavailable` (a callback answers
 * 911). A first try on a laptop would otherwise learn it one refused send at a time, from a log line
 * that names only the reason.
 */
@Injectable()
export class UnconfiguredChannelsLog implements OnApplicationBootstrap {
  private readonly logger = new OtpLogger('OtpDeliveryChannels');

  constructor(
    @Inject(OTP_CHANNELS) private readonly channels: ReadonlyMap<string, OtpChannel>,
    @Inject(CM_OPTIONS) private readonly cm: Pick<ResolvedCmOptions, 'productToken'>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.channels.get('sms') instanceof SmsChannel && this.cm.productToken === undefined) {
      this.logger.warn(
        'Channel sms cannot send: cm.productToken is not set, so every SMS fails unavailable (a callback answers 911). ' +
          'Set it, give CM a CmSandbox for a try (nestjs-otp-delivery/testing), or switch the channel off (channels.sms: false)',
      );
    }
    const email = this.channels.get('email');
    if (email instanceof EmailChannel && !email.configured) {
      this.logger.warn(
        'Channel email cannot send: no email.smtpUrl, email.transport or email.outbox, so every email fails unavailable (a callback answers 911). ' +
          'Set one (an EmailOutbox from nestjs-otp-delivery/testing for a try), or switch the channel off (channels.email: false)',
      );
    }
  }
}
