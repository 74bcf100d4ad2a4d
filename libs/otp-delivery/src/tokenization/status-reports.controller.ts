import { Body, Controller, Headers, HttpCode, Inject, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiBadRequestResponse, ApiInternalServerErrorResponse } from './openapi/swagger-decorators.js';
import { OtpLogger } from '../logging/otp-logger.js';
import { CallbackErrorResponseDto } from './dto/callback-error-response.dto.js';
import type { Readable } from 'node:stream';
import { CmStatusReports } from '../cm/cm-status-reports.service.js';
import { CM_STATUS_REPORT_LIMITS } from '../cm/cm-status-report.limits.js';
import { OtpStore } from '../store/otp-store.interface.js';
import { TOKENIZATION_OPTIONS, IDEMPOTENCY_PREFIX, STATUS_REPORT_SECRET_HEADER } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { StatusReportSecretGuard } from './guards/status-report-secret.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { hasTransferCodingBesidesChunked } from './transfer-coding.js';
import { isRepeatedHeader, type RequestHeaders } from './header-lines.js';
import { CallbackAnswers } from './callback-answers.service.js';
import { CallbackName } from './callback-name.decorator.js';

/**
 * Receives CM.com status reports (delivery receipts) under the `statusReports` route (default
 * `/cm/status-reports`). CM retries any non-2xx answer for up to 7 days, so every report that
 * parses is acknowledged with `200 {}` at once, also when it holds nothing usable; a receipt seen
 * before (same reference and status) is not published again. Only a body that cannot be read at
 * all answers 400: neither JSON nor XML, past the limits that keep its work small (16 KiB,
 * 32 levels, 1,000 elements or values, no DTD), a raw XML body under a `content-encoding`, a
 * transfer coding besides `chunked`, a `content-type` on two lines, a body a form parser turned into
 * fields, or a caller that went away mid-body. A report no body parser took (XML, or any content type
 * the app has no parser for: CM's is not confirmed) is read from the raw request (Express; Fastify
 * answers 415 for a type it has no parser for: register one for `text/xml` / `application/xml`).
 * A receipt is remembered as seen for `tokenization.idempotencyWindowSeconds` in the store; a store
 * that cannot take it (down, or the memory store full at `store.maxEntries`) answers 921, and CM
 * retries: a receipt is never published twice in the window, and never dropped.
 */
@ApiTags('CM.com status reports')
@ApiHeader({
  name: STATUS_REPORT_SECRET_HEADER,
  required: true,
  description: 'The configured `tokenization.statusReportSecret` (CM.com reports carry no signature). Wrong or missing: 401.',
  schema: { type: 'string' },
})
@Controller()
@UseGuards(StatusReportSecretGuard)
@UseFilters(CallbackExceptionFilter)
export class StatusReportsController {
  private readonly logger = new OtpLogger('OtpTokenizationCallbacks');

  constructor(
    private readonly statusReports: CmStatusReports,
    private readonly answers: CallbackAnswers,
    @Inject(OtpStore) private readonly store: OtpStore,
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
  ) {}

