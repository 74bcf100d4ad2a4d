import { Module } from '@nestjs/common';
import { CallbackClient } from './callback-client.js';
import { ConsoleAnnouncer } from './console-announcer.js';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleFeed } from './console-feed.service.js';
import { ReceiptSender } from './receipt-sender.service.js';
import { SandboxConsoleModuleClass } from './sandbox-console.module-definition.js';
import { SandboxConsoleActionsController } from './sandbox-console-actions.controller.js';
import { SandboxConsoleApiController } from './sandbox-console-api.controller.js';
import { SandboxConsolePageController } from './sandbox-console-page.controller.js';
import { StepUpRunner } from './step-up.service.js';

/**
 * A page at `/sandbox` for the embedded CM.com sandbox and email outbox: every SMS and email
 * "sent" with its code and delivery status, live; simulated CM.com receipts through the app's real
 * status-report endpoint; fault injection; and a step-up run from a form. A sandbox tool: import it
 * only while both are sandboxes, never next to a real CM.com account or SMTP server.
 *
 * `register` takes values, so the console mounts on any Nest app of the process (the sending
 * app, or a management app of its own); `registerAsync` builds them from providers.
 *
 * @example
 * SandboxConsoleModule.register({ cm, emailOutbox, events, callbackBaseUrl, statusReportSecret, issuerId })
 */
@Module({
  controllers: [SandboxConsolePageController, SandboxConsoleApiController, SandboxConsoleActionsController],
  providers: [ConsoleAssets, ConsoleFeed, CallbackClient, StepUpRunner, ReceiptSender, ConsoleAnnouncer],
})
export class SandboxConsoleModule extends SandboxConsoleModuleClass {}
