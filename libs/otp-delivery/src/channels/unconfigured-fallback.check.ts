import type { Type } from '@nestjs/common';
import type { ResolvedCmOptions } from '../cm/cm-options.js';
import type { ResolvedChannelsOptions } from './channels-options.js';
import type { ResolvedEmailOptions } from './email-options.js';
import { emailConfigured } from './email-transporter.js';
import type { OtpChannel } from './otp-channel.interface.js';
import { SmsChannel } from './sms.channel.js';
import { EmailChannel } from './email.channel.js';

/**
 * The built-in channels that have nothing to send through, each with what would configure it. Such a
 * channel still exists (a delivery to it answers `unavailable`, and the boot warns of it), so an app
 * without email boots; only a fallback that names it is refused (`unconfiguredFallbackProblems`).
 */
export function unconfiguredBuiltInChannels(
  channels: ResolvedChannelsOptions,
  email: ResolvedEmailOptions,
  cm: Pick<ResolvedCmOptions, 'productToken'>,
): ReadonlyMap<string, string> {
  const unconfigured = new Map<string, string>();
  // The issuer's own class, or `false`, is none of our business here.
  if (isBuiltIn(channels.sms, SmsChannel) && cm.productToken === undefined) unconfigured.set('sms', 'set cm.productToken, or name your own class in channels.sms');
  if (isBuiltIn(channels.email, EmailChannel) && !emailConfigured(email)) {
    unconfigured.set('email', 'set email.smtpUrl, email.transport or email.outbox, or name your own class in channels.email');
  }
  return unconfigured;
}

/** A slot left to its built-in class (unset, or that class named). */
function isBuiltIn(slot: Type<OtpChannel> | false | undefined, builtIn: Type<OtpChannel>): boolean {
  return slot === undefined || slot === builtIn;
}

/**
 * `delivery.fallback` entries that name an unconfigured built-in channel, as the channel falling back
 * or as a fallback: they booted and failed at every send (`unavailable`), the fallback a dead hop.
 * The shape of `fallback` is checked with the delivery options; what is no list of names is skipped here.
 */
export function unconfiguredFallbackProblems(fallback: unknown, unconfigured: ReadonlyMap<string, string>): string[] {
  if (typeof fallback !== 'object' || fallback === null) return [];
  return Object.entries(fallback).flatMap(([from, next]: [string, unknown]) => {
    const named = new Set([from, ...(Array.isArray(next) ? next.filter((name): name is string => typeof name === 'string') : [])]);
    return [...named].flatMap((name) => {
      const fix = unconfigured.get(name);
      return fix ? [`delivery.fallback.${from}: the built-in ${name} channel is not configured, so every ${name} hop would fail unavailable: ${fix}`] : [];
    });
  });
}
