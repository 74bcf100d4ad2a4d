import { Body, Controller, Headers, HttpCode, Inject, Post, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse, ApiBadRequestResponse, ApiInternalServerErrorResponse } from '@nestjs/swagger';
import { OtpLogger } from '../logging/otp-logger.js';
import { CallbackErrorResponseDto } from './dto/callback-error-response.dto.js';
import type { Readable } from 'node:stream';
import { CmStatusReports } from '../cm/cm-status-reports.service.js';
import { OtpStore } from '../store/otp-store.interface.js';
import { TOKENIZATION_OPTIONS, IDEMPOTENCY_PREFIX, STATUS_REPORT_SECRET_HEADER } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { StatusReportSecretGuard } from './guards/status-report-secret.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackValidationError } from './errors/callback-validation.error.js';

/**
 * Receives CM.com status reports (delivery receipts) under the `statusReports` route (default
 * `/cm/status-reports`). CM retries any non-2xx answer for up to 7 days, so every report that
 * parses is acknowledged with `200 {}` at once, also when it holds nothing usable; a receipt seen
 * before (same reference and status) is not published again. Only a body that cannot be read at
 * all (neither JSON nor XML) answers 400. XML reports are read from the raw request when no body
 * parser took them (Express); with Fastify register a parser for `text/xml` / `application/xml`.
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
  @ApiBadRequestResponse({ description: 'The body is neither JSON nor XML: `responseCode` 112.', type: CallbackErrorResponseDto })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong status report secret.', type: CallbackErrorResponseDto })
  @ApiInternalServerErrorResponse({ description: 'Unexpected failure (e.g. the store is down): `responseCode` 921; CM retries.', type: CallbackErrorResponseDto })
  @Post()
  @HttpCode(200)
  async receive(
    @Body() body: unknown,
    @Headers('content-type') contentType: string | undefined,
    @Req() request: Readable & { readableEnded?: boolean },
  ): Promise<Record<string, never>> {
    const raw = isEmpty(body) && /xml|text\/plain/i.test(contentType ?? '') ? await readText(request) : body;
    let receipts;
    try {
      receipts = this.statusReports.parse(raw, contentType);
    } catch {
      throw new CallbackValidationError('body', 'format');
    }
    const fresh = [];
    for (const receipt of receipts) {
      const key = `${IDEMPOTENCY_PREFIX.statusReport}${receipt.reference}:${receipt.status}`;
      if (await this.store.setIfAbsent(key, '1', this.options.idempotencyWindowMs)) fresh.push(receipt);
    }
    if (fresh.length > 0) this.statusReports.publish(fresh);
    this.logger.debug('CM status report received', { receipts: receipts.length, fresh: fresh.length });
    return {};
  }
}

function isEmpty(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'object' && !Buffer.isBuffer(body) && Object.keys(body).length === 0);
}

/** The unparsed body: JSON is parsed by the app, XML usually is not. Capped at 1 MB (CM reports are small). */
async function readText(request: Readable & { readableEnded?: boolean }): Promise<string> {
  if (request.readableEnded || typeof request[Symbol.asyncIterator] !== 'function') return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_048_576) throw new CallbackValidationError('body', 'format');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
