import { BadRequestException, HttpException } from '@nestjs/common';
import { jsonContentTypeProblem } from './json-content-type.js';

type Headers = Record<string, string | string[] | undefined>;

/** A request the app's body parser refused before any route ran, and what to name in the answer. */
export interface BodyParserRefusal {
  readonly field: 'body' | 'content-type' | 'content-encoding' | 'content-length';
  /** `too-large`: over the parser's limit (HTTP 413); `missing` / `format`: Thales 111 / 112. */
  readonly kind: 'missing' | 'format' | 'too-large';
}

/** body-parser's (and raw-body's) error `type`s, on Express. */
const EXPRESS_TYPES: Record<string, BodyParserRefusal> = {
  'entity.too.large': { field: 'body', kind: 'too-large' },
  'parameters.too.many': { field: 'body', kind: 'too-large' },
  'entity.parse.failed': { field: 'body', kind: 'format' },
  'querystring.parse.rangeError': { field: 'body', kind: 'format' },
  'request.aborted': { field: 'body', kind: 'format' },
  'request.size.invalid': { field: 'content-length', kind: 'format' },
  'charset.unsupported': { field: 'content-type', kind: 'format' },
  'encoding.unsupported': { field: 'content-encoding', kind: 'format' },
};

/** Fastify's content-type parser error codes (Fastify 5, through Nest 12's adapter). */
const FASTIFY_CODES: Record<string, BodyParserRefusal> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { field: 'body', kind: 'too-large' },
  FST_ERR_CTP_INVALID_JSON_BODY: { field: 'body', kind: 'format' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { field: 'body', kind: 'missing' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { field: 'content-length', kind: 'format' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { field: 'content-type', kind: 'format' },
};

/**
 * Nest's Fastify adapter refuses a form carrying `__proto__` with this plain `BadRequestException`
 * (no `cause`), from inside its urlencoded parser.
 */
const FASTIFY_FORM_PROTOTYPE_MESSAGE = 'Object contains forbidden prototype property';

/**
 * Recognises the body parsers' refusals among the exceptions that reach a global filter: Nest
 * maps them to `HttpException`s whose `cause` is the parser's error (Express: an http-errors
 * object with a `type`; Fastify: a `FastifyError` with a `code`). Anything else is not one.
 */
export function bodyParserRefusal(exception: HttpException, headers: Headers): BodyParserRefusal | undefined {
  const cause = exception.cause as { type?: unknown; code?: unknown; name?: unknown; errno?: unknown; statusCode?: unknown } | undefined;
  if (cause === undefined || cause === null) {
    const fastifyForm = exception instanceof BadRequestException && exception.message === FASTIFY_FORM_PROTOTYPE_MESSAGE;
    return fastifyForm ? { field: 'body', kind: 'format' } : undefined;
  }
  const encoded = isEncoded(headers['content-encoding']);
  if (typeof cause.code === 'string' && cause.name === 'FastifyError') {
    const known = FASTIFY_CODES[cause.code];
    if (known?.field === 'content-type') return { field: 'content-type', kind: jsonContentTypeProblem(headers['content-type']) === 'missing' ? 'missing' : 'format' };
    // Fastify does not decode request bodies: a compressed one reaches the JSON parser as is.
    if (known?.field === 'body' && known.kind !== 'too-large' && encoded) return { field: 'content-encoding', kind: 'format' };
    return known;
  }
  if (typeof cause.type === 'string') return EXPRESS_TYPES[cause.type];
  // body-parser passes a failed decompression on untyped: zlib's own error ("incorrect header
  // check", with `errno` and `code`) given a 400 status by http-errors.
  const zlibError = typeof cause.errno === 'number' && typeof cause.code === 'string' && cause.statusCode === 400;
  if (zlibError && encoded) return { field: 'content-encoding', kind: 'format' };
  return undefined;
}

/**
 * The refusal as a callback answers it: a body that could not be read because it was not sent
 * as JSON names `content-type`, as the callbacks' content-type guard would have.
 */
export function asCallbackRefusal(refusal: BodyParserRefusal, headers: Headers): BodyParserRefusal {
  if (refusal.field !== 'body' || refusal.kind === 'too-large') return refusal;
  const contentType = jsonContentTypeProblem(headers['content-type']);
  return contentType ? { field: 'content-type', kind: contentType } : refusal;
}

function isEncoded(contentEncoding: string | string[] | undefined): boolean {
  if (contentEncoding === undefined || contentEncoding === '') return false;
  return Array.isArray(contentEncoding) || contentEncoding.trim().toLowerCase() !== 'identity';
}
