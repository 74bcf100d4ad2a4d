import { maskDestination, type OtpDeliveryEvent } from 'nestjs-otp-delivery';
import type { CmSandboxFaultState, CmSandboxMessage, OutboxEmail } from 'nestjs-otp-delivery/testing';

/**
 * What the console shows, as the page receives it. Destinations are masked as in the library's
 * logs and events; codes are shown on purpose (a sandbox, like the `[CM SANDBOX]` line).
 */
export type ConsoleEntry = SmsEntry | EmailEntry | FailureEntry;

/** Where an SMS stands: CM accepted it, then a status report said delivered or undelivered. */
export type SmsStatus = 'accepted' | 'delivered' | 'undelivered';

/** An SMS (or an OTP-API message) the CM.com sandbox "sent". */
export interface SmsEntry {
  readonly kind: 'sms';
  readonly id: string;
  /** ISO 8601. */
  readonly at: string;
  readonly api: CmSandboxMessage['api'];
  readonly channel: string;
  /** CM's reference: the library's delivery id, the key of status reports. */
  readonly reference: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  /** The code to highlight in `text`, when the console can tell it. */
  readonly code?: string;
  readonly encoding: string;
  readonly parts: number;
  readonly validity?: string;
  /** Whether CM sends status reports about it (Business Messaging), so receipts can be simulated. */
  readonly receipts: boolean;
  status: SmsStatus;
  statusReason?: string;
  statusAt?: string;
}

/** An email the outbox kept. Its HTML is served apart (`api/emails/:id/html`), into a sandboxed frame. */
export interface EmailEntry {
  readonly kind: 'email';
  readonly id: string;
  readonly at: string;
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly code?: string;
  readonly hasHtml: boolean;
}

/** A delivery attempt that failed (the library's `failed` event): what made a callback answer 911. */
export interface FailureEntry {
  readonly kind: 'failure';
  readonly id: string;
  readonly at: string;
  readonly deliveryId: string;
  readonly channel: string;
  readonly to: string;
  readonly reason?: string;
  readonly correlationId?: string;
}

/** The CM sandbox's faults as the page shows them. */
export interface FaultsView {
  /** HTTP status of each queued failure, next first. */
  readonly failNext: readonly number[];
  readonly dropNext: number;
  readonly latencyMs: number;
}

export function smsEntry(id: string, message: CmSandboxMessage, code: string | undefined): SmsEntry {
  return {
    kind: 'sms',
    id,
    at: message.receivedAt.toISOString(),
    api: message.api,
    channel: message.channel,
    reference: message.reference,
    from: message.from,
    // CM's `00` international prefix as `+`, so the mask matches the idvMethodList and the events.
    to: maskDestination(message.to.replace(/^00/, '+')),
    text: message.text,
    code,
    encoding: message.encoding,
    parts: message.parts,
    validity: message.validity,
    receipts: message.api === 'messaging' && message.reference !== '',
    status: 'accepted',
  };
}

export function emailEntry(id: string, email: OutboxEmail, code: string | undefined): EmailEntry {
  return {
    kind: 'email',
    id,
    at: email.sentAt.toISOString(),
    from: email.from,
    to: email.to.map(maskDestination),
    subject: email.subject,
    text: email.text,
    code,
    hasHtml: email.html !== undefined,
  };
}

export function failureEntry(id: string, event: OtpDeliveryEvent): FailureEntry {
  return {
    kind: 'failure',
    id,
    at: event.at.toISOString(),
    deliveryId: event.deliveryId,
    channel: event.channel,
    to: event.destinationMasked,
    reason: event.reason,
    correlationId: event.correlationId,
  };
}

export function faultsView(state: CmSandboxFaultState): FaultsView {
  return { failNext: state.failNext.map((fault) => fault.status), dropNext: state.dropNext, latencyMs: state.latencyMs };
}
