import type { Provider } from '@nestjs/common';
import { EMAIL_CHANNEL, OTP_CHANNELS, SMS_CHANNEL } from '../channels/otp-channel.tokens.js';

/** Built-in tokens replaced through an option, never through `extraProviders` (one way to do each thing). */
const REPLACED_BY_OPTION = new Map<unknown, string>([
  [SMS_CHANNEL, 'SMS_CHANNEL: replace the SMS channel with channels.sms (your class, created by the module)'],
  [EMAIL_CHANNEL, 'EMAIL_CHANNEL: replace the email channel with channels.email (your class, created by the module)'],
  [OTP_CHANNELS, 'OTP_CHANNELS: add a channel with channels.<name> (your class, created by the module)'],
]);

/**
 * The `extraProviders` that can be registered, and the problems of the rest: a value that is no list,
 * an entry that is no provider (`undefined`, typically a class read before its module finished loading
 * in an ESM import cycle), a built-in token an option replaces. What is refused is left out, so Nest
 * does not stop on it with a TypeError before the boot check lists it with the other problems.
 */
export function checkExtraProviders(extraProviders: unknown): { providers: Provider[]; problems: string[] } {
  if (extraProviders === undefined) return { providers: [], problems: [] };
  if (!Array.isArray(extraProviders)) return { providers: [], problems: ['extraProviders must be an array of providers'] };
  const providers: Provider[] = [];
  const problems: string[] = [];
  extraProviders.forEach((provider: unknown, index) => {
    const at = `extraProviders[${index}]`;
    if (provider === undefined || provider === null) {
      problems.push(`${at} is ${String(provider)}: a class imported before its module finished loading (an import cycle)?`);
    } else if (typeof provider !== 'function' && (typeof provider !== 'object' || !('provide' in provider))) {
      problems.push(`${at} must be a class or { provide, useClass | useValue | useFactory | useExisting }`);
    } else {
      const problem = REPLACED_BY_OPTION.get(typeof provider === 'function' ? provider : provider.provide);
      if (problem) problems.push(`extraProviders must not provide ${problem}`);
      providers.push(provider as Provider);
    }
  });
  return { providers, problems };
}
