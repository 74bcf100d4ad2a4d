import { IsBoolean, IsInt, IsObject, IsOptional, Max, Min } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';

/** How one delivery runs: deadline, fallback between channels. */
export class DeliveryOptions {
  /**
   * Time one delivery may take, fallbacks included, in milliseconds. `deliver()` settles within
   * it even when a channel ignores its abort signal. Keep `cm.requestTimeoutMs` and the SMTP
   * timeouts below it if a fallback should get a chance after a slow provider.
   * @default 5000
   * @example 8000
   */
  @IsOptional()
  @IsInt({ message: 'deadlineMs must be an integer number of milliseconds' })
  @Min(1, { message: 'deadlineMs must be at least 1' })
  @Max(120_000, { message: 'deadlineMs must be at most 120000' })
  deadlineMs?: number;

  /**
   * Ordered fallback channels per channel, tried when a delivery fails (not on timeout or
   * cancellation). Off by default. A fallback gets the request's `destinations[channel]`, else
   * its `destination`.
   * @default {} (no fallback)
   * @example { sms: ['voice'] }
   */
  @IsOptional()
  @IsObject({ message: 'fallback must be an object of channel -> channels to try next' })
  @KeepAsIs()
  fallback?: Record<string, string[]>;

  /**
   * Allow `email` as a fallback of `sms`. Email is not an out-of-band authenticator under
   * NIST SP 800-63B, so this is the issuer's explicit choice; without it such a fallback stops the boot.
   * @default false
   * @example true
   */
  @IsOptional()
  @IsBoolean()
  allowEmailFallbackForSms?: boolean;
}

/** `DeliveryOptions` with defaults applied. */
export interface ResolvedDeliveryOptions {
  readonly deadlineMs: number;
  /** Fallback channels by channel name; a Map, so a name like `constructor` finds nothing inherited. */
  readonly fallback: ReadonlyMap<string, readonly string[]>;
  readonly allowEmailFallbackForSms: boolean;
}

/** Applies the delivery defaults and checks the fallback against the channels there are; answers problems, never throws. */
export function resolveDeliveryOptions(
  delivery: DeliveryOptions | undefined,
  channelNames: ReadonlySet<string>,
): { options: ResolvedDeliveryOptions; problems: string[] } {
  const problems: string[] = [];
  const allowEmailFallbackForSms = delivery?.allowEmailFallbackForSms ?? false;
  const fallback = new Map<string, readonly string[]>();
  for (const [channel, next] of Object.entries(delivery?.fallback ?? {})) {
    const key = `delivery.fallback.${channel}`;
    if (!channelNames.has(channel)) problems.push(`${key}: no channel is named "${channel}"`);
    if (!Array.isArray(next) || next.some((name) => typeof name !== 'string')) {
      problems.push(`${key} must be an array of channel names`);
      continue;
    }
    for (const name of next) {
      if (!channelNames.has(name)) problems.push(`${key}: no channel is named "${name}"`);
      if (name === channel) problems.push(`${key}: a channel cannot fall back to itself`);
    }
    if (channel === 'sms' && next.includes('email') && !allowEmailFallbackForSms) {
      problems.push(`${key}: email as a fallback for SMS needs delivery.allowEmailFallbackForSms: true (NIST SP 800-63B does not accept email as out-of-band)`);
    }
    fallback.set(channel, [...new Set(next)]);
  }
  return { options: { deadlineMs: delivery?.deadlineMs ?? 5000, fallback, allowEmailFallbackForSms }, problems };
}
