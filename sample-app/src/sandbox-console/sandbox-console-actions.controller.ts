import { BadRequestException, Body, Controller, Delete, HttpCode, Inject, NotFoundException, Param, Post, UseGuards, UsePipes } from '@nestjs/common';
import { ConsoleBodyPipe } from './console-body.pipe.js';
import { ConsoleHostGuard } from './console-host.guard.js';
import type { HttpExchange } from './callback-client.js';
import { FAULT_CHOICES, RECEIPT_REASONS, faultBody } from './cm-choices.js';
import { faultsView, type FaultsView } from './console-entry.js';
import { ConsoleFeed } from './console-feed.service.js';
import { DropNextDto, FailNextDto, LatencyDto, ReceiptDto, TryDigitizationDto, TrySendOtpDto } from './dto/console-requests.dto.js';
import { ReceiptSender } from './receipt-sender.service.js';
import { SameOriginGuard } from './same-origin.guard.js';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';
import { StepUpRunner, type DigitizationStep } from './step-up.service.js';

/** Failures the console lets wait for CM requests at once: a few flows' worth. */
const MAX_QUEUED_FAULTS = 100;

/**
 * What the page's buttons do: run a step-up against the app's callbacks, post CM.com receipts to
 * its status-report endpoint, and inject faults into the CM.com sandbox. A bad body answers 400
 * naming the field (`ConsoleBodyPipe`).
 */
@Controller('sandbox/api')
@UseGuards(ConsoleHostGuard, SameOriginGuard)
@UsePipes(ConsoleBodyPipe)
export class SandboxConsoleActionsController {
  constructor(
    @Inject(SANDBOX_CONSOLE_OPTIONS) private readonly options: SandboxConsoleOptions,
    private readonly feed: ConsoleFeed,
    private readonly stepUp: StepUpRunner,
    private readonly receipts: ReceiptSender,
  ) {}

  /** Step 1: the issuer's `requestCardDigitization`, with a fresh correlation id. */
  @Post('try/digitization')
  @HttpCode(200)
  digitization(@Body() body: TryDigitizationDto): Promise<DigitizationStep> {
    return this.stepUp.requestDigitization(body.issuerCardRefId, body.walletProviderId);
  }

  /** Step 2: `sendOTP` on the method picked, in the same flow. Answers the code sent. */
  @Post('try/send-otp')
  @HttpCode(200)
  sendOtp(@Body() body: TrySendOtpDto): Promise<{ exchange: HttpExchange; otpValue: string }> {
    return this.stepUp.sendOtp(body);
  }

  /** A CM.com status report about one SMS, through the app's real endpoint. */
  @Post('messages/:reference/receipts')
  @HttpCode(200)
  async receipt(@Param('reference') reference: string, @Body() body: ReceiptDto): Promise<{ exchange: HttpExchange }> {
    const sms = this.feed.smsByReference(reference);
    if (!sms) throw new NotFoundException('reference: no SMS with this CM reference is kept by the console');
    const reason = RECEIPT_REASONS.find((candidate) => candidate.errorCode === body.errorCode) ?? RECEIPT_REASONS[0];
    return { exchange: await this.receipts.send(sms.message, body.status, reason) };
  }

  @Post('faults/fail-next')
  @HttpCode(200)
  failNext(@Body() body: FailNextDto): FaultsView {
    // Each queued fault is kept until a CM request uses it: without a ceiling, calls would grow it for ever.
    const room = MAX_QUEUED_FAULTS - this.options.cm.faults.failNext.length;
    if (body.count > room) throw new BadRequestException([`count must be at most ${room}: ${MAX_QUEUED_FAULTS} failures can wait in all (clear them to queue more)`]);
    const choice = FAULT_CHOICES.find((candidate) => candidate.id === body.fault)!;
    this.options.cm.failNext(body.count, { status: choice.status, body: faultBody(choice) });
    return faultsView(this.options.cm.faults);
  }

  @Post('faults/drop-next')
  @HttpCode(200)
  dropNext(@Body() body: DropNextDto): FaultsView {
    this.options.cm.dropNext(body.count);
    return faultsView(this.options.cm.faults);
  }

  @Post('faults/latency')
  @HttpCode(200)
  latency(@Body() body: LatencyDto): FaultsView {
    this.options.cm.setLatency(body.ms);
    return faultsView(this.options.cm.faults);
  }

  @Delete('faults')
  clearFaults(): FaultsView {
    this.options.cm.clearFaults();
    return faultsView(this.options.cm.faults);
  }
}
