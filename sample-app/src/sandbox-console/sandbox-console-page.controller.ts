import { Controller, Get, Header, Req, UseGuards } from '@nestjs/common';
import { ConsoleAssets } from './console-assets.js';
import { ConsoleHostGuard } from './console-host.guard.js';
import { PAGE_CSP } from './console-headers.js';

/** The page at `/sandbox` and its two files. */
@Controller('sandbox')
@UseGuards(ConsoleHostGuard)
export class SandboxConsolePageController {
  constructor(private readonly assets: ConsoleAssets) {}

  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('content-security-policy', PAGE_CSP)
  @Header('cache-control', 'no-store')
  @Header('x-content-type-options', 'nosniff')
  @Header('referrer-policy', 'no-referrer')
  page(@Req() request: { url: string }): string {
    return this.assets.page(new URL(request.url, 'http://console').pathname.replace(/\/+$/, ''));
  }

  @Get('console.js')
  @Header('content-type', 'text/javascript; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @Header('x-content-type-options', 'nosniff')
  script(): string {
    return this.assets.script;
  }

  @Get('console.css')
  @Header('content-type', 'text/css; charset=utf-8')
  @Header('cache-control', 'no-cache')
  @Header('x-content-type-options', 'nosniff')
  style(): string {
    return this.assets.style;
  }
}
