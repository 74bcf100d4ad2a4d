import type { ModuleMetadata, Type } from '@nestjs/common';
import type { OtpDeliveryModuleOptions } from '../../options/otp-delivery-module-options.js';
import type { OtpDeliveryModuleExtras } from '../../otp-delivery.module-definition.js';
import type { CardholderContactResolver } from '../../tokenization/cardholder-contact-resolver.interface.js';
import type { CmSandbox } from '../cm-sandbox/cm-sandbox.js';
import type { CmSandboxOptions } from '../cm-sandbox/cm-sandbox.types.js';
import type { EmailOutbox, EmailOutboxOptions } from '../email-outbox/email-outbox.js';
import { isPlainObject } from '../../common/plain-object.js';

/**
 * What `OtpDeliveryTestingModule` sets unless told otherwise. Tests read it to call the mounted
 * callbacks (`x-issuer-id`, the status-report secret).
 */
export const OTP_DELIVERY_TEST_DEFAULTS = Object.freeze({
  /** `tokenization.issuerId`. */
  issuerId: 'ISSUER0001',
  /** `tokenization.statusReportSecret`, for the `x-status-report-secret` header. */
  statusReportSecret: 'status-report-secret-for-tests-00',
  /** `tokenization.methodIdSecret` (32 characters): method ids are stable across test runs. */
  methodIdSecret: 'method-id-secret-for-tests-00000',
  /** `cm.sender`. */
  sender: 'TestBank',
  /** `email.from`. */
  emailFrom: 'TestBank <otp@issuer.test>',
  /** Each of `limits.perCard`, `limits.perDestination` and `limits.perClient`: room for a whole suite. */
  rateLimit: Object.freeze({ max: 10_000, windowSeconds: 60 }),
});

/**
 * Options of `OtpDeliveryTestingModule.forRoot`: the module's own options and extras, each group
 * merged key by key over the test defaults (`OTP_DELIVERY_TEST_DEFAULTS`), plus the sandboxes'.
 */
export interface OtpDeliveryTestingModuleOptions extends OtpDeliveryModuleOptions, Omit<OtpDeliveryModuleExtras, 'isGlobal'> {
  /**
   * Register `OtpDeliveryModule` globally, so the feature modules under test inject its services.
   * @default true
   */
  isGlobal?: boolean;
  /**
   * The `CardholderContactResolver` the callbacks and `IdvMethodsService` ask: a class (created by
   * DI, with its dependencies from `imports`) or an object. Required when `callbacks` mounts the
   * classic or D1 callbacks.
   * @default undefined (no resolver)
   * @example { resolveByCard: async (card) => (card === 'card-1' ? { phoneNumber: '+819012345678' } : null), resolveByConsumer: async () => null }
   */
  resolver?: Type<CardholderContactResolver> | CardholderContactResolver;
  /**
   * Modules the resolver, a channel class or `extraProviders` inject from.
   * @default []
   */
  imports?: ModuleMetadata['imports'];
  /**
   * Options of the `CmSandbox` the module starts (and closes at shutdown).
   * @default {} (a free port, a random product token, no log)
   */
  sandbox?: CmSandboxOptions;
  /**
   * Options of the `EmailOutbox` email goes to (unless `email` names `smtpUrl`, `transport` or
   * `outbox`).
   * @default { log: false }
   */
  outbox?: EmailOutboxOptions;
}

/** The test defaults for a started sandbox and an outbox, before the caller's overrides. */
export function testDefaults(sandbox: CmSandbox, outbox: EmailOutbox): OtpDeliveryModuleOptions {
  const d = OTP_DELIVERY_TEST_DEFAULTS;
  return {
    cm: { productToken: sandbox.productToken, otpBaseUrl: sandbox.url, messagingBaseUrl: sandbox.url, sender: d.sender },
    email: { outbox, from: d.emailFrom },
    tokenization: { issuerId: d.issuerId, statusReportSecret: d.statusReportSecret, methodIdSecret: d.methodIdSecret, auth: { mode: 'none' } },
    limits: { perCard: { ...d.rateLimit }, perDestination: { ...d.rateLimit }, perClient: { ...d.rateLimit } },
  };
}

/** Keys that are no module option: the testing module's own, and the extras it hands beside the factory. */
const TESTING_KEYS = new Set(['isGlobal', 'resolver', 'imports', 'sandbox', 'outbox', 'callbacks', 'extraProviders', 'openApi']);

/** The module options: each group of `overrides` merged key by key over the test defaults. */
export function mergeTestOptions(sandbox: CmSandbox, outbox: EmailOutbox, overrides: OtpDeliveryTestingModuleOptions): OtpDeliveryModuleOptions {
  const defaults = testDefaults(sandbox, outbox) as Record<string, Record<string, unknown> | undefined>;
  const given = Object.fromEntries(Object.entries(overrides).filter(([key]) => !TESTING_KEYS.has(key))) as Record<string, unknown>;
  const email = given.email as Record<string, unknown> | undefined;
  // smtpUrl, transport and outbox are alternatives: one the test names replaces the default outbox.
  if (email && ['smtpUrl', 'transport', 'outbox'].some((key) => email[key] !== undefined)) defaults.email = { from: defaults.email?.from };
  const merged: Record<string, unknown> = { ...defaults };
  for (const [group, value] of Object.entries(given)) {
    const base = defaults[group];
    merged[group] = base && isPlainObject(value) ? { ...base, ...value } : value;
  }
  return merged as OtpDeliveryModuleOptions;
}
