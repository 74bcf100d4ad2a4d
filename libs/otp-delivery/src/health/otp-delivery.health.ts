import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { CmMessagingClient } from '../cm/cm-messaging.client.js';
import { EMAIL_CHANNEL } from '../channels/otp-channel.tokens.js';
import type { OtpChannel } from '../channels/otp-channel.interface.js';
import { OtpStore } from '../store/otp-store.interface.js';
import type { ResolvedStoreOptions } from '../store/store-options.js';
import { STORE_OPTIONS } from '../store/store.constants.js';
import type { ResolvedCmOptions } from '../cm/cm-options.js';
import { CM_OPTIONS } from '../cm/cm.constants.js';
import { HEALTH_OPTIONS } from './health.constants.js';
import { redactText } from '../logging/log-redaction.js';
import type { ResolvedHealthOptions } from './health-options.js';

/** An email channel that can prove its server answers (the built-in `EmailChannel` can). */
interface VerifiableChannel {
  verify(): Promise<void>;
}

/**
 * Terminus health indicator for the module's dependencies: CM.com, the SMTP server and the store.
 * Each check has a timeout (`health.timeoutMs`) and a cached result (`health.cacheTtlMs`, per key;
 * concurrent probes share one in-flight check). A failing or hanging dependency reports `down`
 * with a reason that holds no secret and no personal data; it never throws, so Terminus answers
 * 503 for a down dependency, not 500.
 *
 * @example
 * // health.controller.ts in the app (TerminusModule imported)
 * @Get('health')
 * @HealthCheck()
 * check() {
 *   return this.health.check([
 *     () => this.otp.checkCm(),
 *     () => this.otp.checkSmtp(),
 *     () => this.otp.checkStore(),
 *   ]);
 * }
 */
@Injectable()
export class OtpDeliveryHealthIndicator {
  private readonly options: ResolvedHealthOptions;
  private readonly failMode: 'closed' | 'open';
  private readonly cmConfigured: boolean;

  constructor(
    private readonly indicators: HealthIndicatorService,
    @Inject(HEALTH_OPTIONS) options: ResolvedHealthOptions,
    @Inject(STORE_OPTIONS) storeOptions: Pick<ResolvedStoreOptions, 'failMode'>,
    @Inject(CM_OPTIONS) cmOptions: Pick<ResolvedCmOptions, 'productToken'>,
    @Inject(OtpStore) private readonly store: OtpStore,
    @Optional() private readonly cm?: CmMessagingClient,
    @Optional() @Inject(EMAIL_CHANNEL) private readonly email?: OtpChannel | null,
  ) {
    this.options = options;
    this.failMode = storeOptions.failMode;
    this.cmConfigured = cmOptions.productToken !== undefined;
  }

  /**
   * CM.com answers and accepts the product token (`CmMessagingClient.probe`, which sends nothing).
   * Up with `{ skipped: true }` when no product token is configured (CM.com is not used then).
   */
  async checkCm<const Key extends string = 'cm'>(key: Key = 'cm' as Key): Promise<HealthIndicatorResult<Key>> {
    const cm = this.cm;
    if (!cm || !this.cmConfigured) return this.indicators.check(key).up({ skipped: true, reason: 'no CM.com product token configured' });
    return this.attempt(key, async (signal) => {
      await cm.probe({ signal });
    });
  }

  /**
   * The SMTP server answers and accepts the credentials (`EmailChannel.verify()`; the email
   * outbox always does). Up with `{ skipped: true }` when the email channel is off
   * (`channels.email: false`), not configured (no SMTP server or outbox), or replaced by a class
   * without a `verify()` method; a replacement
   * that has `verify(): Promise<void>` is checked the same way.
   */
  async checkSmtp<const Key extends string = 'smtp'>(key: Key = 'smtp' as Key): Promise<HealthIndicatorResult<Key>> {
    const email = this.email;
    if (!email) return this.indicators.check(key).up({ skipped: true, reason: 'email channel disabled' });
    if ((email as { configured?: boolean }).configured === false) return this.indicators.check(key).up({ skipped: true, reason: 'email not configured' });
    if (!isVerifiable(email)) return this.indicators.check(key).up({ skipped: true, reason: 'email channel has no verify()' });
    return this.attempt(key, () => email.verify());
  }

  /**
   * The store answers (`OtpStore.ping`); the result names the store's `failMode`. An unreachable
   * store is `down` with `failMode: 'closed'` (no OTP can be sent) but `degraded` with
   * `failMode: 'open'` (OTPs still go out, without the shared limits): Terminus then answers 200
   * with status `degraded`, so a readiness probe does not take serving replicas out.
   */
  async checkStore<const Key extends string = 'store'>(key: Key = 'store' as Key): Promise<HealthIndicatorResult<Key>> {
    const result = await this.attempt(key, () => this.store.ping(), { failMode: this.failMode });
    if (result[key].status !== 'down' || this.failMode !== 'open') return result;
    const { status: _down, ...data }: Record<string, unknown> = result[key];
    return this.indicators.check(key).degraded(data);
  }

  /**
   * Runs one check through Terminus' attempt (timeout, abort signal, per-key cache, shared
   * in-flight run). Errors are rethrown with a scrubbed message, because Terminus puts the
   * message in the health answer, which a load balancer or dashboard may show to anyone.
   */
  private attempt<Key extends string>(
    key: Key,
    check: (signal: AbortSignal) => Promise<void>,
    data: Record<string, unknown> = {},
  ): Promise<HealthIndicatorResult<Key>> {
    return Promise.resolve(
      this.indicators
        .check(key)
        .attempt(async ({ signal }) => {
          try {
            await check(signal);
          } catch (error) {
            throw new Error(describeFailure(error), { cause: error });
          }
          return data;
        })
        .withTimeout(this.options.timeoutMs)
        .cacheFor(this.options.cacheTtlMs),
    ).then((result) => addData(result, key, data));
  }
}

function isVerifiable(channel: OtpChannel): channel is OtpChannel & VerifiableChannel {
  return typeof (channel as Partial<VerifiableChannel>).verify === 'function';
}

/** `CmError: CM.com refused the request (101)`-style text, scrubbed of numbers and addresses. */
function describeFailure(error: unknown): string {
  if (error instanceof Error) return redactText(`${error.name}: ${error.message}`);
  return 'check failed';
}

/** Terminus keeps `data` only on success; a down result should still say e.g. the fail mode. */
function addData<Key extends string>(result: HealthIndicatorResult<Key>, key: Key, data: Record<string, unknown>): HealthIndicatorResult<Key> {
  return { [key]: { ...data, ...result[key] } } as HealthIndicatorResult<Key>;
}
