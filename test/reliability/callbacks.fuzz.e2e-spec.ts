import fc from 'fast-check';
import { MalformedBodyFilter } from 'nestjs-otp-delivery';
import { STATUS_REPORT_SECRET, ISSUER_ID, startReliabilityApp, type ReliabilityApp } from './support/reliability-app.js';
import { createTestPki, escapedCertificate } from '../tokenization/support/certificates.js';

/**
 * Property-based fuzzing of every callback over real HTTP (keep-alive, several requests in
 * flight at once): random and malformed bodies, headers and path parameters. For each request a
 * small model of the callback contract says which answers fit (guards first, then the body);
 * whatever is generated, the app never answers 5xx and never sends anything (the CM sandbox and
 * the SMTP server see nothing).
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

/** One generated request. Header values `undefined` are left out. */
interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string | undefined>;
  readonly contentType: string | undefined;
  readonly body: string | undefined;
}

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
const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('application/json; charset=utf-8', 'text/plain', 'text/xml', 'application/xml', 'application/x-www-form-urlencoded') },
  { weight: 1, arbitrary: absent },
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
  mutated(
    fc.record({
      otp: fc.record({ value: fc.stringMatching(/^[0-9]{6}$/), reason: fc.constant('CARD-DIGITIZATION') }),
      deliveryChannel: fc.constantFrom('SMS', 'EMAIL'),
      panSuffix: fc.stringMatching(/^[0-9]{4}$/),
    }),
  ),
  fc.record(
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
);

/** A D1 body for a KNOWN consumer: always broken in `deliveryChannel`, so it can never be sent. */
const brokenD1OtpShape = d1OtpShape.chain((shape) =>
  anyText(10)
    .filter((channel) => !['SMS', 'EMAIL'].includes(channel.toUpperCase()))
    .map((deliveryChannel) => ({ ...shape, deliveryChannel })),
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

/** Serialises a body: mostly the JSON of the shape, sometimes raw text, truncated JSON or XML-ish junk. */
function bodyOf<T>(shape: fc.Arbitrary<T>): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 6, arbitrary: shape.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: anyText(120) },
    { weight: 1, arbitrary: shape.map((value) => JSON.stringify(value).slice(0, -1)) },
    { weight: 1, arbitrary: fc.constantFrom('<xml><msg>', '<?xml version="1.0"?><MESSAGES><MSG><REFERENCE>a</REFERENCE></MSG></MESSAGES>', '', 'null', '[]', '{}') },
    { weight: 1, arbitrary: absent },
  );
}

/** A path parameter: valid-looking, random, unicode, or with characters that need encoding. */
const pathParam = (valid: fc.Arbitrary<string>) =>
  fc.oneof({ weight: 4, arbitrary: valid }, { weight: 2, arbitrary: anyText(80) }, { weight: 1, arbitrary: fc.constantFrom('a/b', '%zz', '..', 'a b', '\u0000', '💳') });

// ---------------------------------------------------------------- model

function trimmed(value: string | undefined): string | undefined {
  return value?.replace(/^[\t ]+|[\t ]+$/g, '');
}

/**
 * A body the JSON parser refuses never reaches a route; the app registers `MalformedBodyFilter`
 * (as the sample app does), so on every callback path that is still the Thales `400/112`.
 */
const MALFORMED_BODY: Record<number, readonly number[] | 'any'> = { 400: [112], 413: 'any' };

