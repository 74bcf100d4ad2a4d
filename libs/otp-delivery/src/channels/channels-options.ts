import type { Type } from '@nestjs/common';
import type { OtpChannel } from './otp-channel.interface.js';

/**
 * Which class delivers each channel, by the name deliveries route by. `sms` and `email` are built
 * in (CM.com Business Messaging; SMTP through nodemailer): name your own class to replace one, or
 * `false` to switch it off. Any other name adds a channel (voice, push, ...).
 *
 * A class named here is created once by Nest's DI inside the module, so it can inject the issuer's
 * own providers (from `forRootAsync({ imports })`, `extraProviders` or a global module), and its
 * lifecycle hooks run once each, at Nest's phases, with `forRoot` and `forRootAsync` alike. Its
 * `name` must be the name it is given here. This is the one way to replace or add a channel; in
 * tests, name a fake class here or `overrideProvider(SMS_CHANNEL)` / `overrideProvider(EMAIL_CHANNEL)`.
 *
 * @example
 * OtpDeliveryModule.forRootAsync({
 *   imports: [SmsGatewayModule],
 *   useFactory: () => ({ channels: { sms: GatewaySmsChannel, voice: VoiceChannel } }),
 * })
 */
export type OtpChannelsOptions = Record<string, Type<OtpChannel> | false>;

/** The channel choices, checked: what the channel providers create. */
export interface ResolvedChannelsOptions {
  /** The issuer's SMS class, `false` (off), or undefined for the built-in. */
  readonly sms?: Type<OtpChannel> | false;
  /** The issuer's email class, `false` (off), or undefined for the built-in. */
  readonly email?: Type<OtpChannel> | false;
  /** Added channels, by name. */
  readonly extra: ReadonlyMap<string, Type<OtpChannel>>;
  /** Every channel deliveries can route to. */
  readonly names: ReadonlySet<string>;
}

const CHANNEL_NAME = /^[a-z][a-z0-9-]{0,31}$/;

/** Checks `channels` and answers the choices and the problems found (names, values). */
export function resolveChannelsOptions(channels: unknown): { options: ResolvedChannelsOptions; problems: string[] } {
  const problems: string[] = [];
  const extra = new Map<string, Type<OtpChannel>>();
  const chosen: { sms?: Type<OtpChannel> | false; email?: Type<OtpChannel> | false } = {};
  if (channels !== undefined && (channels === null || typeof channels !== 'object' || Array.isArray(channels))) {
    problems.push('channels must be an object of channel name -> channel class (or false for sms and email)');
  } else {
    for (const [name, value] of Object.entries(channels ?? {})) {
      const key = `channels.${name}`;
      const builtIn = name === 'sms' || name === 'email';
      if (!CHANNEL_NAME.test(name)) problems.push(`${key}: a channel name is lower-case letters, digits and -, starting with a letter`);
      else if (value === undefined) continue;
      else if (value === false && builtIn) chosen[name as 'sms' | 'email'] = false;
      else if (typeof value !== 'function') problems.push(`${key} must be a channel class${builtIn ? ' or false' : ''}`);
      else if (builtIn) chosen[name as 'sms' | 'email'] = value as Type<OtpChannel>;
      else extra.set(name, value as Type<OtpChannel>);
    }
  }
  const names = new Set<string>(extra.keys());
  if (chosen.sms !== false) names.add('sms');
  if (chosen.email !== false) names.add('email');
  return { options: { ...chosen, extra, names }, problems };
}
