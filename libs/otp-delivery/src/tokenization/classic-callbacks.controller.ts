import { Body, Controller, Headers, HttpCode, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from './openapi/swagger-decorators.js';
import { ApiCallbackErrorResponses, ApiClassicCallbackHeaders } from './openapi/callback-api.decorators.js';
import { CallerAuthenticationGuard } from './guards/caller-authentication.guard.js';
import { CallbackHeadersGuard, CorrelationId } from './guards/callback-headers.guard.js';
import { CallbackJsonBodyGuard } from './guards/callback-json-body.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { SendOtpDto } from './dto/send-otp.dto.js';
import { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import { TokenizationOtpService } from './tokenization-otp.service.js';
import { VirtualCardChangeService } from './virtual-card-change.service.js';
import type { StatusSetter } from './apply-status.js';
import type { IncomingHeaders } from './callback-headers.js';
import { CallbackAnswers } from './callback-answers.service.js';
import { CallbackName } from './callback-name.decorator.js';
import { CallerIdentity, type OtpCallerIdentity } from './caller-identity.js';

/**
 * Thales classic ("TSH issuer gateway") operations the module answers, under the `classic`
 * route prefix (default `/issuer/igwapi/v2.0`): `sendOTP` and `notifyVirtualCardChange`.
 * Caller authentication, the `x-issuer-id` check and the JSON `content-type` check run before
 * the body is validated.
 */
@ApiTags('Tokenization callbacks (Thales classic)')
@ApiClassicCallbackHeaders()
@ApiCallbackErrorResponses()
@Controller()
@UseGuards(CallerAuthenticationGuard, CallbackHeadersGuard)
@UseFilters(CallbackExceptionFilter)
export class ClassicCallbacksController {
  constructor(
    private readonly otp: TokenizationOtpService,
    private readonly virtualCards: VirtualCardChangeService,
    private readonly answers: CallbackAnswers,
  ) {}

  /** Delivers the TSP's OTP on the method the cardholder chose: `200 {}` or a Thales error. */
  @ApiOperation({
    summary: 'Deliver the TSP\'s OTP on the method the cardholder chose',
    description: 'Fraud and rate controls run before sending. A replay of the same request answers the stored outcome.',
  })
  @ApiBody({ type: SendOtpDto, description: 'Unknown fields are accepted and ignored. Field list unconfirmed against the official schema.' })
  @ApiOkResponse({ description: 'The OTP was handed to the channel: empty object `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @Post('sendOTP')
  @CallbackName('sendOTP')
  @UseGuards(CallbackJsonBodyGuard)
  @HttpCode(200)
  async sendOtp(
    @CorrelationId() correlationId: string,
    @CallerIdentity() caller: OtpCallerIdentity | undefined,
    @Body(CallbackBodyPipe) body: SendOtpDto,
    @Headers() headers: IncomingHeaders,
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<unknown> {
    const outcome = await this.answers.trace('sendOTP', headers, () => this.otp.sendClassic(correlationId, body, caller));
    return this.answers.reply('sendOTP', res, outcome);
  }

  /** Publishes a token lifecycle change once; duplicates answer `200 {}` too. */
  @ApiOperation({
    summary: 'Token lifecycle change (activate, suspend, resume, delete)',
    description: 'Published once; duplicates and delayed repeats answer 200 too. `DELETE` stops pending OTP deliveries of the enrolment.',
  })
  @ApiBody({ type: NotifyVirtualCardChangeDto, description: 'Unknown fields are accepted and ignored.' })
  @ApiOkResponse({ description: 'Acknowledged (also for a duplicate): empty object `{}`.', schema: { type: 'object', additionalProperties: false, example: {} } })
  @Post('notifyVirtualCardChange')
  @CallbackName('notifyVirtualCardChange')
  @UseGuards(CallbackJsonBodyGuard)
  @HttpCode(200)
  async notifyVirtualCardChange(
    @CorrelationId() correlationId: string,
    @Body(CallbackBodyPipe) body: NotifyVirtualCardChangeDto,
    @Headers() headers: IncomingHeaders,
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<unknown> {
    const outcome = await this.answers.trace('notifyVirtualCardChange', headers, () => this.virtualCards.notify(correlationId, body));
    return this.answers.reply('notifyVirtualCardChange', res, outcome);
  }
}
