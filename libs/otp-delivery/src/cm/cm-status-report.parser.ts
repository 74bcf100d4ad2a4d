import { maskPhone } from '../common/masking.js';
import type { SecretValue } from '../common/secret-value.js';
import type { CmDeliveryReceipt } from './cm-delivery-receipt.js';
import { readCmTime, readNumber } from './cm-otp-answer.js';
import { CM_STATUS_REPORT_LIMITS } from './cm-status-report.limits.js';
import { CM_REFERENCE } from './cm-reference.js';
import { redactCmMessage } from './cm-message.redaction.js';
import { parseStatusReportXml } from './cm-status-report.xml.js';

/** Why a status report body could not be read at all. */
export class CmStatusReportError extends Error {
  override readonly name = 'CmStatusReportError';
}

// Status codes are **unconfirmed** (from integrations, not CM's reference): 0 accepted, 1 rejected, 2 delivered, 3 failed.
const STATUSES: Readonly<Record<number, CmDeliveryReceipt['status']>> = { 0: 'accepted', 1: 'rejected', 2: 'delivered', 3: 'failed' };

/**
 * Reads CM status reports in every shape seen: JSON object or text, XML text, `msg` as an object
 * or an array, numbers as strings, PascalCase or upper-case keys. Entries without a reference or
 * with an unknown status are skipped (CM retries a refused report for days, so one odd entry must
 * not make the whole report fail); `onUnknownStatus` hears the code of each entry of ours skipped
 * for its status, since the codes are unconfirmed. A body larger, deeper or with more values than
 * `CM_STATUS_REPORT_LIMITS` is refused with `CmStatusReportError`, so the work per report stays small.
 * Error descriptions are scrubbed of `productToken` (the configured `cm.productToken`) among the rest.
 */
export function parseCmStatusReport(
  body: unknown,
  contentType?: string,
  now: Date = new Date(),
  productToken?: SecretValue,
  onUnknownStatus?: (cmStatusCode: number | undefined) => void,
): CmDeliveryReceipt[] {
  const data = lowerKeys(toData(body, contentType));
  const messages = pick(data, 'messages') ?? data;
  const list = pick(messages, 'msg') ?? (Array.isArray(data) ? data : undefined);
  const entries = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const receipts: CmDeliveryReceipt[] = [];
  for (const entry of entries) {
    const receipt = toReceipt(entry, now, productToken, onUnknownStatus);
    if (receipt) receipts.push(receipt);
  }
  return receipts;
}

function toData(body: unknown, contentType: string | undefined): unknown {
  if (Buffer.isBuffer(body) && body.length > CM_STATUS_REPORT_LIMITS.maxBytes) throw tooLarge();
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (typeof text !== 'string') return text;
  // Every UTF-16 unit takes at least one UTF-8 byte: a longer string is over the limit uncounted.
  if (text.length > CM_STATUS_REPORT_LIMITS.maxBytes || Buffer.byteLength(text) > CM_STATUS_REPORT_LIMITS.maxBytes) throw tooLarge();
  const trimmed = text.trim();
  try {
    if ((contentType && /xml/i.test(contentType)) || trimmed.startsWith('<')) return parseStatusReportXml(trimmed);
    return JSON.parse(trimmed) as unknown;
  } catch {
    // Not chained: the parsers' messages quote the body, which may hold phone numbers.
    throw new CmStatusReportError('The status report is neither JSON nor the simple XML CM sends');
  }
}

function tooLarge(): CmStatusReportError {
  return new CmStatusReportError(`The status report is larger than ${CM_STATUS_REPORT_LIMITS.maxBytes} bytes`);
}

function toReceipt(
  entry: unknown,
  now: Date,
  productToken: SecretValue | undefined,
  onUnknownStatus: ((cmStatusCode: number | undefined) => void) | undefined,
): CmDeliveryReceipt | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const reference = text(pick(entry, 'reference'));
  const statusNode = pick(entry, 'status');
  const statusObject = typeof statusNode === 'object' && statusNode !== null ? statusNode : undefined;
  const cmStatusCode = readNumber(statusObject ? pick(statusObject, 'code') : statusNode);
  const status = cmStatusCode === undefined ? undefined : STATUSES[cmStatusCode];
  // A reference CM cannot have been given (1 to 32 alphanumerics) is no message of ours: skipped, never stored.
  if (!reference || !CM_REFERENCE.test(reference)) return undefined;
  if (!status) {
    onUnknownStatus?.(cmStatusCode);
    return undefined;
  }
  // CM's own words, which may echo the message (its code unknown here, so every run of 4 digits or
  // more counts as one), its recipient, or the product token.
  const given = statusObject ? text(pick(statusObject, 'errordescription')) : undefined;
  const description = given === undefined ? undefined : redactCmMessage(given, { secretText: given, productToken });
  return {
    reference,
    status,
    destinationMasked: maskPhone(text(pick(entry, 'to')) ?? ''),
    cmStatusCode,
    cmErrorCode: statusObject ? readNumber(pick(statusObject, 'errorcode')) : undefined,
    cmErrorDescription: description || undefined,
    receivedAt: readCmTime(pick(entry, 'received')) ?? now,
  };
}

function pick(node: unknown, key: string): unknown {
  return typeof node === 'object' && node !== null && !Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined;
}

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

interface PendingValue {
  readonly value: unknown;
  readonly parent: Record<string, unknown>;
  readonly key: string;
  readonly depth: number;
}

/**
 * A copy with every object key in lower case, walked with an explicit stack: a body nested
 * thousands of levels deep gets a clear refusal, not a stack overflow. Copies have no prototype,
 * so a `__proto__` key stays a plain key. JSON the app's body parser read arrives as values, not
 * bytes: the UTF-8 bytes of their keys and strings are what is counted against `maxBytes` (at
 * least that much text).
 */
function lowerKeys(value: unknown): unknown {
  const root = Object.create(null) as Record<string, unknown>;
  const pending: PendingValue[] = [{ value, parent: root, key: 'value', depth: 0 }];
  let values = 1;
  let text = 0;
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value: current, parent, key, depth } = next;
    if (typeof current !== 'object' || current === null) {
      if (typeof current === 'string') text += Buffer.byteLength(current);
      if (text > CM_STATUS_REPORT_LIMITS.maxBytes) throw tooLarge();
      parent[key] = current;
      continue;
    }
    if (depth >= CM_STATUS_REPORT_LIMITS.maxDepth) {
      throw new CmStatusReportError(`The status report is nested deeper than ${CM_STATUS_REPORT_LIMITS.maxDepth} levels`);
    }
    // Counted before anything is copied, so an oversized array or object costs nothing more.
    const names = Object.keys(current);
    values += names.length;
    if (values > CM_STATUS_REPORT_LIMITS.maxValues) {
      throw new CmStatusReportError(`The status report holds more than ${CM_STATUS_REPORT_LIMITS.maxValues} values`);
    }
    const array = Array.isArray(current);
    if (!array) for (const name of names) text += Buffer.byteLength(name);
    if (text > CM_STATUS_REPORT_LIMITS.maxBytes) throw tooLarge();
    const copy = (array ? new Array<unknown>(current.length) : Object.create(null)) as Record<string, unknown>;
    parent[key] = copy;
    // Pushed in reverse so entries are assigned in order: of two keys that differ only in case,
    // the later one wins, as it did with Object.fromEntries.
    for (let index = names.length - 1; index >= 0; index--) {
      const name = names[index]!;
      pending.push({ value: (current as Record<string, unknown>)[name], parent: copy, key: array ? name : name.toLowerCase(), depth: depth + 1 });
    }
  }
  return root['value'];
}
