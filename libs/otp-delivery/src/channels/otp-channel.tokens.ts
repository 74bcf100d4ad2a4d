import { Inject } from '@nestjs/common';

/**
 * The token of the channel slot with this name (`SMS_CHANNEL`, `EMAIL_CHANNEL`): a registered
 * symbol, so two copies of the library still agree. Internal: channels are chosen with `channels`.
 */
export function getChannelToken(name: string): symbol {
  return Symbol.for(`nestjs-otp-delivery:channel:${name}`);
}

/**
 * The SMS channel (`OtpChannel`): CM.com Business Messaging unless replaced. `null` when
 * `channels.sms` is `false`.
 */
export const SMS_CHANNEL: symbol = getChannelToken('sms');

/**
 * The email channel (`OtpChannel`): SMTP through nodemailer, or the email outbox, unless
 * replaced. `null` when `channels.email` is `false`.
 */
export const EMAIL_CHANNEL: symbol = getChannelToken('email');

/** Every channel deliveries can route to, by name: `ReadonlyMap<string, OtpChannel>`. */
export const OTP_CHANNELS = Symbol.for('nestjs-otp-delivery:channels');

/** Injects the SMS channel. @example constructor(@InjectSmsChannel() private readonly sms: OtpChannel) {} */
export const InjectSmsChannel = (): ParameterDecorator & PropertyDecorator => Inject(SMS_CHANNEL);

/** Injects the email channel. @example constructor(@InjectEmailChannel() private readonly email: OtpChannel) {} */
export const InjectEmailChannel = (): ParameterDecorator & PropertyDecorator => Inject(EMAIL_CHANNEL);


/** Injects every channel by name. @example constructor(@InjectOtpChannels() channels: ReadonlyMap<string, OtpChannel>) {} */
export const InjectOtpChannels = (): ParameterDecorator & PropertyDecorator => Inject(OTP_CHANNELS);