  @ApiOperation({
    summary: 'Receive CM.com delivery receipts (status reports)',
    description: 'Every readable report is acknowledged at once (CM retries non-2xx for up to 7 days); a receipt seen before is not published again.',
  })
  @ApiConsumes('application/json', 'application/xml', 'text/xml')
  @ApiBody({ description: 'A CM.com status report, JSON or XML, as CM sends it.', schema: { type: 'object', additionalProperties: true } })
  @ApiOkResponse({ description: 'Acknowledged: empty object `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @ApiBadRequestResponse({ description: 'The body is neither JSON nor XML, past the limits (16 KiB, 32 levels, 1,000 elements or values, no DTD), under a content or transfer coding the app does not decode, with a `content-type` on two lines, a form body no report can be read from, or a caller gone mid-body: `responseCode` 112.', type: CallbackErrorResponseDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong status report secret.', type: CallbackErrorResponseDto })
  @ApiInternalServerErrorResponse({ description: 'Unexpected failure (e.g. the store is down): `responseCode` 921; CM retries.', type: CallbackErrorResponseDto })
  @Post()
  @CallbackName('statusReports')
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: RawRequest,
  ): Promise<Record<string, never>> {
    // Node decodes only `chunked`: a body under another transfer coding is not the report CM sent.
    if (hasTransferCodingBesidesChunked(request.headers['transfer-encoding'])) throw new CallbackValidationError('transfer-encoding', 'format');
    // The content type picks the reader (JSON or raw XML), and Node keeps only the first of two lines.
    if (isRepeatedHeader(request, 'content-type')) throw new CallbackValidationError('content-type', 'format');
    const raw = isEmpty(body) ? await rawReport(body, request) : body;
    let receipts;
    try {
      receipts = this.statusReports.parse(raw, contentType);
    } catch {
      throw new CallbackValidationError('body', 'format');
    }
    // A form parser turned the report into fields it no longer reads as: refused, so CM sends it again.
    if (receipts.length === 0 && !isEmpty(body) && FORM_CONTENT_TYPE.test(contentType ?? '')) throw new CallbackValidationError('content-type', 'format');
    const fresh = [];
    try {
      for (const receipt of receipts) {
        const key = `${IDEMPOTENCY_PREFIX.statusReport}${receipt.reference}:${receipt.status}`;
        if (await this.store.setIfAbsent(key, '1', this.options.idempotencyWindowMs)) fresh.push(receipt);
      }
    } finally {
      // A store that fails mid-report (down, or full: the memory store's `store.maxEntries`) answers
      // 921 and CM sends the report again: the receipts already marked seen are published now, or
      // the retry would find them seen and they would be lost.
      if (fresh.length > 0) this.statusReports.publish(fresh);
    }
    this.logger.debug('CM status report received', { receipts: receipts.length, fresh: fresh.length });
    this.answers.record('statusReports', 200);
    return {};
  }
}

/** Content types whose parsers turn a body into fields (a JSON parser given every type reads it as sent). */
const FORM_CONTENT_TYPE = /^\s*(?:application\/x-www-form-urlencoded|multipart\/form-data)\b/i;

/**
 * The raw body of a report no body parser took, whatever its content type (CM's is not confirmed,
 * and a report left unread would be acknowledged and lost). Nothing sent, or a body a parser read as
 * empty (the stream is consumed then), is the parsed body: nothing to publish, nothing to refuse.
 */
async function rawReport(body: unknown, request: RawRequest): Promise<unknown> {
  const raw = await readBody(request, CM_STATUS_REPORT_LIMITS.maxBytes);
  return raw.length === 0 ? body : raw;
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length === 0);
}

type RawRequest = Readable & RequestHeaders & { readableEnded?: boolean };

/**
 * The unparsed body (JSON is parsed by the app, XML usually is not), never more than `limit` bytes of
 * it in memory: a longer body is refused as soon as its declared length or its bytes so far pass the
 * limit, and the rest is discarded as it arrives. It is read as sent: a `content-encoding` other than
 * `identity` is refused (112 naming it).
 */
async function readBody(request: RawRequest, limit: number): Promise<Buffer> {
  if (request.readableEnded || typeof request.on !== 'function') return Buffer.alloc(0);
  // No body parser decoded it: a compressed body would be read as text, so it is refused as such.
  const encoding = request.headers['content-encoding'];
  if (encoding !== undefined && (typeof encoding !== 'string' || encoding.trim().toLowerCase() !== 'identity')) {
    request.resume();
    throw new CallbackValidationError('content-encoding', 'format');
  }
  if (Number(request.headers['content-length']) > limit) {
    request.resume();
    throw new CallbackValidationError('body', 'format');
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = (outcome: () => void) => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
      outcome();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      settle(() => reject(new CallbackValidationError('body', 'format')));
      // Still flowing, now with no listener: what is still coming is dropped, so the answer goes out at once.
      request.resume();
    };
    const onEnd = () => settle(() => resolve(Buffer.concat(chunks)));
    // The caller went away mid-body: a refused body, as the JSON parser answers it, not a failure of the app.
    const onError = () => settle(() => reject(new CallbackValidationError('body', 'format')));
    const onClose = () => settle(() => reject(new CallbackValidationError('body', 'format')));
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
