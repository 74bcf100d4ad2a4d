import { analyzeSms } from '../../cm/sms-encoding.js';
import { isIntIn, isObject } from './cm-sandbox-validation.js';
import type { CmSandboxAnswer, CmSandboxMessage } from './cm-sandbox.types.js';
import { CM_REFERENCE } from '../../cm/cm-reference.js';

interface MessageResult {
  to: string | null;
  status: 'Accepted' | 'Rejected';
  reference: string | null;
  parts: number;
  messageDetails: string | null;
  messageErrorCode: number;
}

const FROM = /^([A-Za-z0-9 ]{1,11}|\d{1,16})$/;
const NUMBER_00 = /^00[1-9]\d{6,14}$/;
const RELATIVE_VALIDITY = /^\d+[mh]$/;

/**
 * Business Messaging `POST /v1.0/message` as CM documents it: token in the header or in
 * `messages.authentication`, field rules with CM's error codes, HTTP 200 with errorCode 0 when all
 * are accepted, 200 with 201 on partial failure, 400 when authentication fails or all are rejected.
 */
export class CmSandboxMessaging {
  constructor(
    private readonly isAccepted: (token: string | undefined) => boolean,
    private readonly send: (message: CmSandboxMessage) => void,
  ) {}

  handle(body: unknown, headerToken: string | undefined, now: Date): CmSandboxAnswer {
    const messages = isObject(body) ? body.messages : undefined;
    if (!isObject(messages)) return reply(400, 202, 'Malformed request: no messages object', []);
    const auth = isObject(messages.authentication) ? messages.authentication : undefined;
    const token = headerToken ?? (typeof auth?.productToken === 'string' ? auth.productToken : undefined);
    if (token === undefined || token === '') return reply(400, 101, 'No account found for the given authentication', []);
    if (!this.isAccepted(token)) return reply(400, 103, 'Unknown or disabled product token', []);
    if (!Array.isArray(messages.msg) || messages.msg.length === 0) return reply(400, 203, "The 'msg' array is empty or invalid", []);

    const results: MessageResult[] = [];
    const accepted: CmSandboxMessage[] = [];
    for (const msg of messages.msg as unknown[]) {
      for (const result of this.#check(msg, now, accepted)) results.push(result);
    }
    const rejected = results.filter((result) => result.status === 'Rejected');
    for (const message of accepted) this.send(message);
    if (rejected.length === 0) return reply(200, 0, `Created ${results.length} message(s)`, results);
    if (rejected.length < results.length) return reply(200, 201, `Created ${results.length - rejected.length} message(s)`, results);
    return reply(400, rejected[0]!.messageErrorCode, rejected[0]!.messageDetails ?? 'Rejected', results);
  }

  #check(msg: unknown, now: Date, accepted: CmSandboxMessage[]): MessageResult[] {
    const reject = (code: number, details: string, to: string | null = null, reference: string | null = null): MessageResult[] => [
      { to, status: 'Rejected', reference, parts: 0, messageDetails: details, messageErrorCode: code },
    ];
    if (!isObject(msg)) return reject(203, 'Invalid msg entry');
    const reference = typeof msg.reference === 'string' ? msg.reference : null;
    if (msg.reference !== undefined && (reference === null || !CM_REFERENCE.test(reference))) return reject(305, 'Invalid reference', null, reference);
    if (typeof msg.from !== 'string' || !FROM.test(msg.from)) return reject(301, 'Invalid from', null, reference);
    if (!Array.isArray(msg.to) || msg.to.length === 0) return reject(302, 'Invalid to', null, reference);
    const body = isObject(msg.body) ? msg.body : undefined;
    if (!body || typeof body.content !== 'string' || body.content === '' || (body.type !== undefined && String(body.type).toLowerCase() !== 'auto')) {
      return reject(304, 'Invalid body', null, reference);
    }
    const validity = msg.validity;
    if (validity !== undefined && (typeof validity !== 'string' || !(RELATIVE_VALIDITY.test(validity) || !Number.isNaN(Date.parse(validity))))) {
      return reject(305, 'Invalid validity', null, reference);
    }
    const minimum = msg.minimumNumberOfMessageParts ?? 1;
    const maximum = msg.maximumNumberOfMessageParts ?? 8;
    if (!isIntIn(minimum, 1, 255) || !isIntIn(maximum, 1, 255) || (minimum as number) > (maximum as number)) {
      return reject(305, 'Invalid number of message parts', null, reference);
    }
    if (msg.allowedChannels !== undefined && !(Array.isArray(msg.allowedChannels) && msg.allowedChannels.every((c) => typeof c === 'string'))) {
      return reject(305, 'Invalid allowedChannels', null, reference);
    }
    const analysis = analyzeSms(body.content);
    const encoding = msg.dcs === 8 ? 'UCS-2' : analysis.encoding;
    // `dcs: 8` forces UCS-2 even for a GSM-7 text: 70 code units in one part, 67 per part after.
    const ucs2Length = body.content.length;
    const parts = encoding === analysis.encoding ? analysis.parts : ucs2Length <= 70 ? 1 : Math.ceil(ucs2Length / 67);
    // CM's handling of a body over maximumNumberOfMessageParts is undocumented; refusing it is the
    // strict reading and the one that protects the issuer's bill.
    if (parts > (maximum as number)) return reject(304, 'Body needs more parts than maximumNumberOfMessageParts', null, reference);

    const results: MessageResult[] = [];
    for (const recipient of msg.to as unknown[]) {
      const number = isObject(recipient) && typeof recipient.number === 'string' ? recipient.number : null;
      if (number === null || !NUMBER_00.test(number)) {
        results.push(...reject(303, 'Invalid MSISDN', number, reference));
        continue;
      }
      results.push({ to: number, status: 'Accepted', reference, parts, messageDetails: null, messageErrorCode: 0 });
      accepted.push({
        api: 'messaging',
        reference: reference ?? '',
        from: msg.from,
        to: number,
        text: body.content,
        parts,
        encoding,
        validity: validity as string | undefined,
        channel: 'sms',
        receivedAt: now,
      });
    }
    return results;
  }
}

function reply(status: number, errorCode: number, details: string, messages: MessageResult[]): CmSandboxAnswer {
  return { status, body: { details, errorCode, messages } };
}
