import type { InjectionToken, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import type { OtpChannel } from './otp-channel.interface.js';
import { EMAIL_CHANNEL, OTP_CHANNELS, SMS_CHANNEL } from './otp-channel.tokens.js';
import { SmsChannel } from './sms.channel.js';
import { EmailChannel } from './email.channel.js';
import { ExtraChannels } from './extra-channels.js';

/** The provider registered under this class or token anywhere in the app, if any. */
function registered(moduleRef: ModuleRef, classOrToken: Type<OtpChannel> | InjectionToken): { found: boolean; channel?: unknown } {
  try {
    return { found: true, channel: moduleRef.get(classOrToken, { strict: false }) };
  } catch {
    return { found: false };
  }
}

function asChannel(candidate: unknown, key: string): OtpChannel {
  const channel = candidate as Partial<OtpChannel> | null;
  if (!channel || typeof channel.deliver !== 'function' || typeof channel.name !== 'string' || !channel.name) {
    throw new OtpDeliveryConfigError([`${key} must be an OtpChannel: a non-empty name and a deliver(message) method`]);
  }
  return channel as OtpChannel;
}

/**
 * The issuer's SMS or email class, created by Nest inside this module with its dependencies
 * injected. The slot provider's value is that instance, so Nest runs its lifecycle hooks there. A
 * class that is also a provider would be the value of two providers and get every hook twice
 * (Nest runs them per provider): that is refused, with the alias that does what was meant.
 */
async function createSlotChannel(moduleRef: ModuleRef, channelClass: Type<OtpChannel>, slot: 'sms' | 'email'): Promise<OtpChannel> {
  if (registered(moduleRef, channelClass).found) {
    const token = slot === 'sms' ? 'SMS_CHANNEL' : 'EMAIL_CHANNEL';
    throw new OtpDeliveryConfigError([
      `channels.${slot}: ${channelClass.name} is already a provider; either let the module create it (do not register it) or register { provide: ${token}, useExisting: ${channelClass.name} } instead of naming it in channels.${slot}`,
    ]);
  }
  return asChannel(await moduleRef.create(channelClass), `channels.${slot}`);
}

function slotProvider(slot: 'sms' | 'email', token: symbol, builtIn: Type<OtpChannel>): Provider {
  return {
    provide: token,
    useFactory: (options: OtpDeliveryModuleOptions, moduleRef: ModuleRef, defaultChannel: OtpChannel) => {
      const chosen = options.channels?.[slot];
      if (chosen === false) return null;
      return chosen ? createSlotChannel(moduleRef, chosen, slot) : defaultChannel;
    },
    inject: [OTP_DELIVERY_OPTIONS, ModuleRef, builtIn],
  };
}

/**
 * `channels.extra`: a provider registered under the token or class is used as it is; a class
 * nobody registered is created by Nest inside this module (with its dependencies injected), and
 * `ExtraChannels` runs its lifecycle hooks. Injecting the SMS and email slots places this provider
 * after them, and after what they depend on, in Nest's hook order.
 */
const extraChannelsProvider: Provider = {
  provide: ExtraChannels,
  useFactory: async (options: OtpDeliveryModuleOptions, moduleRef: ModuleRef, sms: OtpChannel | null, email: OtpChannel | null) => {
    const taken = new Set<string>();
    if (sms) taken.add('sms');
    if (email) taken.add('email');
    const channels: OtpChannel[] = [];
    const created: OtpChannel[] = [];
    const problems: string[] = [];
    for (const [index, entry] of (options.channels?.extra ?? []).entries()) {
      const key = `channels.extra[${index}]`;
      const existing = registered(moduleRef, entry);
      if (!existing.found && typeof entry !== 'function') {
        throw new OtpDeliveryConfigError([`${key} names a token no provider is registered under: add it to extraProviders`]);
      }
      const channel = asChannel(existing.found ? existing.channel : await moduleRef.create(entry as Type<OtpChannel>), key);
      if (taken.has(channel.name)) {
        problems.push(`${key} is named "${channel.name}", already taken (replace sms or email with channels.sms / channels.email)`);
        continue;
      }
      taken.add(channel.name);
      channels.push(channel);
      if (!existing.found) created.push(channel);
    }
    if (problems.length > 0) throw new OtpDeliveryConfigError(problems);
    return new ExtraChannels(channels, created);
  },
  inject: [OTP_DELIVERY_OPTIONS, ModuleRef, SMS_CHANNEL, EMAIL_CHANNEL],
};

/** Every channel by the name deliveries route by; `sms` and `email` by their slot. */
const channelsMapProvider: Provider = {
  provide: OTP_CHANNELS,
  useFactory: (sms: OtpChannel | null, email: OtpChannel | null, extra: ExtraChannels): ReadonlyMap<string, OtpChannel> => {
    const channels = new Map<string, OtpChannel>();
    if (sms) channels.set('sms', sms);
    if (email) channels.set('email', email);
    for (const channel of extra.channels) channels.set(channel.name, channel);
    return channels;
  },
  inject: [SMS_CHANNEL, EMAIL_CHANNEL, ExtraChannels],
};

/** The channel strategies: the built-ins, the SMS and email slots, the extra channels, and the map deliveries route by. */
export const channelsProviders: Provider[] = [
  SmsChannel,
  EmailChannel,
  slotProvider('sms', SMS_CHANNEL, SmsChannel),
  slotProvider('email', EMAIL_CHANNEL, EmailChannel),
  extraChannelsProvider,
  channelsMapProvider,
];
