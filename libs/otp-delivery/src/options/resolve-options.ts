import { createRequire } from 'node:module';
import { resolveCmOptions, type ResolvedCmOptions } from '../cm/cm-options.js';
import { otpEngineOptionProblems, resolveOtpEngineOptions, type ResolvedOtpEngineOptions } from '../otp/otp-engine-options.js';
import { resolveTemplatesOptions } from '../templates/templates-options.js';
import { compileTemplateCatalog, type TemplateCatalog } from '../templates/template-catalog.js';
import { describeTemplateProblem } from '../templates/otp-template-problem.js';
import { resolveChannelsOptions, type ResolvedChannelsOptions } from '../channels/channels-options.js';
import { resolveEmailOptions, type ResolvedEmailOptions } from '../channels/email-options.js';
import { unconfiguredBuiltInChannels, unconfiguredFallbackProblems } from '../channels/unconfigured-fallback.check.js';
import { resolveDeliveryOptions, type ResolvedDeliveryOptions } from '../delivery/delivery-options.js';
import { resolveTokenizationOptions, type ResolvedTokenizationOptions } from '../tokenization/tokenization-options.resolver.js';
import { resolveCallbackRoutes, type ResolvedCallbackRoutes } from '../tokenization/callback-routes.js';
import { resolveLimitsOptions, type ResolvedLimitsOptions } from '../limits/limits-options.js';
import { fitCommandTimeout, resolveStoreOptions, storeOptionProblems, type ResolvedStoreOptions } from '../store/store-options.js';
import { resolveHealthOptions, type ResolvedHealthOptions } from '../health/health-options.js';
import { resolveMetricsOptions, type ResolvedMetricsOptions } from '../metrics/metrics-options.js';
import { OtpDeliveryModuleOptions } from './otp-delivery-module-options.js';
import { OtpDeliveryConfigError } from './otp-delivery-config.error.js';
import { checkOptions } from './validate-options.js';
import { extrasInOptions } from './extras-in-options.check.js';

/** Every feature's options, resolved once from the validated module options; each feature injects its own slice. */
export interface ResolvedOtpDeliveryOptions {
  readonly cm: ResolvedCmOptions;
  readonly otp: ResolvedOtpEngineOptions;
  readonly templates: TemplateCatalog;
  readonly channels: ResolvedChannelsOptions;
  readonly email: ResolvedEmailOptions;
  readonly delivery: ResolvedDeliveryOptions;
  readonly tokenization: ResolvedTokenizationOptions;
  readonly callbacks: ResolvedCallbackRoutes;
  readonly limits: ResolvedLimitsOptions;
  readonly store: ResolvedStoreOptions;
  readonly health: ResolvedHealthOptions;
  readonly metrics: ResolvedMetricsOptions;
}

/** What the boot check needs besides the options: the module-level settings and what DI holds. */
export interface OtpDeliveryBootContext {
  /** The `callbacks` given beside the options (`forRoot` / `forRootAsync`). */
  readonly callbacks?: unknown;
  /** Whether a `CardholderContactResolver` provider is registered. */
  readonly contactResolver?: boolean;
  /** Problems found in the module definition itself (e.g. a built-in token in `extraProviders`). */
  readonly definitionProblems?: readonly string[];
}

/**
 * Validates the module options and resolves every feature's slice, collecting EVERY problem first:
 * class-validator rules and unknown keys, the templates, the channels and fallbacks, what the
 * mounted callbacks need (issuer id, resolver, secrets), prom-client for metrics. Throws one
 * `OtpDeliveryConfigError` listing them all, before any feature provider is created.
 */
