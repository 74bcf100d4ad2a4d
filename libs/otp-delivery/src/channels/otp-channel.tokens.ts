import { Inject } from '@nestjs/common';

/**
 * The DI token of the channel with this name. `sms` and `email` answer `SMS_CHANNEL` and
 * `EMAIL_CHANNEL`; any other name answers a token of its own, the same on every call (it is a
 * registered symbol, so two copies of the library still agree).
 *
 * @example extraProviders: [{ provide: getChannelToken('voice'), useClass: VoiceChannel }]
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

/** Injects the channel registered under `getChannelToken(name)`. @example @InjectChannel('voice') voice: OtpChannel */
export const InjectChannel = (name: string): ParameterDecorator & PropertyDecorator => Inject(getChannelToken(name));

/** Injects every channel by name. @example constructor(@InjectOtpChannels() channels: ReadonlyMap<string, OtpChannel>) {} */
export const InjectOtpChannels = (): ParameterDecorator & PropertyDecorator => Inject(OTP_CHANNELS);
