import { Inject, Injectable } from '@nestjs/common';
import { STATUS_REPORT_SECRET_HEADER, maskPhone } from 'nestjs-otp-delivery';
import type { CmSandboxMessage } from 'nestjs-otp-delivery/testing';
import { CallbackClient, type HttpExchange } from './callback-client.js';
import type { ReceiptReason } from './cm-choices.js';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';

/** CM's status codes (**unconfirmed**, as the library's parser reads them): 2 delivered, 3 failed. */
const STATUS_CODES = { delivered: '2', undelivered: '3' } as const;

/**
 * Plays CM.com sending a status report about one SMS: the JSON body of CM's template
 * (`shared/spec/cm-com.md`), posted to the app's real endpoint with the status-report secret,
 * so the events, metrics and logs that follow are the ones production would produce.
 */
@Injectable()
export class ReceiptSender {
  constructor(
    @Inject(SANDBOX_CONSOLE_OPTIONS) private readonly options: SandboxConsoleOptions,
    private readonly client: CallbackClient,
  ) {}

  send(message: CmSandboxMessage, status: keyof typeof STATUS_CODES, reason?: ReceiptReason): Promise<HttpExchange> {
    const failed = status === 'undelivered';
    const report = (to: string) => ({
      messages: {
        msg: {
          received: new Date().toISOString(),
          to,
          reference: message.reference,
          status: {
            code: STATUS_CODES[status],
            errorCode: failed && reason ? String(reason.errorCode) : '',
            errorDescription: failed && reason ? reason.description : '',
          },
          operator: 'SANDBOX',
        },
      },
    });
    const path = this.options.routes?.statusReports ?? '/cm/status-reports';
    // CM sends the number in full; the page shows it masked, as everywhere else.
    const shown = report(maskPhone(message.to));
    return this.client.postJson('status report', path, { [STATUS_REPORT_SECRET_HEADER]: this.#secret() }, report(message.to), shown);
  }

  #secret(): string {
    const secret = this.options.statusReportSecret;
    return typeof secret === 'string' ? secret : secret.reveal();
  }
}