export function resolveOtpDeliveryOptions(raw: unknown, context: OtpDeliveryBootContext = {}): ResolvedOtpDeliveryOptions {
  const extras = extrasInOptions(raw);
  const { instance: options, problems } = checkOptions(OtpDeliveryModuleOptions, extras.options);
  problems.push(...extras.problems, ...(context.definitionProblems ?? []));

  const cm = resolveCmOptions(options.cm);
  const resolvedStore = resolveStoreOptions(options.store);
  const channels = resolveChannelsOptions(options.channels);
  const email = resolveEmailOptions(options.email);
  const delivery = resolveDeliveryOptions(options.delivery, channels.options.names);
  const callbacks = resolveCallbackRoutes(context.callbacks);
  const templates = compileTemplateCatalog(resolveTemplatesOptions(options.templates, cm));
  const tokenization = resolveTokenizationOptions(options.tokenization, { deliveryDeadlineMs: delivery.options.deadlineMs, defaultRegion: cm.defaultRegion });
  const metrics = resolveMetricsOptions(options.metrics);
  // The lease exists only where a callback that sends (classic, D1) is mounted.
  const leased = callbacks.routes.classic !== undefined || callbacks.routes.d1 !== undefined;
  const fitted = fitCommandTimeout(resolvedStore, options.store?.commandTimeoutMs, { deliveryDeadlineMs: delivery.options.deadlineMs, idempotencyLeaseMs: leased ? tokenization.idempotencyLeaseMs : undefined });
  const store = fitted.store;
  problems.push(...fitted.problems);
  problems.push(...channels.problems, ...email.problems, ...delivery.problems, ...callbacks.problems, ...storeOptionProblems(options.store));
  problems.push(...unconfiguredFallbackProblems(options.delivery?.fallback, unconfiguredBuiltInChannels(channels.options, email.options, cm)));
  problems.push(...otpEngineOptionProblems(options.otp, store.type));

  problems.push(...templates.problems.map(describeTemplateProblem));
  problems.push(...callbackProblems(callbacks.routes, tokenization, store, context.contactResolver ?? false));
  if (metrics.enabled && !metrics.registry && !resolvable('prom-client')) {
    problems.push('metrics.enabled needs the prom-client package (an optional peer dependency): npm install prom-client');
  }
  if (problems.length > 0) throw new OtpDeliveryConfigError(problems);

  return {
    cm,
    otp: resolveOtpEngineOptions(options.otp),
    templates: templates.catalog,
    channels: channels.options,
    email: email.options,
    delivery: delivery.options,
    tokenization,
    callbacks: callbacks.routes,
    // Only a configured secret gives every replica the same key (a random one would split the limits
    // per replica, also on a store of the app's own): without it the names are plain digests.
    limits: resolveLimitsOptions(options.limits, cm.defaultRegion, tokenization.methodIdSecretIsRandom ? undefined : tokenization.keys.counters),
    store,
    health: resolveHealthOptions(options.health),
    metrics,
  };
}

/** What a mounted callback group needs to answer anything but errors. */
function callbackProblems(routes: ResolvedCallbackRoutes, tokenization: ResolvedTokenizationOptions, store: ResolvedStoreOptions, contactResolver: boolean): string[] {
  const problems: string[] = [];
  const platform = (['classic', 'd1'] as const).filter((group) => routes[group] !== undefined).map((group) => `callbacks.${group}`);
  if (platform.length > 0) {
    const mounted = `while ${platform.join(' and ')} ${platform.length > 1 ? 'are' : 'is'} mounted`;
    if (!tokenization.issuerId) problems.push(`tokenization.issuerId is required ${mounted}`);
    if (!contactResolver) problems.push(`a CardholderContactResolver provider is required ${mounted}: add { provide: CardholderContactResolver, useClass: YourResolver } to extraProviders`);
    if (tokenization.methodIdSecretIsRandom && store.type === 'redis') {
      // Replicas sharing Redis with keys of their own: a retry on another replica would not be
      // recognised (a second SMS) and its method ids would not map back (501).
      problems.push(`tokenization.methodIdSecret is required with store.type redis ${mounted}: every replica must derive the same method-id and idempotency keys`);
    }
  }
  if (routes.statusReports !== undefined && !tokenization.statusReportSecret) {
    problems.push('tokenization.statusReportSecret is required while callbacks.statusReports is mounted');
  }
  return problems;
}

/** Whether an optional peer dependency is installed, without loading it. */
function resolvable(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}
