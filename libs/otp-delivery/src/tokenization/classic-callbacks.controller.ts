import { Body, Controller, HttpCode, Post, Res, UseFilters, UseGuards } from '@nestjs/common';
import { CallerAuthenticationGuard } from './guards/caller-authentication.guard.js';
import { CallbackHeadersGuard, CorrelationId } from './guards/callback-headers.guard.js';
import { CallbackExceptionFilter } from './callback-exception.filter.js';
import { CallbackBodyPipe } from './callback-body.pipe.js';
import { SendOtpDto } from './dto/send-otp.dto.js';
import { NotifyVirtualCardChangeDto } from './dto/notify-virtual-card-change.dto.js';
import { TokenizationOtpService } from './tokenization-otp.service.js';
import { VirtualCardChangeService } from './virtual-card-change.service.js';
import { applyStatus, type StatusSetter } from './apply-status.js';
import { OtpRequestContext } from '../logging/otp-request-context.js';

/**
 * Thales classic ("TSH issuer gateway") operations the module answers, under the `classic`
 * route prefix (default `/issuer/igwapi/v2.0`): `sendOTP` and `notifyVirtualCardChange`.
 * Caller authentication and the `x-issuer-id` check run before anything is read.
 */
@Controller()
@UseGuards(CallerAuthenticationGuard, CallbackHeadersGuard)
@UseFilters(CallbackExceptionFilter)
export class ClassicCallbacksController {
  constructor(
    private readonly otp: TokenizationOtpService,
    private readonly virtualCards: VirtualCardChangeService,
  ) {}

  /** Delivers the TSP's OTP on the method the cardholder chose: `200 {}` or a Thales error. */
  @Post('sendOTP')
  @HttpCode(200)
  async sendOtp(
    @CorrelationId() correlationId: string,
    @Body(CallbackBodyPipe) body: SendOtpDto,
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<unknown> {
    return applyStatus(res, await OtpRequestContext.run(correlationId, () => this.otp.sendClassic(correlationId, body)));
  }

  /** Publishes a token lifecycle change once; duplicates answer `200 {}` too. */
  @Post('notifyVirtualCardChange')
  @HttpCode(200)
  async notifyVirtualCardChange(
    @CorrelationId() correlationId: string,
    @Body(CallbackBodyPipe) body: NotifyVirtualCardChangeDto,
    @Res({ passthrough: true }) res: StatusSetter,
  ): Promise<unknown> {
    return applyStatus(res, await OtpRequestContext.run(correlationId, () => this.virtualCards.notify(correlationId, body)));
  }
}
