import type { OtpDeliveryEvents, SecretValue } from 'nestjs-otp-delivery';
import type { CmSandbox, EmailOutbox } from 'nestjs-otp-delivery/testing';

/** A card the "Try it" form offers. */
export interface SandboxConsoleCard {
  /** The card reference sent as `issuerCardRefId`. @example 'card-jp-0001' */
  readonly issuerCardRefId: string;
  /** What the form shows for it (no PAN beyond its last 4 digits). @example 'card-jp-0001, ending 4242 (ja-JP)' */
  readonly label: string;
}

/** Where the console finds the app's callbacks, under `callbackBaseUrl`. */
export interface SandboxConsoleRoutes {
  /**
   * The issuer's own `requestCardDigitization` (the sample app's route).
   * @default '/issuer/igwapi/v2.0/requestCardDigitization'
   */
  readonly requestCardDigitization?: string;
  /**
   * The library's classic `sendOTP` (`tokenization.routes.classic` + `/sendOTP`).
   * @default '/issuer/igwapi/v2.0/sendOTP'
   */
  readonly sendOtp?: string;
  /**
   * The library's CM.com status-report endpoint (`tokenization.routes.statusReports`).
   * @default '/cm/status-reports'
   */
  readonly statusReports?: string;
}

/**
 * What `SandboxConsoleModule.register` takes: values, not providers, so the console mounts on
 * the app that sends (the sample app today) or on another Nest app in the same process (a
 * management port) with the same call.
 *
 * @example
 * SandboxConsoleModule.register({
 *   cm, emailOutbox, events: app.get(OtpDeliveryEvents), statusReportSecret, issuerId: 'ISSUER0001',
 *   callbackBaseUrl: () => `http://127.0.0.1:${port}`,
 * })
 */
export interface SandboxConsoleOptions {
  /**
   * The CM.com sandbox the app sends its SMS to: the console lists them and drives its faults.
   * @example await CmSandbox.start()
   */
  readonly cm: CmSandbox;
  /**
   * The email outbox the app sends its email to: the console lists what it keeps.
   * @example new EmailOutbox()
   */
  readonly emailOutbox: EmailOutbox;
  /**
   * The library's delivery events of the sending app (`delivered`, `undelivered`, `failed`).
   * @example app.get(OtpDeliveryEvents)
   */
  readonly events: OtpDeliveryEvents;
  /**
   * Base URL of the app that serves the callbacks, without a trailing slash, or a function that
   * answers it when a request needs it (the port is known only after `listen`).
   * @example () => `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`
   */
  readonly callbackBaseUrl: string | (() => string);
  /**
   * The app's `tokenization.statusReportSecret`: simulated receipts carry it in
   * `x-status-report-secret`, as CM.com does. Never shown, never logged.
   * @example new SecretValue(process.env.CM_STATUS_REPORT_SECRET!)
   */
  readonly statusReportSecret: string | SecretValue;
  /** The `x-issuer-id` the callbacks expect (`tokenization.issuerId`). @example 'ISSUER0001' */
  readonly issuerId: string;
  /**
   * Cards the "Try it" form offers.
   * @default []
   */
  readonly cards?: readonly SandboxConsoleCard[];
  /** Paths of the callbacks. @default the library's and the sample app's defaults */
  readonly routes?: SandboxConsoleRoutes;
  /**
   * Host names the console answers besides `localhost`, `*.localhost` and IP addresses (the name
   * in `Host`, case-insensitive): one you open it by, a dev machine's. Any other gets 403
   * (`ConsoleHostGuard`: a DNS-rebound page must not read or drive the console).
   * @default []
   * @example ['console.dev.example']
   */
  readonly allowedHosts?: readonly string[];
  /**
   * Messages and failures the console keeps; the oldest go first.
   * @default 200
   */
  readonly maxEntries?: number;
}
