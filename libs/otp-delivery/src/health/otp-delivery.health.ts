import { Inject, Injectable, Optional } from '@nestjs/common';
import { CmMessagingClient } from '../cm/cm-messaging.client.js';
import { CmError } from '../cm/cm.error.js';
import { EMAIL_CHANNEL } from '../channels/otp-channel.tokens.js';
import type { OtpChannel } from '../channels/otp-channel.interface.js';
import { OtpStore } from '../store/otp-store.interface.js';
import { STORE_FULL_MESSAGE } from '../store/store-unavailable.error.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import type { ResolvedStoreOptions } from '../store/store-options.js';
import { STORE_OPTIONS } from '../store/store.constants.js';
import type { ResolvedCmOptions } from '../cm/cm-options.js';
import { CM_OPTIONS } from '../cm/cm.constants.js';
import { HEALTH_OPTIONS } from './health.constants.js';
import { redactText } from '../logging/log-redaction.js';
import { redactProductToken } from '../cm/cm-product-token.redaction.js';
import type { SecretValue } from '../common/secret-value.js';
import type { ResolvedHealthOptions } from './health-options.js';
import { healthResult, type OtpHealthIndicatorResult } from './health-indicator-result.js';
import { HealthCheckRunner } from './health-check-runner.js';

/** An email channel that can prove its server answers (the built-in `EmailChannel` can). */
interface VerifiableChannel {
  verify(): Promise<void>;
}

/**
 * Health checks of the module's dependencies: CM.com, the SMTP server and the store, for your
 * Terminus health controller. It needs nothing from `@nestjs/terminus` (an optional peer): each
 * check answers a Terminus 11+ result (`{ [key]: { status, ...data } }`) that
 * `HealthCheckService.check()` takes as it is, so your app imports `TerminusModule` once, in its own
 * health module. Each check has a timeout (`health.timeoutMs`; the check's work is aborted then)
 * and a cached result (`health.cacheTtlMs`, per check and key; concurrent probes share one
 * in-flight check). A failing or hanging dependency reports `down` with a reason that holds no
 * secret and no personal data; a check never throws, so Terminus answers 503 for a down
 * dependency, not 500.
 *
 * @example
 * // health.controller.ts in the app (its module imports TerminusModule)
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
  private readonly runner: HealthCheckRunner;
  private readonly failMode: 'closed' | 'open';
  private readonly cmConfigured: boolean;

  /** @internal */
  constructor(
    @Inject(HEALTH_OPTIONS) options: ResolvedHealthOptions,
    @Inject(STORE_OPTIONS) storeOptions: Pick<ResolvedStoreOptions, 'failMode'>,
    @Inject(CM_OPTIONS) cmOptions: Pick<ResolvedCmOptions, 'productToken'>,
    @Inject(OtpStore) private readonly store: OtpStore,
    @Optional() private readonly cm?: CmMessagingClient,
    @Optional() @Inject(EMAIL_CHANNEL) private readonly email?: OtpChannel | null,
  ) {
    const productToken = cmOptions.productToken;
    this.runner = new HealthCheckRunner(options, (error) => describeFailure(error, productToken));
    this.failMode = storeOptions.failMode;
    this.cmConfigured = cmOptions.productToken !== undefined;
  }

  /**
   * CM.com answers and accepts the product token (`CmMessagingClient.probe`, which sends nothing).
   * Up with `{ skipped: true }` when no product token is configured (CM.com is not used then).
   */
  async checkCm<const Key extends string = 'cm'>(key: Key = 'cm' as Key): Promise<OtpHealthIndicatorResult<Key>> {
    const cm = this.cm;
    if (!cm || !this.cmConfigured) return healthResult(key, 'up', { skipped: true, reason: 'no CM.com product token configured' });
    return this.attempt('cm', key, async (signal) => {
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
  async checkSmtp<const Key extends string = 'smtp'>(key: Key = 'smtp' as Key): Promise<OtpHealthIndicatorResult<Key>> {
    const email = this.email;
    if (!email) return healthResult(key, 'up', { skipped: true, reason: 'email channel disabled' });
    if ((email as { configured?: boolean }).configured === false) return healthResult(key, 'up', { skipped: true, reason: 'email not configured' });
    if (!isVerifiable(email)) return healthResult(key, 'up', { skipped: true, reason: 'email channel has no verify()' });
    return this.attempt('smtp', key, () => email.verify());
  }

  /**
   * The store answers (`OtpStore.ping`); the result names the store's `failMode`. An unreachable
   * store is `down` with `failMode: 'closed'` (no OTP can be sent) but `degraded` with
   * `failMode: 'open'` (OTPs still go out, without the shared limits): Terminus then answers 200
   * with status `degraded`, so a readiness probe does not take serving replicas out. A full memory
   * store (`store.maxEntries`) is `down` in both modes: it is this replica's alone, and refuses every
   * write that adds a key (every callback's claim) until entries expire. A shared store that is full
   * (Redis answering `OOM`) is reported as an unreachable one is: taking every replica out at once
   * would not give it room.
   */
  async checkStore<const Key extends string = 'store'>(key: Key = 'store' as Key): Promise<OtpHealthIndicatorResult<Key>> {
    const result = await this.attempt('store', key, () => this.store.ping(), { failMode: this.failMode });
    if (result[key].status !== 'down' || this.failMode !== 'open') return result;
    // A full memory store refuses this replica's sends, whatever failMode says: down, not degraded.
    if (this.store instanceof MemoryOtpStore && String(result[key].message).includes(STORE_FULL_MESSAGE)) return result;
    return healthResult(key, 'degraded', result[key]);
  }

  /**
   * Runs one check (timeout, abort signal, per-check and per-key cache, shared in-flight run) and
   * answers it as Terminus would: `{ ...data, message?, responseTime, cachedResponse?, status }`.
   */
  private async attempt<Key extends string>(
    check: 'cm' | 'smtp' | 'store',
    key: Key,
    run: (signal: AbortSignal) => Promise<unknown>,
    data: Record<string, unknown> = {},
  ): Promise<OtpHealthIndicatorResult<Key>> {
    const outcome = await this.runner.run(`${check}:${key}`, run, data);
    return healthResult(key, outcome.status, {
      ...outcome.data,
      responseTime: outcome.responseTime,
      ...(outcome.cachedResponse ? { cachedResponse: true } : {}),
    });
  }
}

function isVerifiable(channel: OtpChannel): channel is OtpChannel & VerifiableChannel {
  return typeof (channel as Partial<VerifiableChannel>).verify === 'function';
}

/**
 * `CmError: CM.com refused the request (101)`-style text, scrubbed of numbers and addresses: the
 * message goes into the health answer, which a load balancer or dashboard may show to anyone. The
 * product token (and any GUID) is removed too, though `CmError` already holds none: this answer is
 * unauthenticated, so it does not rely on every error's author.
 */
function describeFailure(error: unknown, productToken: SecretValue | undefined): string {
  // CM's own text (an error page: host names, file paths, a stack) stays out of an answer served
  // without authentication: what failed and how is enough for a probe.
  if (error instanceof CmError) return `CmError: ${error.api} failed (${error.reason}, HTTP ${error.status}${error.cmErrorCode === undefined ? '' : `, CM error ${error.cmErrorCode}`})`;
  if (error instanceof Error) return redactText(redactProductToken(`${error.name}: ${error.message}`, productToken));
  return 'check failed';
}
