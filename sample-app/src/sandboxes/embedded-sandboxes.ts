import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import { CmSandbox, EmailOutbox } from 'nestjs-otp-delivery/testing';

/**
 * The stand-ins the sample app runs when a real dependency is not configured, so that
 * `npm start` works on a laptop. Never use them in production: they print codes.
 */
export class EmbeddedSandboxes implements OnApplicationShutdown {
  private readonly logger = new Logger('EmbeddedSandboxes');

  private constructor(
    /** The in-process CM.com sandbox, when `CM_PRODUCT_TOKEN` is unset. */
    readonly cm: CmSandbox | undefined,
    /** The in-memory email outbox, when `SMTP_URL` is unset. */
    readonly emailOutbox: EmailOutbox | undefined,
  ) {}

  /** Starts what the environment does not provide and says so, loudly, once. */
  static async start(env: { CM_PRODUCT_TOKEN?: string; SMTP_URL?: string; REDIS_URL?: string }): Promise<EmbeddedSandboxes> {
    const cm = env.CM_PRODUCT_TOKEN ? undefined : await CmSandbox.start({ log: true, recordRequests: false });
    const emailOutbox = env.SMTP_URL ? undefined : new EmailOutbox({ log: true, logBody: true });
    const sandboxes = new EmbeddedSandboxes(cm, emailOutbox);
    sandboxes.announce(env);
    return sandboxes;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.cm?.close();
  }

  private announce(env: { SMTP_URL?: string; REDIS_URL?: string }): void {
    const parts = [
      this.cm ? `CM.com: SANDBOX at ${this.cm.url} (set CM_PRODUCT_TOKEN for the real CM.com)` : 'CM.com: real account',
      env.SMTP_URL ? 'email: SMTP' : 'email: SANDBOX in-memory outbox (set SMTP_URL to send real mail)',
      env.REDIS_URL ? 'store: Redis' : 'store: in memory, one process only (set REDIS_URL for replicas)',
    ];
    for (const part of parts) {
      if (part.includes('SANDBOX') || part.includes('in memory')) this.logger.warn(part);
      else this.logger.log(part);
    }
  }
}
