import { Body, Controller, Get, Header, Headers, HttpCode, Inject, Optional, Param, Post, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from './openapi/swagger-decorators.js';
import { ApiCallbackErrorResponses, ApiD1CallbackParameters } from './openapi/callback-api.decorators.js';
import { CallbackErrorResponseDto } from './dto/callback-error-response.dto.js';
import { D1ConsumerInfoDto } from './dto/d1-consumer-info.dto.js';
import { D1_CONSUMER_ROUTE, TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';
import { CardholderContactResolver } from './cardholder-contact-resolver.interface.js';
import { CallerAuthenticationGuard } from './guards/caller-authentication.guard.js';
import { CallbackHeadersGuard, CorrelationId } from './guards/callback-headers.guard.js';
import { CallbackJsonBodyGuard } from './guards/callback-json-body.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { D1CardIdPipe, D1ConsumerIdPipe } from './callback-params.pipe.js';
import { D1DeliverOtpDto } from './dto/d1-deliver-otp.dto.js';
import { UnknownCardholderError } from './errors/unknown-cardholder.error.js';
import { TokenizationOtpService } from './tokenization-otp.service.js';
import { toD1ConsumerInfo, type D1ConsumerInfo } from './d1-consumer-info.js';
import type { StatusSetter } from './apply-status.js';
import type { IncomingHeaders } from './callback-headers.js';
import { CallbackAnswers } from './callback-answers.service.js';
import { CallbackName } from './callback-name.decorator.js';
import { OtpRequestContext } from '../logging/otp-request-context.js';
import { CallerIdentity, type OtpCallerIdentity } from './caller-identity.js';

/**
 * Thales D1 calls on the issuer backend, under the `d1` route prefix (default none):
 * Get Consumer Information and Deliver OTP. Same caller controls and errors as the classic ones.
 */
@ApiTags('Tokenization callbacks (D1)')
@ApiD1CallbackParameters()
@ApiCallbackErrorResponses()
@ApiNotFoundResponse({ description: 'Unknown consumer (no cardholder found by the resolver).', type: CallbackErrorResponseDto })
@Controller(D1_CONSUMER_ROUTE)
@UseGuards(CallerAuthenticationGuard, CallbackHeadersGuard)
@UseFilters(CallbackExceptionFilter)
export class D1CallbacksController {
  constructor(
    private readonly otp: TokenizationOtpService,
    private readonly answers: CallbackAnswers,
    @Inject(TOKENIZATION_OPTIONS) private readonly options: ResolvedTokenizationOptions,
    @Optional() @Inject(CardholderContactResolver) private readonly resolver?: CardholderContactResolver,
  ) {}

  /** The consumer's verified contact data (`consumerInfo`); 404 for an unknown consumer. */
  @ApiOperation({ summary: 'Get Consumer Information: the verified contact data D1 shows the cardholder' })
  @ApiQuery({
    name: 'cardId',
    required: false,
    description: 'The card, when D1 names one. Malformed: 112.',
    schema: { type: 'string', pattern: '^[A-Za-z0-9_-]{1,48}$' },
  })
  @ApiOkResponse({ description: '`consumerInfo`; fields beyond `language` are unconfirmed.', type: D1ConsumerInfoDto })
  @Get()
  // Names, an address and a phone number: no cache on the way may keep them.
  @Header('Cache-Control', 'no-store')
  @CallbackName('d1ConsumerInfo')
  async consumerInfo(
    @CorrelationId() _correlationId: string | undefined,
    @Param('consumerId', D1ConsumerIdPipe) consumerId: string,
    @Query('cardId', D1CardIdPipe) cardId: string | undefined,
  ): Promise<D1ConsumerInfo> {
    const contact = await this.resolver?.resolveByConsumer(consumerId, cardId);
    if (!contact) throw new UnknownCardholderError('consumerId');
    const info = toD1ConsumerInfo(contact, this.options.defaultRegion);
    this.answers.record('d1ConsumerInfo', 200);
    return info;
  }

  /** Delivers D1's OTP on the requested channel: `204` or a Thales error. */
  @ApiOperation({ summary: 'Deliver OTP: send D1\'s code on the requested channel', description: 'Request shape unconfirmed against the official schema.' })
  @ApiBody({ type: D1DeliverOtpDto, description: 'Unknown fields are accepted and ignored.' })
  @ApiNoContentResponse({ description: 'The OTP was handed to the channel.' })
  @Post('otp')
  @CallbackName('d1DeliverOtp')
  @UseGuards(CallbackJsonBodyGuard)
  @HttpCode(204)
  async deliverOtp(
    @CorrelationId() correlationId: string | undefined,
    @Param('consumerId', D1ConsumerIdPipe) consumerId: string,
    @CallerIdentity() caller: OtpCallerIdentity | undefined,
    @Body(CallbackBodyPipe) body: D1DeliverOtpDto,
    @Headers() headers: IncomingHeaders,
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<unknown> {
    // D1's correlation id is optional and not unique: without one, the app's own request id (an
    // OtpRequestContext its middleware runs) names the lines, else one is made up.
    const logId = correlationId ?? OtpRequestContext.correlationId() ?? `d1-${randomUUID()}`;
    const outcome = await this.answers.trace('d1DeliverOtp', headers, () => this.otp.deliverD1(consumerId, correlationId, body, caller, logId));
    return this.answers.reply('d1DeliverOtp', res, outcome);
  }
}

