import { hash, type KeyObject } from 'node:crypto';
import { keyedNamer } from '../common/keyed-digest.js';
import { ArrayNotEmpty, IsArray, IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsRegion } from '../options/is-region.decorator.js';
import { NestedOptions } from '../options/nested-options.decorator.js';

/** A billion: no limit meant as a limit is near it, and a counter stays an exact integer far past it. */
const MAX_SENDS = 1_000_000_000;
/**
 * A year. The window is the counter's expiry in the store: a longer one (1e300 once passed) is no
 * expiry Redis accepts, so every send was refused store-unavailable and a counter kept no TTL.
 */
const MAX_WINDOW_SECONDS = 31_536_000;

/** At most `max` sends per `windowSeconds`; the window starts with the first send. */
export class RateLimitWindow {
  /**
   * Most sends allowed in one window: an integer from 1 to 1000000000.
   * @example 5
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_SENDS, { message: `max must be at most ${MAX_SENDS}` })
  max?: number;

  /**
   * Window length in seconds: an integer from 1 to 31536000 (a year).
   * @example 3600
   */
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_WINDOW_SECONDS, { message: `windowSeconds must be at most ${MAX_WINDOW_SECONDS} (a year)` })
  windowSeconds?: number;
}

/**
 * Fraud and rate controls applied before every send (SMS pumping costs money): limits per card,
 * per destination and per caller, checked and counted in one atomic step in the store (so they
 * hold across replicas with the Redis store), a destination-country allow-list and a block on
 * premium-rate and non-mobile numbers.
 */
export class LimitsOptions {
  /**
   * Sends per card reference.
   * @default { max: 5, windowSeconds: 3600 }
   * @example { max: 3, windowSeconds: 900 }
   */
  @IsOptional()
  @NestedOptions(() => RateLimitWindow)
  perCard?: RateLimitWindow;

  /**
   * Sends per destination (normalised phone number or email mailbox), whatever the card.
   * @default { max: 5, windowSeconds: 3600 }
   * @example { max: 10, windowSeconds: 86400 }
   */
  @IsOptional()
  @NestedOptions(() => RateLimitWindow)
  perDestination?: RateLimitWindow;

  /**
   * Sends per caller: the verified client certificate of a tokenization callback, or the
   * `clientId` a direct `deliver()` / `generate()` names; callers without an id share one budget.
   * @default { max: 600, windowSeconds: 60 }
   * @example { max: 100, windowSeconds: 60 }
   */
  @IsOptional()
  @NestedOptions(() => RateLimitWindow)
  perClient?: RateLimitWindow;

  /**
   * Countries (ISO 3166 alpha-2) SMS may go to. Unset means every country: issuers should set
   * it to the countries their cardholders live in, the first defence against toll fraud.
   * @default undefined (every country)
   * @example ['JP', 'GB', 'US']
   */
  @IsOptional()
  @IsArray({ message: 'allowedCountries must be an array such as [\'JP\']' })
  @ArrayNotEmpty({ message: 'allowedCountries must not be empty (leave it unset to allow every country)' })
  @IsRegion({ each: true, message: 'allowedCountries must hold ISO 3166 alpha-2 codes libphonenumber-js knows, such as JP' })
  allowedCountries?: string[];

  /**
   * Refuse premium-rate and shared-cost numbers.
   * @default true
   * @example false
   */
  @IsOptional()
  @IsBoolean()
  blockPremiumRate?: boolean;

  /**
   * Refuse numbers that are not mobile (fixed lines, VoIP, pagers...), which cannot receive SMS
   * or are typical pumping targets.
   * @default true
   * @example false
   */
  @IsOptional()
  @IsBoolean()
  requireMobile?: boolean;

  /**
   * Region assumed for phone numbers without a country code.
   * @default cm.defaultRegion
   * @example 'JP'
   */
  @IsOptional()
  @IsRegion({ message: 'defaultRegion must be an ISO 3166 alpha-2 country code libphonenumber-js knows, such as JP' })
  defaultRegion?: string;

  /**
   * Count `taro+anything@example.com` as `taro@example.com` for the per-destination limit: most
   * providers deliver both to one inbox, so a plus tag must not buy a fresh budget. Addresses are
   * always compared Unicode-normalised (NFKC), lower-cased and with the domain in punycode.
   * @default true
   * @example false
   */
  @IsOptional()
  @IsBoolean()
  emailPlusTagsAsSameMailbox?: boolean;
}

/** One resolved window, in store units. */
export interface ResolvedRateLimit {
  readonly max: number;
  readonly windowMs: number;
}

/** Limits options with every default applied. */
export interface ResolvedLimitsOptions {
  readonly perCard: ResolvedRateLimit;
  readonly perDestination: ResolvedRateLimit;
  readonly perClient: ResolvedRateLimit;
  readonly allowedCountries?: ReadonlySet<string>;
  readonly blockPremiumRate: boolean;
  readonly requireMobile: boolean;
  readonly defaultRegion?: string;
  readonly emailPlusTagsAsSameMailbox: boolean;
  /** Names a counter after what it counts (a card, a destination, a caller) without holding it. */
  readonly counterDigest: (value: string) => string;
  /** Whether `counterDigest` is keyed (a configured `methodIdSecret`), so a name cannot be reversed. */
  readonly countersKeyed: boolean;
}

/**
 * Applies the limits defaults; `defaultRegion` falls back to `cm.defaultRegion`. `counterKey`
 * (derived from `tokenization.methodIdSecret`) keys the counters' names: without it they are plain
 * SHA-256 digests, which a phone number's few billion values let anyone reverse.
 */
export function resolveLimitsOptions(options: LimitsOptions | undefined, cmDefaultRegion?: string, counterKey?: KeyObject): ResolvedLimitsOptions {
  const window = (given: RateLimitWindow | undefined, max: number, windowSeconds: number): ResolvedRateLimit => ({
    max: given?.max ?? max,
    windowMs: (given?.windowSeconds ?? windowSeconds) * 1000,
  });
  return {
    perCard: window(options?.perCard, 5, 3600),
    perDestination: window(options?.perDestination, 5, 3600),
    perClient: window(options?.perClient, 600, 60),
    allowedCountries: options?.allowedCountries ? new Set(options.allowedCountries) : undefined,
    blockPremiumRate: options?.blockPremiumRate ?? true,
    requireMobile: options?.requireMobile ?? true,
    defaultRegion: options?.defaultRegion ?? cmDefaultRegion,
    emailPlusTagsAsSameMailbox: options?.emailPlusTagsAsSameMailbox ?? true,
    counterDigest: counterDigestOf(counterKey),
    countersKeyed: counterKey !== undefined,
  };
}

/** Keyed (`keyedNamer`) when there is a key, else plain SHA-256. */
function counterDigestOf(key: KeyObject | undefined): (value: string) => string {
  return key ? keyedNamer(key) : (value) => hash('sha256', value, 'base64url');
}
