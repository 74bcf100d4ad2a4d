import fc from 'fast-check';
import { deflateSync, gzipSync } from 'node:zlib';
import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { STATUS_REPORT_SECRET, ISSUER_ID, startReliabilityApp, type ReliabilityApp } from './support/reliability-app.js';
import { ALL_CALLBACKS } from '../tokenization/support/callback-app.js';
import { createTestPki, escapedCertificate } from '../tokenization/support/certificates.js';

/**
 * Property-based fuzzing of every callback over real HTTP (keep-alive, several requests in
 * flight at once): random and malformed bodies, headers and path parameters, content types and
 * content encodings, bodies nested deeper than the limit or larger than the parser takes. For
 * each request a small model of the callback contract says which answers fit (the app's body
 * parser first, then the guards, then the body); whatever is generated, the app never answers 5xx
 * and never sends anything (the CM sandbox and the SMTP server see nothing).
 */

const CLASSIC = '/issuer/igwapi/v2.0';
const CLIENT_VERIFY = 'x-client-verify';
const CLIENT_CERT = 'x-client-cert';
/** A real client certificate as nginx forwards it: the only certificate header value that passes. */
const FORWARDED_CERT = escapedCertificate((await createTestPki()).client);
/** Known D1 consumers of the sample cardholders file: only ever paired with a body that cannot pass. */
const KNOWN_CONSUMERS = ['cons_yamada_taro', 'cons_emily_clarke'];
const D1_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CARD_ID = /^[A-Za-z0-9_-]{1,48}$/;

/** How a body travels: the `content-encoding` header sent, and what the bytes on the wire are. */
interface Transport {
  readonly header: string | undefined;
  /** `corrupt`: bytes no decoder takes (never empty). */
  readonly bytes: 'plain' | 'gzip' | 'deflate' | 'corrupt';
}

/** One generated request. Header values `undefined` are left out; `body` is the text before any encoding. */
interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | undefined>;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
  readonly transport?: Transport;
}

/** A Thales response code, optionally with the field its `errorMessage` must name (`'112:content-type'`). */
type Code = number | `${number}:${string}`;
type Allowed = Record<number, readonly Code[] | 'any'>;

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

// ---------------------------------------------------------------- generators

const ascii = (maxLength: number) => fc.string({ unit: 'grapheme-ascii', maxLength });
const anyText = (maxLength: number) => fc.string({ unit: 'grapheme', maxLength });
const absent = fc.constant(undefined);

/**
 * Caller authentication (auth mode `trusted-proxy`, the test client's 127.0.0.1 in `trustedProxies`):
 * mostly valid, so the deeper checks get exercised.
 */
const authHeaders = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ [CLIENT_VERIFY]: 'SUCCESS', [CLIENT_CERT]: FORWARDED_CERT }) },
  { weight: 1, arbitrary: fc.record({ [CLIENT_VERIFY]: fc.oneof(absent, ascii(12), fc.constant('FAILED')), [CLIENT_CERT]: fc.oneof(absent, ascii(20), fc.constant(FORWARDED_CERT)) }) },
  { weight: 1, arbitrary: fc.record({ [CLIENT_VERIFY]: fc.constant('SUCCESS'), [CLIENT_CERT]: fc.oneof(absent, fc.constant(''), fc.constant('MIIB-test-certificate'), ascii(40)) }) },
);
const issuerHeader = fc.oneof(
  { weight: 6, arbitrary: fc.constant(ISSUER_ID) },
  { weight: 1, arbitrary: absent },
  { weight: 1, arbitrary: ascii(14) },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Z0-9]{10}$/) },
);
const correlationHeader = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/) },
  { weight: 1, arbitrary: absent },
  { weight: 2, arbitrary: ascii(80) },
);
/** The content types the CM status reports see (that endpoint takes JSON or XML: not fuzzed further here). */
const statusReportContentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded') },
  { weight: 1, arbitrary: absent },
);

/** Content types of the callbacks with a body: JSON in every accepted spelling, odd charsets, forms, text, multipart, none. */
const contentType = fc.oneof(
  { weight: 8, arbitrary: fc.constant('application/json') },
  { weight: 2, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'Application/JSON; Charset=UTF-8', 'application/json;charset="utf-8"') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=latin1', 'application/json; charset=iso-8859-1', 'application/json; charset=utf8', 'application/json; charset=us-ascii') },
  { weight: 1, arbitrary: fc.constantFrom('application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=iso-8859-1', 'application/x-www-form-urlencoded; charset=latin1') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'text/plain; charset=utf-8', 'text/xml', 'application/xml', 'multipart/form-data; boundary=x0x', 'application/json-patch+json') },
  { weight: 1, arbitrary: absent },
);

