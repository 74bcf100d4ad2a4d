import type { Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { CHANNELS_OPTIONS, EMAIL_OPTIONS, EMAIL_TRANSPORTER } from './channels.constants.js';
import type { ResolvedChannelsOptions } from './channels-options.js';
import type { OtpChannel } from './otp-channel.interface.js';
import { EMAIL_CHANNEL, OTP_CHANNELS, SMS_CHANNEL } from './otp-channel.tokens.js';
import { SmsChannel } from './sms.channel.js';
import { EmailChannel } from './email.channel.js';
import { createEmailTransporter } from './email-transporter.js';
import { ExtraChannels } from './extra-channels.js';
import { UnconfiguredChannelsLog } from './unconfigured-channels.log.js';

/** The provider registered under this class or token anywhere in the app, if any. */
function registered(moduleRef: ModuleRef, channelClass: Type<OtpChannel>): { found: boolean; channel?: unknown } {
  try {
    return { found: true, channel: moduleRef.get(channelClass, { strict: false }) };
  } catch {
    return { found: false };
  }
}

function asChannel(candidate: unknown, name: string): OtpChannel {
  const channel = candidate as Partial<OtpChannel> | null;
  if (!channel || typeof channel.deliver !== 'function' || typeof channel.name !== 'string' || !channel.name) {
    throw new OtpDeliveryConfigError([`channels.${name} must be an OtpChannel: a non-empty name and a deliver(message) method`]);
  }
  if (channel.name !== name) throw new OtpDeliveryConfigError([`channels.${name}: the channel's name is "${channel.name}"; it must be the name it is given in channels`]);
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
    throw new OtpDeliveryConfigError([
      `channels.${slot}: ${channelClass.name} is already a provider; name it in channels.${slot} only, and let the module create it (its hooks then run once)`,
    ]);
  }
  return asChannel(await moduleRef.create(channelClass), slot);
}

function slotProvider(slot: 'sms' | 'email', token: symbol, builtIn: Type<OtpChannel>): Provider {
  return {
    provide: token,
    useFactory: (channels: ResolvedChannelsOptions, moduleRef: ModuleRef, defaultChannel: OtpChannel) => {
      const chosen = channels[slot];
      if (chosen === false) return null;
      return chosen ? createSlotChannel(moduleRef, chosen, slot) : defaultChannel;
    },
    inject: [CHANNELS_OPTIONS, ModuleRef, builtIn],
  };
}

/**
 * The added channels (every name but `sms` and `email`): a class registered as a provider is used as
 * that provider (Nest runs its hooks); a class nobody registered is created by Nest inside this
 * module (with its dependencies injected), and `ExtraChannels` runs its lifecycle hooks. Injecting
 * the SMS and email slots places this provider after them, and after what they depend on, in
 * Nest's hook order.
 */
const extraChannelsProvider: Provider = {
  provide: ExtraChannels,
  useFactory: async (options: ResolvedChannelsOptions, moduleRef: ModuleRef) => {
    const channels: OtpChannel[] = [];
    const created: OtpChannel[] = [];
    for (const [name, channelClass] of options.extra) {
      const existing = registered(moduleRef, channelClass);
      const channel = asChannel(existing.found ? existing.channel : await moduleRef.create(channelClass), name);
      channels.push(channel);
      if (!existing.found) created.push(channel);
    }
    return new ExtraChannels(channels, created);
  },
  inject: [CHANNELS_OPTIONS, ModuleRef, SMS_CHANNEL, EMAIL_CHANNEL],
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

/** The channel strategies: the built-ins (the email transporter, with nodemailer, only when email is configured), the SMS and email slots, the extra channels, the map deliveries route by, and the boot's word on a built-in that cannot send. */
export const channelsProviders: Provider[] = [
  SmsChannel,
  { provide: EMAIL_TRANSPORTER, useFactory: createEmailTransporter, inject: [EMAIL_OPTIONS] },
  EmailChannel,
  slotProvider('sms', SMS_CHANNEL, SmsChannel),
  slotProvider('email', EMAIL_CHANNEL, EmailChannel),
  extraChannelsProvider,
  channelsMapProvider,
  UnconfiguredChannelsLog,
];
