import { maskPhone } from '../common/masking.js';
import type { CmDeliveryReceipt } from './cm-delivery-receipt.js';
import { readCmTime, readNumber } from './cm-otp-answer.js';
import { parseSimpleXml } from './cm-status-report.xml.js';

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
 * not make the whole report fail).
 */
export function parseCmStatusReport(body: unknown, contentType?: string, now: Date = new Date()): CmDeliveryReceipt[] {
  const data = lowerKeys(toData(body, contentType));
  const messages = pick(data, 'messages') ?? data;
  const list = pick(messages, 'msg') ?? (Array.isArray(data) ? data : undefined);
  const entries = Array.isArray(list) ? list : list === undefined ? [] : [list];
  const receipts: CmDeliveryReceipt[] = [];
  for (const entry of entries) {
    const receipt = toReceipt(entry, now);
    if (receipt) receipts.push(receipt);
  }
  return receipts;
}

function toData(body: unknown, contentType: string | undefined): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (typeof text !== 'string') return text;
  const trimmed = text.trim();
  try {
    if ((contentType && /xml/i.test(contentType)) || trimmed.startsWith('<')) return parseSimpleXml(trimmed);
    return JSON.parse(trimmed) as unknown;
  } catch {
    throw new CmStatusReportError('The status report is neither JSON nor the simple XML CM sends');
  }
}

function toReceipt(entry: unknown, now: Date): CmDeliveryReceipt | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const reference = text(pick(entry, 'reference'));
  const statusNode = pick(entry, 'status');
  const statusObject = typeof statusNode === 'object' && statusNode !== null ? statusNode : undefined;
  const cmStatusCode = readNumber(statusObject ? pick(statusObject, 'code') : statusNode);
  const status = cmStatusCode === undefined ? undefined : STATUSES[cmStatusCode];
  if (!reference || !status) return undefined;
  const description = statusObject ? text(pick(statusObject, 'errordescription')) : undefined;
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

function lowerKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(lowerKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key.toLowerCase(), lowerKeys(inner)]));
}