const PLAIN: Transport = { header: undefined, bytes: 'plain' };
/** Content encodings: none, valid gzip/deflate (any case), broken ones, unknown ones. */
const transport = fc.oneof(
  { weight: 8, arbitrary: fc.constant(PLAIN) },
  {
    weight: 2,
    arbitrary: fc.constantFrom<Transport>({ header: 'identity', bytes: 'plain' }, { header: 'gzip', bytes: 'gzip' }, { header: 'GZIP', bytes: 'gzip' }, { header: 'deflate', bytes: 'deflate' }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<Transport>({ header: 'gzip', bytes: 'corrupt' }, { header: 'deflate', bytes: 'corrupt' }, { header: 'x-unknown', bytes: 'plain' }, { header: 'compress', bytes: 'plain' }),
  },
);

/** A value that is anything but what a field expects (or sometimes what it expects). */
const junk = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  anyText(70),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.stringMatching(/^[0-9]{4,10}$/),
  fc.constant('x'.repeat(200)),
);

/** An `expirationDate` clearly past or clearly future (ISO 8601 or epoch seconds), or none. */
const expirationDate = fc.option(
  fc.oneof(
    { weight: 2, arbitrary: fc.date({ min: new Date('2001-01-01T00:00:00Z'), max: new Date('2020-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000_000_000, max: 1_500_000_000 }).map(String) },
    { weight: 1, arbitrary: fc.date({ min: new Date('2100-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString()) },
  ),
  { nil: undefined },
);

/** A valid object with 0 to 2 fields deleted or replaced by junk: reaches the deep checks often. */
function mutated(valid: fc.Arbitrary<Record<string, unknown>>): fc.Arbitrary<Record<string, unknown>> {
  return valid.chain((object) =>
    fc
      .array(fc.record({ key: fc.constantFrom(...Object.keys(object)), remove: fc.boolean(), value: junk }), { maxLength: 2 })
      .map((operations) => {
        const copy: Record<string, unknown> = { ...object };
        for (const { key, remove, value } of operations) {
          if (remove) delete copy[key];
          else copy[key] = value;
        }
        return copy;
      }),
  );
}

/** sendOTP-shaped objects: every field sometimes valid, sometimes junk, sometimes missing. */
function sendOtpShape(foreignMethodIds: string[]) {
  const nearlyValid = mutated(
    fc.record({
      issuerCardRefId: fc.constantFrom('card-jp-0001', 'card-gb-0001', 'card-gb-0002', 'card-unknown-9'),
      otpValue: fc.stringMatching(/^[0-9]{6,8}$/),
      otpMethodId: fc.oneof(fc.constantFrom(...foreignMethodIds), fc.stringMatching(/^[A-Za-z0-9_-]{16}$/)),
      walletProviderId: fc.constantFrom('APPLE_PAY', 'ANDROID_PAY', 'SPAYHCE'),
      expirationDate,
    }),
  );
  return fc.oneof(nearlyValid, fc.record(
    {
      issuerCardRefId: fc.oneof(fc.constantFrom('card-jp-0001', 'card-gb-0001', 'card-gb-0002'), ascii(60), junk),
      otpValue: fc.oneof(fc.stringMatching(/^[0-9]{6,8}$/), junk),
      // Real ids of the OTHER cardholder (a foreign id) or random ones: never one that fits the card.
      otpMethodId: fc.oneof(fc.constantFrom(...foreignMethodIds), fc.stringMatching(/^[A-Za-z0-9_-]{16}$/), junk),
      walletProviderId: fc.oneof(fc.constantFrom('APPLE_PAY', 'ANDROID_PAY', 'SPAYHCE'), junk),
      tokenRequestor: fc.oneof(fc.dictionary(ascii(8), junk, { maxKeys: 3 }), junk),
      expirationDate: fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), junk),
      deviceBindingReference: junk,
      [`extra_${'field'}`]: junk,
    },
    { requiredKeys: [] },
  ));
}

const notifyShape = fc.oneof(
  mutated(
    fc.record({
      issuerCardRefId: fc.constantFrom('card-jp-0001', 'card-gb-0001'),
      virtualCardId: fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
      walletProviderId: fc.constant('APPLE_PAY'),
      tokenStorageId: fc.stringMatching(/^[A-Za-z0-9]{1,20}$/),
      isPrimary: fc.boolean(),
      action: fc.constantFrom('ACTIVATE', 'SUSPEND', 'RESUME', 'DELETE', 'DELETE_FROM_APP', 'NEW_ACTION'),
    }),
  ),
  fc.record(
  {
    issuerCardRefId: fc.oneof(fc.constantFrom('card-jp-0001', 'card-gb-0001'), junk),
    virtualCardId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), junk),
    walletProviderId: fc.oneof(fc.constant('APPLE_PAY'), junk),
    tokenStorageId: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,20}$/), junk),
    isPrimary: fc.oneof(fc.boolean(), junk),
    action: fc.oneof(fc.constantFrom('ACTIVATE', 'SUSPEND', 'RESUME', 'DELETE', 'DELETE_FROM_APP', 'NEW_ACTION'), junk),
    source: junk,
    tokenInfo: junk,
    errorCode: fc.oneof(fc.constant(221), fc.constant('221'), junk),
  },
  { requiredKeys: [] },
  ),
);

const d1OtpShape = fc.oneof(
  {
    weight: 3,
    arbitrary: mutated(
      fc.record({
        otp: fc.record({ value: fc.stringMatching(/^[0-9]{6}$/), reason: fc.constant('CARD-DIGITIZATION'), expirationDate }),
        deliveryChannel: fc.constantFrom('SMS', 'EMAIL'),
        panSuffix: fc.stringMatching(/^[0-9]{4}$/),
      }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc.record(
      {
        otp: fc.oneof(
          fc.record({ value: fc.oneof(fc.stringMatching(/^[0-9]{6}$/), junk), expirationDate: junk, reason: junk }, { requiredKeys: [] }),
          junk,
        ),
        deliveryChannel: fc.oneof(fc.constantFrom('SMS', 'EMAIL', 'sms', 'Email'), junk),
        panSuffix: fc.oneof(fc.stringMatching(/^[0-9]{4}$/), junk),
        digitalCardRequestor: junk,
        deviceInformation: junk,
      },
      { requiredKeys: [] },
    ),
  },
);

/** An `otp` that is not one object with a code: an array of good ones, a bare code, a scalar, null, no code. */
const brokenD1Otp = fc.oneof(
  fc.array(fc.record({ value: fc.stringMatching(/^[0-9]{6}$/), expirationDate }), { maxLength: 2 }),
  fc.stringMatching(/^[0-9]{6}$/),
  fc.integer(),
  fc.constant(null),
  fc.record({ value: fc.oneof(fc.stringMatching(/^[0-9]{0,3}$/), fc.integer(), fc.constant(null)), reason: fc.constant('CARD-DIGITIZATION') }, { requiredKeys: [] }),
);

/**
 * A D1 body for a KNOWN consumer, so broken it can never be sent: in `deliveryChannel` (look-alike
 * letters that `toUpperCase` would turn into `SMS` included), or in `otp` with a good channel.
 */
const brokenD1OtpShape = fc.oneof(
  d1OtpShape.chain((shape) =>
    fc
      .oneof(anyText(10), fc.constantFrom('\u017Fms', 'ema\u0131l', '\u017FMS'))
      .filter((channel) => !/^(sms|email)$/i.test(channel))
      .map((deliveryChannel) => ({ ...shape, deliveryChannel })),
  ),
  d1OtpShape.chain((shape) => fc.record({ otp: brokenD1Otp, deliveryChannel: fc.constantFrom('SMS', 'email') }).map((broken) => ({ ...shape, ...broken }))),
);

const statusReportShape = fc.oneof(
  fc.record(
    {
      messages: fc.oneof(
        fc.record({ msg: fc.oneof(fc.array(fc.dictionary(ascii(12), junk, { maxKeys: 6 }), { maxLength: 4 }), fc.dictionary(ascii(12), junk), junk) }, { requiredKeys: [] }),
        junk,
      ),
    },
    { requiredKeys: [] },
  ),
  fc.record({
    messages: fc.record({
      msg: fc.record(
        {
          received: junk,
          to: fc.oneof(fc.constant('00819012345678'), junk),
          reference: fc.oneof(fc.stringMatching(/^[A-Za-z0-9]{1,32}$/), junk),
          status: fc.oneof(fc.record({ code: fc.oneof(fc.constantFrom('0', '1', '2', '3', 2), junk), errorCode: junk, errorDescription: junk }, { requiredKeys: [] }), junk),
        },
        { requiredKeys: [] },
      ),
    }),
  }),
);

/** JSON text of `levels` objects, arrays or both nested in each other around a scalar: a few bytes a level. */
function nestedJson(levels: number, kind: 'object' | 'array' | 'mixed'): string {
  const array = (level: number) => kind === 'array' || (kind === 'mixed' && level % 2 === 1);
  let open = '';
  let close = '';
  for (let level = 0; level < levels; level += 1) {
    open += array(level) ? '[' : '{"k":';
    close = (array(level) ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

/** Nesting around the 32-level limit, or thousands of levels deep (what used to overflow the stack). */
const deepJson = fc
  .record({
    levels: fc.oneof({ weight: 3, arbitrary: fc.integer({ min: 28, max: 36 }) }, { weight: 1, arbitrary: fc.integer({ min: 1000, max: 5000 }) }),
    kind: fc.constantFrom('object' as const, 'array' as const, 'mixed' as const),
  })
  .map(({ levels, kind }) => nestedJson(levels, kind));

/** The JSON of `value` with `field` set to the JSON text `json`. */
function withJsonField(value: Record<string, unknown>, field: string, json: string): string {
  const { [field]: _replaced, ...rest } = value;
  const text = JSON.stringify(rest);
  return text === '{}' ? `{"${field}":${json}}` : `${text.slice(0, -1)},"${field}":${json}}`;
}

/** The fields of `value` as a form (objects as their JSON). */
function formEncoded(value: Record<string, unknown>): string {
  return new URLSearchParams(Object.entries(value).map(([key, field]): [string, string] => [key, typeof field === 'string' ? field : (JSON.stringify(field) ?? '')])).toString();
}

/** Over Express's default JSON and form limit (100 KB) once decoded; gzip makes it a few hundred bytes. */
const OVERSIZED_PADDING = 'x'.repeat(110 * 1024);

/**
 * Serialises a body: mostly the JSON of the shape, sometimes raw text, truncated JSON, XML-ish
 * junk or a form; with `deepFields` (known fields of the DTO and an unknown one) also a body nested
 * deep in one of them, or one over the size limit.
 */
function bodyOf(shape: fc.Arbitrary<Record<string, unknown>>, deepFields: readonly string[] = []): fc.Arbitrary<string | undefined> {
  const hostile = deepFields.length === 0 ? [] : [
    { weight: 2, arbitrary: fc.record({ value: shape, field: fc.constantFrom(...deepFields), json: deepJson }).map(({ value, field, json }) => withJsonField(value, field, json)) },
    { weight: 1, arbitrary: shape.map((value) => JSON.stringify({ ...value, padding: OVERSIZED_PADDING })) },
  ];
  return fc.oneof(
    { weight: 8, arbitrary: shape.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyText(120) },
    { weight: 1, arbitrary: shape.map((value) => JSON.stringify(value).slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom('<xml><msg>', '<?xml version="1.0"?><MESSAGES><MSG><REFERENCE>a</REFERENCE></MSG></MESSAGES>', '', 'null', '[]', '{}') },
    { weight: 1, arbitrary: shape.map(formEncoded) },
    { weight: 1, arbitrary: absent },
    ...hostile,
  );
}

/** A path parameter: valid-looking, random, unicode, or with characters that need encoding. */
const pathParam = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 2, arbitrary: anyText(80) }, { weight: 1, arbitrary: fc.constantFrom('a/b', '%zz', '..', 'a b', '\u0000', '💳') });

// ---------------------------------------------------------------- model

function trimmed(value: string | undefined): string | undefined {
  return value?.replace(/^[\t ]+|[\t ]+$/g, '');
}

/** The deepest nesting limit a callback body may have (the top-level object is level 1). */
const MAX_DEPTH = 32;
/** Express's default body-parser limit (JSON and forms), on the decoded body. */
const BODY_LIMIT = 100 * 1024;

const thales = (status: number, code: number, field: string): Allowed => ({ [status]: [`${code}:${field}`] as Code[] });

/** A media type and its charset (lowercased), or undefined without a `content-type`. */
function mediaType(header: string | undefined): { type: string; charset?: string; params: number } | undefined {
  if (header === undefined) return undefined;
  const [type, ...params] = header.split(';').map((part) => part.trim());
  const charset = params.find((param) => /^charset=/i.test(param))?.slice('charset='.length).replace(/^"|"$/g, '').toLowerCase();
  return { type: type!.toLowerCase(), charset, params: params.length };
}

/** What the callbacks accept: `application/json`, with at most `charset=utf-8`. */
function callbackContentTypeProblem(header: string | undefined): 'missing' | 'format' | undefined {
  const media = mediaType(header);
  if (!media) return 'missing';
  const onlyUtf8 = media.params === 0 || (media.params === 1 && media.charset === 'utf-8');
  return media.type === 'application/json' && onlyUtf8 ? undefined : 'format';
}

/** body-parser's strict JSON: an object or array at the top, JSON whitespace before it. */
function strictJson(text: string): boolean {
  if (!['{', '['].includes(text.replace(/^[ \t\n\r]+/, '')[0] ?? '')) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Deepest nesting of a JSON text, by counting brackets outside strings (independent of the app's own walk). */
function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (inString) {
      if (char === '\\') index += 1;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') deepest = Math.max(deepest, (depth += 1));
    else if (char === '}' || char === ']') depth -= 1;
  }
  return deepest;
}

/**
 * What Express's body parsers (JSON and urlencoded, as Nest registers them) do before any route,
 * answered by `MalformedBodyFilter` on the callback paths: `undefined` when the body passes.
 * Other media types are not read at all (no decoding either).
 */
function parserVerdict(request: FuzzRequest): Allowed | undefined {
  const media = mediaType(request.contentType);
  const parser = media?.type === 'application/json' ? 'json' : media?.type === 'application/x-www-form-urlencoded' ? 'form' : undefined;
  if (!parser) return undefined;
  const charset = media!.charset ?? 'utf-8';
  const charsetOk = parser === 'json' ? charset.startsWith('utf-') : charset === 'utf-8' || charset === 'iso-8859-1';
  if (!charsetOk) return thales(400, 112, 'content-type');
  const transport = request.transport ?? PLAIN;
  if (!['identity', 'gzip', 'deflate', 'br'].includes((transport.header ?? 'identity').toLowerCase())) return thales(400, 112, 'content-encoding');
  if (transport.bytes === 'corrupt') return thales(400, 112, 'content-encoding');
  const text = request.body ?? '';
  if (Buffer.byteLength(text) > BODY_LIMIT) return thales(413, 112, 'body (too large)');
  if (parser === 'form' || text === '') return undefined;
  if (!strictJson(text)) return thales(400, 112, callbackContentTypeProblem(request.contentType) ? 'content-type' : 'body');
  return undefined;
}

/** The ingress marked the call verified and forwarded a certificate that parses and is current. */
function authPasses(headers: Record<string, string | undefined>): boolean {
  return trimmed(headers[CLIENT_VERIFY]) === 'SUCCESS' && trimmed(headers[CLIENT_CERT]) === FORWARDED_CERT;
}

/** The answer the issuer/correlation checks give, or undefined when they pass. */
function headerVerdict(issuer: string | undefined, correlation: string | undefined, d1: boolean): Allowed | undefined {
  if (issuer === undefined || issuer === '') return { 400: [111] };
  if (issuer.length !== 10) return { 400: [112] };
  if (issuer !== ISSUER_ID) return { 403: [] };
  if (d1) {
    if (correlation !== undefined && correlation !== '' && !D1_ID.test(correlation)) return { 400: [112] };
    return undefined;
  }
  if (correlation === undefined || correlation === '') return { 400: [111] };
  if (!/^[\x21-\x7e]{1,64}$/.test(correlation)) return { 400: [112] };
  return undefined;
}

/** The field a Thales `errorMessage` names (`Invalid parameter format: otp.value` -> `otp.value`), else `-`. */
function namedField(body: unknown): string {
  const message = (body as { errorMessage?: unknown } | undefined)?.errorMessage;
  const match = typeof message === 'string' ? /^(?:Missing mandatory parameter|Invalid parameter format): (.+)$/.exec(message) : null;
  return match?.[1] ?? '-';
}

/** Fails with the request and the answer when the answer does not fit `allowed` (status -> allowed codes). */
function expectFits(request: FuzzRequest, answer: Answer, allowed: Allowed): void {
  const describe = () =>
    `${request.method} ${request.path} ${JSON.stringify(request.headers)} type=${request.contentType} encoding=${JSON.stringify(request.transport ?? PLAIN)} ` +
    `body=${JSON.stringify(request.body?.slice(0, 300))}${(request.body?.length ?? 0) > 300 ? '...' : ''} -> ${answer.status} ${JSON.stringify(answer.body)}`;
  if (answer.status >= 500) throw new Error(`5xx: ${describe()}`);
  const codes = allowed[answer.status];
  if (codes === undefined) throw new Error(`unexpected status (allowed ${JSON.stringify(allowed)}): ${describe()}`);
  if (codes === 'any') return;
  const responseCode = (answer.body as { responseCode?: unknown } | undefined)?.responseCode;
  if (codes.length === 0) {
    if (responseCode !== undefined) throw new Error(`no responseCode expected: ${describe()}`);
    return;
  }
  const fits = codes.some((code) => (typeof code === 'number' ? responseCode === code : code === `${String(responseCode)}:${namedField(answer.body)}`));
  if (!fits) throw new Error(`answer not in ${JSON.stringify(codes)}: ${describe()}`);
}

/**
 * Model of the classic callbacks and D1 Deliver OTP: the answers that fit, from the body parser
 * through caller authentication, the issuer and correlation ids, the JSON content type, the body's
 * shape and depth, down to `bodyAnswers` (what the DTO, the method and the expiry checks may say).
 */
function callbackExpectations(request: FuzzRequest, bodyAnswers: Allowed, d1: { issuer: string } | undefined): Allowed {
  const parser = parserVerdict(request);
  if (parser) return parser;
  if (!authPasses(request.headers)) return { 401: [] };
  const verdict = headerVerdict(d1 ? d1.issuer : trimmed(request.headers['x-issuer-id']), trimmed(request.headers['x-correlation-id']), d1 !== undefined);
  if (verdict) return verdict;
  const contentType = callbackContentTypeProblem(request.contentType);
  if (contentType) return thales(400, contentType === 'missing' ? 111 : 112, 'content-type');
  // A JSON body reached the route: the parser took it (an empty one becomes `{}`).
  const text = request.body ?? '';
  const body = text === '' ? {} : (JSON.parse(text) as unknown);
  if (body === null || typeof body !== 'object' || Array.isArray(body) || jsonDepth(text) > MAX_DEPTH) return thales(400, 112, 'body');
  return bodyAnswers;
}

/** `answers`, plus 400/911 (expired) when the body carries an `expirationDate` the service could read. */
function withExpiry(request: FuzzRequest, answers: Allowed): Allowed {
  if (!request.body?.includes('"expirationDate"')) return answers;
  const bad = answers[400];
  return { ...answers, 400: bad === 'any' ? 'any' : [...(bad ?? []), 911] };
}

// ---------------------------------------------------------------- the suite

/** The bytes on the wire for a body text. */
function encoded(text: string, transport: Transport): Buffer {
  const plain = Buffer.from(text);
  if (transport.bytes === 'gzip') return gzipSync(plain);
  if (transport.bytes === 'deflate') return deflateSync(plain);
  // No gzip or zlib header starts with a NUL byte.
  if (transport.bytes === 'corrupt') return Buffer.concat([Buffer.from([0]), plain]);
  return plain;
}

describe('callback fuzzing over HTTP: never a 5xx, never a send, always an answer that fits', () => {
  let app: ReliabilityApp;
  const seen = { requests: 0, statuses: new Map<number, number>(), codes: new Map<string, number>() };

  beforeAll(async () => {
    app = await startReliabilityApp(() => ({
      tokenization: {
        issuerId: ISSUER_ID,
        statusReportSecret: STATUS_REPORT_SECRET,
        auth: { mode: 'trusted-proxy', trustedProxies: ['127.0.0.1/32', '::1/128'] },
        methodIdSecret: 'method-id-secret-for-fuzzing-0000000',
      },
    }), { configure: (nest) => nest.useGlobalFilters(new MalformedBodyFilter(nest.getHttpAdapter(), ALL_CALLBACKS)) });
  });

  afterAll(async () => {
    await app?.close();
    const statuses = [...seen.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}x${count}`);
    const codes = [...seen.codes.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([code, count]) => `${code}x${count}`);
    console.log(`callback fuzzing: ${seen.requests} requests over HTTP, statuses ${statuses.join(' ')}; status/responseCode:field ${codes.join(' ')}`);
  });

  const expectNothingSent = () => {
    if (app.sandbox.requests.length > 0 || app.smtp.messages.length > 0) {
      throw new Error(`something was sent: ${app.sandbox.requests.length} CM request(s), ${app.smtp.messages.length} email(s)`);
    }
  };

  async function fire(request: FuzzRequest): Promise<Answer> {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = value;
    if (request.contentType !== undefined) headers['content-type'] = request.contentType;
    const transport = request.transport ?? PLAIN;
    if (transport.header !== undefined) headers['content-encoding'] = transport.header;
    // Bytes, never a string: fetch would add a content-type of its own to a string body.
    const response = await fetch(app.url + request.path, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? undefined : encoded(request.body ?? '', transport),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    seen.requests += 1;
    seen.statuses.set(response.status, (seen.statuses.get(response.status) ?? 0) + 1);
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: the model decides whether that fits
    }
    const code = `${response.status}/${(body as { responseCode?: unknown } | undefined)?.responseCode ?? '-'}`;
    const detailed = `${code}:${namedField(body)}`;
    seen.codes.set(detailed, (seen.codes.get(detailed) ?? 0) + 1);
    const labels = [''];
    if (request.body !== undefined && jsonDepth(request.body) > MAX_DEPTH) labels.push('deep:');
    if (transport.bytes === 'gzip' || transport.bytes === 'deflate') labels.push('compressed:');
    for (const label of labels) {
      reached.add(`${label}${code}`).add(`${label}${detailed}`);
      if (validated(response.status, body)) reached.add(`${label}validated`);
    }
    return { status: response.status, body };
  }

  /** Whether an answer comes from the body's own checks or later (a field of the body named, 501, 911, success). */
  const NOT_BODY_FIELDS = new Set(['-', 'body', 'body (too large)', 'content-type', 'content-encoding', 'content-length', 'x-issuer-id', 'x-correlation-id', 'issuerId', 'consumerId', 'cardId']);
  function validated(status: number, body: unknown): boolean {
    const responseCode = (body as { responseCode?: unknown } | undefined)?.responseCode;
    return status === 200 || status === 204 || responseCode === 501 || responseCode === 911 || !NOT_BODY_FIELDS.has(namedField(body));
  }

  /**
   * The generators must reach past the parser and the guards: each property checks that its
   * deepest answers occurred (`400/501`; `400/112:content-type`; `deep:400/112:body`, a body over
   * the depth limit refused as such; `compressed:validated`, a valid gzip/deflate body decoded and
   * checked field by field, or further).
   */
  const reached = new Set<string>();
  beforeEach(() => reached.clear());
  const expectReached = (...codes: string[]) => {
    for (const code of codes) if (!reached.has(code)) throw new Error(`the fuzzer never produced an answer ${code}`);
  };

  /** Runs `numRuns` batches of 1 to 8 concurrent requests, checking each answer and the outboxes. */
  async function fuzz(request: fc.Arbitrary<FuzzRequest>, expected: (request: FuzzRequest) => Allowed, numRuns: number) {
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 1, maxLength: 8 }), async (batch) => {
        const answers = await Promise.all(batch.map(fire));
        batch.forEach((sent, index) => expectFits(sent, answers[index]!, expected(sent)));
        expectNothingSent();
      }),
      { numRuns },
    );
  }

  const classicHeaders = fc.record({ auth: authHeaders, issuer: issuerHeader, correlation: correlationHeader }).map(({ auth, issuer, correlation }) => ({
    ...auth,
    'x-issuer-id': issuer,
    'x-correlation-id': correlation,
  }));

  /** What every callback with a body may answer about how the body came (parser, content type, depth). */
  const TRANSPORT_ANSWERS = ['400/112:content-type', '400/111:content-type', '400/112:content-encoding', '413/112:body (too large)', 'deep:400/112:body'];

  it('sendOTP: 400 with 111/112/501/911, 413, 401, 403', async () => {
    const jp = app.methods.jp.map((method) => method.id);
    const gb = app.methods.gb.map((method) => method.id);
    const request = fc
      .record({ headers: classicHeaders, contentType, transport, body: bodyOf(sendOtpShape([...jp, ...gb]), ['tokenRequestor', 'otpValue', 'futureField']) })
      .map(({ headers, contentType: type, transport: wire, body }) => ({ method: 'POST', path: `${CLASSIC}/sendOTP`, headers, contentType: type, transport: wire, body }));
    // A card's own method id would make a valid request: ids only ever travel with another card.
    const ownId = (body: string, card: string, ids: string[]) => body.includes(`"issuerCardRefId":"${card}"`) && ids.some((id) => body.includes(id));
    const foreignOnly = request.filter((sent) => !ownId(sent.body ?? '', 'card-jp-0001', jp) && !ownId(sent.body ?? '', 'card-gb-0001', gb));
    await fuzz(foreignOnly, (sent) => callbackExpectations(sent, withExpiry(sent, { 400: [111, 112, 501] }), undefined), 160);
    expectReached('400/501', '400/111', '400/112', '400/911', '401/-', '403/-', 'compressed:validated', ...TRANSPORT_ANSWERS);
  });

  it('notifyVirtualCardChange: 200, 400 with 111/112, 413, 401, 403', async () => {
    const request = fc
      .record({ headers: classicHeaders, contentType, transport, body: bodyOf(notifyShape, ['tokenInfo', 'futureField']) })
      .map(({ headers, contentType: type, transport: wire, body }) => ({ method: 'POST', path: `${CLASSIC}/notifyVirtualCardChange`, headers, contentType: type, transport: wire, body }));
    await fuzz(request, (sent) => callbackExpectations(sent, { 200: [], 400: [111, 112] }, undefined), 90);
    expectReached('200/-', 'compressed:validated', ...TRANSPORT_ANSWERS);
  });

  const d1Parts = fc.record({
    auth: authHeaders,
    issuer: pathParam(fc.oneof({ weight: 3, arbitrary: fc.constant(ISSUER_ID) }, { weight: 1, arbitrary: fc.stringMatching(/^[A-Z0-9]{10}$/) })),
    consumer: pathParam(fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...KNOWN_CONSUMERS) }, { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/) })),
    correlation: correlationHeader,
  });
  const d1Path = (issuer: string, consumer: string) => `/banking/d1/v1/issuers/${encodeURIComponent(issuer)}/consumers/${encodeURIComponent(consumer)}`;
  /** Path segments that never reach the route: empty, or dot segments the URL parser resolves. */
  const unroutable = (...params: string[]) => params.some((param) => param === '' || param === '.' || param === '..');

  it('D1 Get Consumer Information: 200, 404, 400 with 111/112, 401, 403 (path and query fuzzed)', async () => {
    const request = fc
      .record({ parts: d1Parts, cardId: fc.oneof(absent, fc.constantFrom('card-jp-0001', 'card-gb-0002'), anyText(60)) })
      .map(({ parts, cardId }) => ({
        method: 'GET',
        path: d1Path(parts.issuer, parts.consumer) + (cardId === undefined ? '' : `?cardId=${encodeURIComponent(cardId)}`),
        headers: { ...parts.auth, 'x-correlation-id': parts.correlation },
        contentType: undefined,
        body: undefined,
        issuer: parts.issuer,
        consumer: parts.consumer,
        cardId,
      }));
    await fuzz(
      request,
      (sent) => {
        const { issuer, consumer, cardId } = sent as typeof sent & { issuer: string; consumer: string; cardId?: string };
        if (unroutable(issuer, consumer)) return { 404: [] };
        if (!authPasses(sent.headers)) return { 401: [] };
        const verdict = headerVerdict(issuer, trimmed(sent.headers['x-correlation-id']), true);
        if (verdict) return verdict;
        return !D1_ID.test(consumer) || (cardId !== undefined && !CARD_ID.test(cardId)) ? { 400: [112] } : { 200: [], 404: [] };
      },
      90,
    );
    expectReached('200/-', '404/-');
  });

  it('D1 Deliver OTP: 404 or 400 with 111/112/911, 413, 401, 403 (unknown consumers, or known ones with a body that cannot pass)', async () => {
    const deepFields = ['deviceInformation', 'otp', 'futureField'];
    const request = d1Parts
      .chain((parts) =>
        fc.record({
          parts: fc.constant(parts),
          contentType,
          transport,
          body: bodyOf(KNOWN_CONSUMERS.includes(parts.consumer) ? brokenD1OtpShape : d1OtpShape, deepFields),
        }),
      )
      .map(({ parts, contentType: type, transport: wire, body }) => ({
        method: 'POST',
        path: `${d1Path(parts.issuer, parts.consumer)}/otp`,
        headers: { ...parts.auth, 'x-correlation-id': parts.correlation },
        contentType: type,
        transport: wire,
        body,
        issuer: parts.issuer,
        consumer: parts.consumer,
      }));
    await fuzz(
      request,
      (sent) => {
        const { issuer, consumer } = sent as typeof sent & { issuer: string; consumer: string };
        // Bodies are parsed before routing: a path that reaches no route still meets the parser.
        if (unroutable(issuer, consumer)) return parserVerdict(sent) ?? { 404: [] };
        // A known consumer's body is broken: refused by its checks (never 911: not sent, not counted).
        if (KNOWN_CONSUMERS.includes(consumer)) return callbackExpectations(sent, { 400: [111, 112] }, { issuer });
        return callbackExpectations(sent, withExpiry(sent, { 400: [111, 112], 404: [] }), { issuer });
      },
      220,
    );
    expectReached('404/-', '400/911', 'compressed:validated', ...TRANSPORT_ANSWERS);
  });

  it('CM status reports: 200, 400 with 112, 401', async () => {
    const request = fc
      .record({
        secret: fc.oneof({ weight: 6, arbitrary: fc.constant(STATUS_REPORT_SECRET) }, { weight: 1, arbitrary: absent }, { weight: 1, arbitrary: ascii(40) }),
        contentType: statusReportContentType,
        body: bodyOf(statusReportShape),
      })
      .map(({ secret, contentType: type, body }) => ({
        method: 'POST',
        path: '/cm/status-reports',
        headers: { 'x-status-report-secret': secret },
        contentType: type,
        body,
      }));
    await fuzz(
      request,
      (sent): Allowed => {
        const parser = parserVerdict(sent);
        if (parser) return parser;
        if (trimmed(sent.headers['x-status-report-secret']) !== STATUS_REPORT_SECRET) return { 401: [] };
        return { 200: [], 400: [112] };
      },
      90,
    );
    expectReached('200/-', '401/-');
  });

  it('unknown routes and wrong methods: 404', async () => {
    const request = fc
      .record({
        method: fc.constantFrom('GET', 'PUT', 'DELETE', 'PATCH', 'POST'),
        path: fc.oneof(
          fc.array(fc.stringMatching(/^[A-Za-z0-9_.~-]{1,12}$/), { minLength: 1, maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
          fc.constantFrom(`${CLASSIC}/checkCardEligibility`, `${CLASSIC}/sendOTP/x`, `${CLASSIC}/sendOTPs`, '/banking/d1/v1/issuers'),
        ),
        headers: classicHeaders,
        body: bodyOf(sendOtpShape(['0123456789abcdef'])),
      })
      .filter(({ method, path }) => !(method === 'POST' && path.startsWith('/cm/status-reports')))
      .map(({ method, path, headers, body }) => ({ method, path, headers, contentType: 'text/plain', body }));
    await fuzz(request, () => ({ 404: [] }), 50);
  });
});