/** What the JSON body parser does with the request: refuses it (400/413) or passes it on. */
function parserRefuses(request: FuzzRequest): boolean {
  if (request.body === undefined || request.body === '') return false;
  if (!/^application\/json/i.test(request.contentType ?? '')) return false;
  // body-parser's strict mode: only an object or an array may be the top-level value.
  if (!/^[\s]*[[{]/.test(request.body)) return true;
  try {
    JSON.parse(request.body);
    return false;
  } catch {
    return true;
  }
}

/** The ingress marked the call verified and forwarded a certificate that parses and is current. */
function authPasses(headers: Record<string, string | undefined>): boolean {
  return trimmed(headers[CLIENT_VERIFY]) === 'SUCCESS' && trimmed(headers[CLIENT_CERT]) === FORWARDED_CERT;
}

/** The answer the issuer/correlation checks give, or undefined when they pass. */
function headerVerdict(issuer: string | undefined, correlation: string | undefined, d1: boolean): Answer | undefined {
  if (issuer === undefined || issuer === '') return { status: 400, body: 111 };
  if (issuer.length !== 10) return { status: 400, body: 112 };
  if (issuer !== ISSUER_ID) return { status: 403, body: undefined };
  if (d1) {
    if (correlation !== undefined && correlation !== '' && !D1_ID.test(correlation)) return { status: 400, body: 112 };
    return undefined;
  }
  if (correlation === undefined || correlation === '') return { status: 400, body: 111 };
  if (!/^[\x21-\x7e]{1,64}$/.test(correlation)) return { status: 400, body: 112 };
  return undefined;
}

/** Fails with the request and the answer when the answer does not fit `allowed` (status -> allowed responseCodes). */
function expectFits(request: FuzzRequest, answer: Answer, allowed: Record<number, readonly number[] | 'any'>): void {
  const describe = () => `${request.method} ${request.path} ${JSON.stringify(request.headers)} body=${JSON.stringify(request.body)} -> ${answer.status} ${JSON.stringify(answer.body)}`;
  if (answer.status >= 500) throw new Error(`5xx: ${describe()}`);
  const codes = allowed[answer.status];
  if (codes === undefined) throw new Error(`unexpected status (allowed ${Object.keys(allowed).join('/')}): ${describe()}`);
  if (codes === 'any') return;
  const responseCode = (answer.body as { responseCode?: unknown } | undefined)?.responseCode;
  if (codes.length === 0) {
    if (responseCode !== undefined) throw new Error(`no responseCode expected: ${describe()}`);
    return;
  }
  if (typeof responseCode !== 'number' || !codes.includes(responseCode)) throw new Error(`responseCode not in ${codes.join('/')}: ${describe()}`);
}

/** Model of the classic callbacks and D1: the answers that fit, from the guards down to the body. */
function classicExpectations(request: FuzzRequest, bodyAnswers: Record<number, readonly number[] | 'any'>, d1: { issuer: string } | undefined) {
  if (parserRefuses(request)) return MALFORMED_BODY;
  if (!authPasses(request.headers)) return { 401: [] };
  const verdict = headerVerdict(d1 ? d1.issuer : trimmed(request.headers['x-issuer-id']), trimmed(request.headers['x-correlation-id']), d1 !== undefined);
  if (verdict) return { [verdict.status]: verdict.body === undefined ? [] : [verdict.body as number] };
  return bodyAnswers;
}

// ---------------------------------------------------------------- the suite

describe('callback fuzzing over HTTP: never a 5xx, never a send, always an answer that fits', () => {
  let app: ReliabilityApp;
  const seen = { requests: 0, statuses: new Map<number, number>(), codes: new Map<string, number>() };

  beforeAll(async () => {
    app = await startReliabilityApp(() => ({
      tokenization: {
        issuerId: ISSUER_ID,
        statusReportSecret: STATUS_REPORT_SECRET,
        auth: { mode: 'trusted-proxy', trustedProxies: ['127.0.0.1/32', '::1/128'] },
        methodIdSecret: 'method-id-secret-for-fuzzing',
      },
    }), { configure: (nest) => nest.useGlobalFilters(new MalformedBodyFilter(nest.getHttpAdapter())) });
  });

  afterAll(async () => {
    await app?.close();
    const statuses = [...seen.statuses.entries()].sort(([a], [b]) => a - b).map(([status, count]) => `${status}x${count}`);
    console.log(`callback fuzzing: ${seen.requests} requests over HTTP, statuses ${statuses.join(' ')}; status/responseCode ${[...seen.codes.entries()].map(([c, n]) => `${c}x${n}`).join(' ')}`);
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
    const response = await fetch(app.url + request.path, {
      method: request.method,
      headers,
      body: request.method === 'GET' ? undefined : request.body,
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
    seen.codes.set(code, (seen.codes.get(code) ?? 0) + 1);
    reached.add(code);
    return { status: response.status, body };
  }

  /** The generators must reach past the guards: each suite checks that its deepest answers occurred. */
  const reached = new Set<string>();
  beforeEach(() => reached.clear());
  const expectReached = (...codes: string[]) => {
    for (const code of codes) if (!reached.has(code)) throw new Error(`the fuzzer never produced an answer ${code}`);
  };

  /** Runs `numRuns` batches of 1 to 8 concurrent requests, checking each answer and the outboxes. */
  async function fuzz(request: fc.Arbitrary<FuzzRequest>, expected: (request: FuzzRequest) => Record<number, readonly number[] | 'any'>, numRuns: number) {
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

  it('sendOTP: 400 with 111/112/501, 401, 403', async () => {
    const jp = app.methods.jp.map((method) => method.id);
    const gb = app.methods.gb.map((method) => method.id);
    const request = fc
      .record({ headers: classicHeaders, contentType, body: bodyOf(sendOtpShape([...jp, ...gb])) })
      .map(({ headers, contentType: type, body }) => ({ method: 'POST', path: `${CLASSIC}/sendOTP`, headers, contentType: type, body }));
    // A card's own method id would make a valid request: ids only ever travel with another card.
    const ownId = (body: string, card: string, ids: string[]) => body.includes(`"issuerCardRefId":"${card}"`) && ids.some((id) => body.includes(id));
    const foreignOnly = request.filter((sent) => !ownId(sent.body ?? '', 'card-jp-0001', jp) && !ownId(sent.body ?? '', 'card-gb-0001', gb));
    await fuzz(foreignOnly, (sent) => classicExpectations(sent, { 400: [111, 112, 501] }, undefined), 160);
    expectReached('400/501', '400/111', '400/112', '401/-', '403/-');
  });

  it('notifyVirtualCardChange: 200, 400 with 111/112, 401, 403', async () => {
    const request = fc
      .record({ headers: classicHeaders, contentType, body: bodyOf(notifyShape) })
      .map(({ headers, contentType: type, body }) => ({ method: 'POST', path: `${CLASSIC}/notifyVirtualCardChange`, headers, contentType: type, body }));
    await fuzz(request, (sent) => classicExpectations(sent, { 200: [], 400: [111, 112] }, undefined), 90);
    expectReached('200/-');
  });

  const d1Parts = fc.record({
    auth: authHeaders,
    issuer: pathParam(fc.oneof(fc.constant(ISSUER_ID), fc.stringMatching(/^[A-Z0-9]{10}$/))),
    consumer: pathParam(fc.oneof(fc.constantFrom(...KNOWN_CONSUMERS), fc.stringMatching(/^[A-Za-z0-9_-]{1,70}$/))),
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
        if (parserRefuses(sent)) return MALFORMED_BODY;
        if (unroutable(issuer, consumer)) return { 404: [] };
        const body: Record<number, readonly number[]> = !D1_ID.test(consumer) || (cardId !== undefined && !CARD_ID.test(cardId)) ? { 400: [112] } : { 200: [], 404: [] };
        return classicExpectations(sent, body, { issuer });
      },
      90,
    );
    expectReached('200/-', '404/-');
  });

  it('D1 Deliver OTP: 404 or 400 with 111/112, 401, 403 (unknown consumers, or known ones with a body that cannot pass)', async () => {
    const request = d1Parts
      .chain((parts) =>
        fc.record({
          parts: fc.constant(parts),
          contentType,
          body: KNOWN_CONSUMERS.includes(parts.consumer) ? brokenD1OtpShape.map((shape) => JSON.stringify(shape)) : bodyOf(d1OtpShape),
        }),
      )
      .map(({ parts, contentType: type, body }) => ({
        method: 'POST',
        path: `${d1Path(parts.issuer, parts.consumer)}/otp`,
        headers: { ...parts.auth, 'x-correlation-id': parts.correlation },
        contentType: type,
        body,
        issuer: parts.issuer,
        consumer: parts.consumer,
      }));
    await fuzz(
      request,
      (sent) => {
        const { issuer, consumer } = sent as typeof sent & { issuer: string; consumer: string };
        if (parserRefuses(sent)) return MALFORMED_BODY;
        if (unroutable(issuer, consumer)) return { 404: [] };
        return classicExpectations(sent, { 400: [111, 112], 404: [] }, { issuer });
      },
      120,
    );
    expectReached('404/-');
  });

  it('CM status reports: 200, 400 with 112, 401', async () => {
    const request = fc
      .record({
        secret: fc.oneof({ weight: 6, arbitrary: fc.constant(STATUS_REPORT_SECRET) }, { weight: 1, arbitrary: absent }, { weight: 1, arbitrary: ascii(40) }),
        contentType,
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
      (sent): Record<number, readonly number[] | 'any'> => {
        if (parserRefuses(sent)) return MALFORMED_BODY;
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
