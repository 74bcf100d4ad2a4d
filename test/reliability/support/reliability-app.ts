import { IdvMethodsService, type IdvMethod, type OtpDeliveryModuleForRootOptions } from 'nestjs-otp-delivery';
import { CmSandbox } from 'nestjs-otp-delivery/testing';
import { SmtpCapture } from '../../tokenization/support/smtp-capture.js';
import { baseOptions, startCallbackApp, type CallbackHarness, type HarnessOptions } from '../../tokenization/support/callback-app.js';

export { ISSUER_ID, STATUS_REPORT_SECRET, classicHeaders } from '../../tokenization/support/callback-app.js';

/** The classic sendOTP path under the default mount point. */
export const SEND_OTP = '/issuer/igwapi/v2.0/sendOTP';

/** The sample cardholders' methods, minted by the app itself (as requestCardDigitization would). */
export interface SampleMethods {
  /** Taro Yamada (JP): [sms, email]. */
  readonly jp: IdvMethod[];
  /** Emily Clarke (GB), card-gb-0001: [sms, email]. */
  readonly gb: IdvMethod[];
}

/** A callback app for the reliability suites, with its own sandbox and SMTP capture. */
export interface ReliabilityApp extends CallbackHarness {
  readonly methods: SampleMethods;
}

/**
 * Boots the tokenization harness (`startCallbackApp`, reused as-is) with `overrides` merged into
 * the base options group by group, so a suite changes only what its faults need (deadline,
 * fallback, store, SMTP URL).
 */
export async function startReliabilityApp(
  overrides: (sandbox: CmSandbox, smtp: SmtpCapture) => Partial<OtpDeliveryModuleForRootOptions> = () => ({}),
  app: Pick<HarnessOptions, 'configure'> = {},
): Promise<ReliabilityApp> {
  const sandbox = await CmSandbox.start();
  const smtp = await SmtpCapture.start();
  let harness: CallbackHarness;
  try {
    harness = await startCallbackApp({
      sandbox,
      smtp,
      options: (s, m) => mergeGroups(baseOptions(s, m), overrides(s, m)),
      configure: app.configure,
    });
  } catch (error) {
    await sandbox.close();
    await smtp.close();
    throw error;
  }
  const idv = harness.app.get(IdvMethodsService);
  const methods = { jp: await idv.forCard('card-jp-0001'), gb: await idv.forCard('card-gb-0001') };
  return {
    ...harness,
    methods,
    close: async () => {
      await harness.close();
      await sandbox.close();
      await smtp.close();
    },
  };
}

function mergeGroups(base: OtpDeliveryModuleForRootOptions, extra: Partial<OtpDeliveryModuleForRootOptions>): OtpDeliveryModuleForRootOptions {
  const merged: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = merged[key];
    merged[key] = isPlainObject(current) && isPlainObject(value) ? { ...current, ...value } : value;
  }
  return merged as OtpDeliveryModuleForRootOptions;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}

/** Number of Business Messaging requests the sandbox saw (faulted ones included). */
export function messagingRequests(sandbox: CmSandbox): number {
  return sandbox.requests.filter((request) => request.path === '/v1.0/message').length;
}
