import type { SmsEncoding } from '../../cm/sms-encoding.js';

/** Options of `CmSandbox.start`. */
export interface CmSandboxOptions {
  /**
   * TCP port on 127.0.0.1; 0 picks a free one.
   * @default 0
   */
  port?: number;
  /**
   * Product tokens the sandbox accepts. `sandbox.productToken` is the first one.
   * @default one random GUID
   * @example ['00000000-0000-0000-0000-000000000001']
   */
  productTokens?: string[];
  /**
   * Print every "sent" message to stdout, marked `[CM SANDBOX]`, code included: the sandbox is
   * the only place allowed to show a code, so a developer without a CM account can complete a flow.
   * @default false
   */
  log?: boolean;
  /**
   * Keep every request in `sandbox.requests`. Turn it off for long benchmark runs.
   * @default true
   */
  recordRequests?: boolean;
  /**
   * Keep at most this many messages in `outbox`, the oldest dropped first (`messages$` still sees
   * every one), and as many OTPs of the OTP APIs, the oldest forgotten first (verifying a forgotten
   * one answers as an unknown id does). Set it for a long-running sandbox (the sample app's), whose
   * outbox and OTPs would grow for ever.
   * @default unlimited (a test reads every message it caused)
   * @example 1000
   */
  maxMessages?: number;
  /**
   * Wrong verify attempts after which an OTP is locked (OTP v1 and v2).
   * @default 5
   */
  maxVerifyAttempts?: number;
}

/** One message the sandbox "sent". */
export interface CmSandboxMessage {
  /** Which CM API produced it. */
  readonly api: 'messaging' | 'otp-v1' | 'otp-v2';
  /** Business Messaging `reference`, or the OTP id for the OTP APIs. */
  readonly reference: string;
  readonly from: string;
  /** Destination as CM received it (`0081...`, `+81...` or an email address for OTP v2 email). */
  readonly to: string;
  /** The text as it would reach the handset, code included. */
  readonly text: string;
  readonly parts: number;
  readonly encoding: SmsEncoding;
  /** Business Messaging `validity`, or the OTP expiry in seconds as `"<n>s"`. */
  readonly validity?: string;
  /** OTP v2 channel (`sms`, `email`, ...); `sms` for v1 and Business Messaging. */
  readonly channel: string;
  /** The generated code (OTP APIs only), so tests can verify it. */
  readonly code?: string;
  readonly receivedAt: Date;
}

/** One HTTP request the sandbox saw, faulted or not. */
export interface CmSandboxRequest {
  readonly method: string;
  readonly path: string;
  /** Header names in lower case, as Node gives them. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** Parsed JSON body, or the raw text when it is not JSON, or undefined when empty. */
  readonly body: unknown;
  /** Client port of the TCP connection: equal ports mean a kept-alive connection was reused. */
  readonly remotePort?: number;
  readonly receivedAt: Date;
}

/** A fault to answer instead of the real handler. */
export interface CmSandboxFault {
  /** HTTP status to answer. */
  readonly status: number;
  /** Body to answer (JSON-encoded unless a string); a CM-shaped error body by default. */
  readonly body?: unknown;
}

/** The faults a sandbox injects now (`CmSandbox.faults`, `CmSandbox.faults$`). */
export interface CmSandboxFaultState {
  /** Failures queued by `failNext`, in the order the next requests will get them. */
  readonly failNext: readonly CmSandboxFault[];
  /** Requests still to be dropped without an answer (`dropNext`). */
  readonly dropNext: number;
  /** Delay added to every answer, in milliseconds (`setLatency`); 0 when off. */
  readonly latencyMs: number;
}

/** What a route handler answers. */
export interface CmSandboxAnswer {
  readonly status: number;
  readonly body: unknown;
}
