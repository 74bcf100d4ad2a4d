/** A failure the console can queue on the CM.com sandbox (`failNext`). */
export interface FaultChoice {
  readonly id: string;
  readonly status: number;
  /** CM's Business Messaging `errorCode`; none for a bare HTTP failure. */
  readonly errorCode?: number;
  readonly description: string;
  /** The code belongs to the refused message (`messageErrorCode`), as CM reports field and spam refusals. */
  readonly perMessage?: boolean;
}

/**
 * What CM.com's Business Messaging answers when it will not send (`shared/spec/cm-com.md`, the
 * library's `CM_MESSAGING_CODES`): refusals the library answers with `911`, and a bare 503 it may
 * retry within the delivery deadline.
 */
export const FAULT_CHOICES: readonly FaultChoice[] = [
  { id: 'insufficient-balance', status: 400, errorCode: 102, description: 'insufficient balance' },
  { id: 'unknown-token', status: 400, errorCode: 103, description: 'unknown or disabled product token' },
  { id: 'invalid-msisdn', status: 400, errorCode: 303, description: 'invalid MSISDN', perMessage: true },
  { id: 'spam-filtered', status: 400, errorCode: 401, description: 'spam filtered', perMessage: true },
  { id: 'internal-error', status: 500, errorCode: 500, description: 'internal error at CM' },
  { id: 'unavailable', status: 503, description: 'service unavailable' },
];

/** How the form names a choice. */
export function faultLabel(choice: FaultChoice): string {
  if (choice.errorCode === undefined) return `HTTP ${choice.status}, ${choice.description} (no CM body)`;
  return `${choice.perMessage ? 'messageErrorCode' : 'errorCode'} ${choice.errorCode}, ${choice.description} (HTTP ${choice.status})`;
}

/** The body CM answers for a choice, in the shape the sandbox answers its own refusals. */
export function faultBody(choice: FaultChoice): unknown {
  if (choice.errorCode === undefined) return 'Service Unavailable';
  const messages = choice.perMessage
    ? [{ to: null, status: 'Rejected', reference: null, parts: 0, messageDetails: choice.description, messageErrorCode: choice.errorCode }]
    : [];
  return { details: choice.description, errorCode: choice.errorCode, messages };
}

/** Why an SMS was not delivered, as a status report says it (`status.errorCode`, `errorDescription`). */
export interface ReceiptReason {
  readonly errorCode: number;
  readonly description: string;
}

/**
 * Reasons offered for an "undelivered" receipt. CM.com's table of status-report error codes is
 * not in the spec (**unconfirmed**): these are examples, each sent with its own description,
 * which the library passes through into the `undelivered` event's reason.
 */
export const RECEIPT_REASONS: readonly ReceiptReason[] = [
  { errorCode: 14, description: 'Absent subscriber (phone off or out of coverage)' },
  { errorCode: 1, description: 'Unknown subscriber' },
  { errorCode: 9, description: 'Subscriber barred from receiving SMS' },
  { errorCode: 20, description: 'Message expired before it could be delivered' },
  { errorCode: 32, description: 'Handset memory full' },
];
