import { Controller, Get, Header, NotFoundException, Param, Sse, UseGuards, type MessageEvent } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { markCodeInHtml } from './code-spotting.js';
import { EMAIL_CSP } from './console-headers.js';
import { ConsoleHostGuard } from './console-host.guard.js';
import { ConsoleFeed, type ConsoleSnapshot } from './console-feed.service.js';

/** What the page reads: the state, its live updates, and each email's HTML. */
@Controller('sandbox/api')
@UseGuards(ConsoleHostGuard)
export class SandboxConsoleApiController {
  constructor(private readonly feed: ConsoleFeed) {}

  /** Messages (newest first), faults, and the form's choices, as JSON. */
  @Get('state')
  @Header('cache-control', 'no-store')
  state(): ConsoleSnapshot {
    return this.feed.snapshot();
  }

  /** Server-sent events: `snapshot`, then `entry`, `status`, `faults`. */
  @Sse('events')
  events(): Observable<MessageEvent> {
    return this.feed.stream();
  }

  /** An email's HTML with its code marked, for the page's sandboxed frame. */
  @Get('emails/:id/html')
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', EMAIL_CSP)
  @Header('cache-control', 'no-store')
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  emailHtml(@Param('id') id: string): string {
    const email = this.feed.emailHtml(id);
    if (!email) throw new NotFoundException('id: no email with an HTML body by this id is kept by the console');
    return markCodeInHtml(email.html, email.code);
  }
}
