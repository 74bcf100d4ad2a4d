export type { OtpChannel, OtpChannelMessage, OtpChannelReceipt } from './otp-channel.interface.js';
export { OtpChannelError, type OtpChannelFailure } from './otp-channel.error.js';
export {
  EMAIL_CHANNEL,
  getChannelToken,
  InjectEmailChannel,
  InjectOtpChannels,
  InjectSmsChannel,
  OTP_CHANNELS,
  SMS_CHANNEL,
} from './otp-channel.tokens.js';
export { SmsChannel } from './sms.channel.js';
export { EmailChannel } from './email.channel.js';
export { channelsProviders } from './channels.providers.js';
