import type { Provider } from '@nestjs/common';
import { EMAIL_CHANNEL, OTP_CHANNELS, SMS_CHANNEL } from '../channels/otp-channel.tokens.js';

/** Built-in tokens replaced through an option, never through `extraProviders` (one way to do each thing). */
const REPLACED_BY_OPTION = new Map<unknown, string>([
  [SMS_CHANNEL, 'SMS_CHANNEL: replace the SMS channel with channels.sms (your class, created by the module)'],
  [EMAIL_CHANNEL, 'EMAIL_CHANNEL: replace the email channel with channels.email (your class, created by the module)'],
  [OTP_CHANNELS, 'OTP_CHANNELS: add a channel with channels.<name> (your class, created by the module)'],
]);

/** `extraProviders` entries that do what an option does: refused, with the option to use. */
export function extraProvidersProblems(extraProviders: readonly Provider[]): string[] {
  return extraProviders.flatMap((provider) => {
    const token = typeof provider === 'function' ? provider : provider.provide;
    const problem = REPLACED_BY_OPTION.get(token);
    return problem ? [`extraProviders must not provide ${problem}`] : [];
  });
}
