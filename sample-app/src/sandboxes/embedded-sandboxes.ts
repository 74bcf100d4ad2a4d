import { randomBytes } from 'node:crypto';
import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { SecretValue, maskDestination } from 'nestjs-otp-delivery';
import { CmSandbox, EmailOutbox, type CmSandboxMessage } from 'nestjs-otp-delivery/testing';

/** SMS the CM sandbox keeps for the console, as many as the email outbox keeps: `npm start` may run for days. */
const MAX_SANDBOX_MESSAGES = 1000;

/** What `EmbeddedSandboxes.start` reads from the environment. */
export interface EmbeddedSandboxesEnv {
  CM_PRODUCT_TOKEN?: string;
  SMTP_URL?: string;
  /** Which Redis the store uses (`REDIS_URL`, `REDIS_CLUSTER_NODES` or `REDIS_SENTINELS`), if any. */
  REDIS?: 'one server' | 'cluster' | 'sentinel';
  CM_STATUS_REPORT_SECRET?: string;
}

/**
 * The stand-ins the sample app runs when neither CM.com nor SMTP is configured, so that
 * `npm start` works on a laptop. They print codes: with one provider real, the app serves real
 * cardholders, so the other channel is switched off (`channelsOff`) rather than sandboxed, and
 * `requestCardDigitization` no longer offers it.
 */
export class EmbeddedSandboxes implements OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedSandboxes');
  private readonly cmLines?: Subscription;

  private constructor(
    /** The in-process CM.com sandbox, when `CM_PRODUCT_TOKEN` is unset. */
    readonly cm: CmSandbox | undefined,
    /** The in-memory email outbox, when `SMTP_URL` is unset. */
    readonly emailOutbox: EmailOutbox | undefined,
    /**
     * The secret `/cm/status-reports` expects: `CM_STATUS_REPORT_SECRET`, or one drawn at start
     * when unset, which only this process knows (so only the sandbox console can post reports).
     */
    readonly statusReportSecret: SecretValue,
    /** The channels the app switches off: the one whose provider is unset while the other is real. */
    readonly channelsOff: readonly ('sms' | 'email')[],
  ) {
    // Through the app's logger rather than the sandbox's own stdout lines, so the output stays one
    // JSON object per line. The code is printed on purpose: a sandbox, never for production.
    this.cmLines = cm?.messages$.subscribe((message) => this.logger.warn(cmSandboxLine(message)));
  }

  /**
   * The sandbox console (`/sandbox`) runs only while both CM.com and email are sandboxes: it sends
   * step-ups and simulated receipts, and none of that may reach a real account or mailbox.
   */
  static consoleWanted(env: Pick<EmbeddedSandboxesEnv, 'CM_PRODUCT_TOKEN' | 'SMTP_URL'>): boolean {
    return !env.CM_PRODUCT_TOKEN && !env.SMTP_URL;
  }

  /** Starts what the environment does not provide and says so, loudly, once. */
  static async start(env: EmbeddedSandboxesEnv): Promise<EmbeddedSandboxes> {
    const sandboxed = EmbeddedSandboxes.consoleWanted(env);
    const cm = sandboxed ? await CmSandbox.start({ log: false, recordRequests: false, maxMessages: MAX_SANDBOX_MESSAGES }) : undefined;
    const emailOutbox = sandboxed ? new EmailOutbox({ log: true, logBody: true }) : undefined;
    const channelsOff = [...(env.CM_PRODUCT_TOKEN ? [] : ['sms' as const]), ...(env.SMTP_URL ? [] : ['email' as const])].filter(() => !sandboxed);
    const statusReportSecret = new SecretValue(env.CM_STATUS_REPORT_SECRET || randomBytes(32).toString('hex'));
    const sandboxes = new EmbeddedSandboxes(cm, emailOutbox, statusReportSecret, channelsOff);
    sandboxes.announce(env);
    return sandboxes;
  }

  async onApplicationShutdown(): Promise<void> {
    this.cmLines?.unsubscribe();
    await this.cm?.close();
  }

  private announce(env: EmbeddedSandboxesEnv): void {
    // One provider real means real cardholders: a sandbox for the other would print their codes.
    const off = (variable: string) => `off (${variable} is unset while the other provider is real: a sandbox would print real cardholders' codes)`;
    const parts = [
      this.cm ? `CM.com: SANDBOX at ${this.cm.url} (set CM_PRODUCT_TOKEN for the real CM.com)` : env.CM_PRODUCT_TOKEN ? 'CM.com: real account' : `SMS: ${off('CM_PRODUCT_TOKEN')}`,
      this.emailOutbox ? 'email: SANDBOX in-memory outbox (set SMTP_URL to send real mail)' : env.SMTP_URL ? 'email: SMTP' : `email: ${off('SMTP_URL')}`,
      env.REDIS ? `store: Redis (${env.REDIS})` : 'store: in memory, one process only (set REDIS_URL for replicas)',
    ];
    // The console says where it is itself, once the port is known; say here why it is missing.
    if (this.channelsOff.length > 0) parts.push('sandbox console: off (it runs only while CM.com and email are both sandboxes)');
    for (const part of parts) {
      if (part.includes('SANDBOX') || part.includes('in memory') || part.includes('real cardholders')) this.logger.warn(part);
      else this.logger.log(part);
    }
  }
}

/** The line `CmSandbox({ log: true })` prints, code included. */
function cmSandboxLine(message: CmSandboxMessage): string {
  return (
    `[CM SANDBOX] ${message.api} ${message.channel} to ${maskDestination(message.to)} from ${message.from}` +
    ` (${message.parts} part(s), ${message.encoding}, ref ${message.reference}): ${message.text}`
  );
}
