import { randomInt, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { IdvMethod } from 'nestjs-otp-delivery';
import { CallbackClient, type HttpExchange } from './callback-client.js';
import { ConsoleFeed } from './console-feed.service.js';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';

/** The first step's outcome: the flow's correlation id and the methods the issuer offered. */
export interface DigitizationStep {
  readonly correlationId: string;
  readonly exchange: HttpExchange;
  readonly methods: readonly IdvMethod[];
}

/** What the second step sends, beyond the flow's correlation id. */
export interface SendOtpStep {
  readonly correlationId: string;
  readonly issuerCardRefId: string;
  readonly otpMethodId: string;
  /** The TSP's code; a random 6-digit one when absent. */
  readonly otpValue?: string;
  readonly walletProviderId?: string;
}

/**
 * Plays the tokenization platform for one step-up: `requestCardDigitization`, then `sendOTP` on
 * the method picked, with the configured `x-issuer-id` and one fresh `x-correlation-id` per flow.
 */
@Injectable()
export class StepUpRunner {
  constructor(
    @Inject(SANDBOX_CONSOLE_OPTIONS) private readonly options: SandboxConsoleOptions,
    private readonly client: CallbackClient,
    private readonly feed: ConsoleFeed,
  ) {}

  async requestDigitization(issuerCardRefId: string, walletProviderId?: string): Promise<DigitizationStep> {
    const correlationId = `console-${randomUUID()}`;
    const exchange = await this.client.postJson('requestCardDigitization', this.#routes().requestCardDigitization, this.#headers(correlationId), {
      issuerCardRefId,
      walletProviderId,
    });
    const list = (exchange.responseBody as { idvMethodList?: unknown } | undefined)?.idvMethodList;
    return { correlationId, exchange, methods: exchange.status === 200 && Array.isArray(list) ? (list as IdvMethod[]) : [] };
  }

  async sendOtp(step: SendOtpStep): Promise<{ exchange: HttpExchange; otpValue: string }> {
    const otpValue = step.otpValue || String(randomInt(0, 1_000_000)).padStart(6, '0');
    this.feed.rememberCode(otpValue);
    const body = { issuerCardRefId: step.issuerCardRefId, otpValue, otpMethodId: step.otpMethodId, walletProviderId: step.walletProviderId };
    return { exchange: await this.client.postJson('sendOTP', this.#routes().sendOtp, this.#headers(step.correlationId), body), otpValue };
  }

  #headers(correlationId: string): Record<string, string> {
    return { 'x-correlation-id': correlationId, 'x-issuer-id': this.options.issuerId };
  }

  #routes() {
    return {
      requestCardDigitization: this.options.routes?.requestCardDigitization ?? '/issuer/igwapi/v2.0/requestCardDigitization',
      sendOtp: this.options.routes?.sendOtp ?? '/issuer/igwapi/v2.0/sendOTP',
    };
  }
}
