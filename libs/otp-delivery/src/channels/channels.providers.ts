import type { InjectionToken, Provider, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { OTP_DELIVERY_OPTIONS } from '../otp-delivery.constants.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import type { OtpChannel } from './otp-channel.interface.js';
import { EMAIL_CHANNEL, OTP_CHANNELS, SMS_CHANNEL } from './otp-channel.tokens.js';
import { SmsChannel } from './sms.channel.js';
import { EmailChannel } from './email.channel.js';

/**
 * An issuer's channel, through DI: the provider already registered under that class or token
 * (so `overrideProvider` and lifecycle hooks apply), else a new instance of the class created by
 * Nest inside this module, with its dependencies injected.
 */
async function resolveChannel(moduleRef: ModuleRef, classOrToken: Type<OtpChannel> | InjectionToken, key: string): Promise<OtpChannel> {
  let channel: unknown;
  try {
    channel = moduleRef.get(classOrToken, { strict: false });
  } catch {
    if (typeof classOrToken !== 'function') {
      throw new OtpDeliveryConfigError([`${key} names a token no provider is registered under: add it to extraProviders`]);
    }
    channel = await moduleRef.create(classOrToken as Type<OtpChannel>);
  }
  const candidate = channel as Partial<OtpChannel> | null;
  if (!candidate || typeof candidate.deliver !== 'function' || typeof candidate.name !== 'string' || !candidate.name) {
    throw new OtpDeliveryConfigError([`${key} must be an OtpChannel: a non-empty name and a deliver(message) method`]);
  }
  return candidate as OtpChannel;
}

function slotProvider(slot: 'sms' | 'email', token: symbol, builtIn: Type<OtpChannel>): Provider {
  return {
    provide: token,
    useFactory: (options: OtpDeliveryModuleOptions, moduleRef: ModuleRef, defaultChannel: OtpChannel) => {
      const chosen = options.channels?.[slot];
      if (chosen === false) return null;
      return chosen ? resolveChannel(moduleRef, chosen, `channels.${slot}`) : defaultChannel;
    },
    inject: [OTP_DELIVERY_OPTIONS, ModuleRef, builtIn],
  };
}

/** Every channel by the name deliveries route by; `sms` and `email` by their slot. */
const channelsMapProvider: Provider = {
  provide: OTP_CHANNELS,
  useFactory: async (options: OtpDeliveryModuleOptions, moduleRef: ModuleRef, sms: OtpChannel | null, email: OtpChannel | null) => {
    const channels = new Map<string, OtpChannel>();
    if (sms) channels.set('sms', sms);
    if (email) channels.set('email', email);
    const problems: string[] = [];
    for (const [index, entry] of (options.channels?.extra ?? []).entries()) {
      const channel = await resolveChannel(moduleRef, entry, `channels.extra[${index}]`);
      if (channels.has(channel.name)) {
        problems.push(`channels.extra[${index}] is named "${channel.name}", already taken (replace sms or email with channels.sms / channels.email)`);
      } else {
        channels.set(channel.name, channel);
      }
    }
    if (problems.length > 0) throw new OtpDeliveryConfigError(problems);
    return channels as ReadonlyMap<string, OtpChannel>;
  },
  inject: [OTP_DELIVERY_OPTIONS, ModuleRef, SMS_CHANNEL, EMAIL_CHANNEL],
};

/** The channel strategies: the built-ins, the SMS and email slots, and the map deliveries route by. */
export const channelsProviders: Provider[] = [
  SmsChannel,
  EmailChannel,
  slotProvider('sms', SMS_CHANNEL, SmsChannel),
  slotProvider('email', EMAIL_CHANNEL, EmailChannel),
  channelsMapProvider,
];
