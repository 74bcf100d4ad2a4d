import { ForbiddenException, Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { isIP } from 'node:net';
import { SANDBOX_CONSOLE_OPTIONS } from './sandbox-console.module-definition.js';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';

/** A request as the guard reads it: Node's, which keeps a repeated header's lines apart in `headersDistinct`. */
interface HostRequest {
  readonly headersDistinct?: Record<string, string[] | undefined>;
}

/** Fixed: the refused Host is never echoed. */
const REFUSED = 'The sandbox console answers requests addressed to localhost, a *.localhost name or an IP address only; list other host names in SANDBOX_CONSOLE_HOSTS';

/**
 * DNS rebinding: a web page on a name its author controls points that name at 127.0.0.1 once
 * loaded; its browser then calls the console with `Host: evil.example`, an Origin to match and
 * `Sec-Fetch-Site: same-origin`, so `SameOriginGuard` cannot tell, and the page would read the
 * codes and drive the actions. Only the name in `Host` tells: the console answers an IP address
 * (a page cannot rebind an address: one in `Host` is one the user typed), `localhost` and
 * `*.localhost` (Chromium and Firefox resolve them to loopback themselves) and the names
 * `allowedHosts` lists; anything else, a missing `Host` (HTTP/1.0: Node refuses it in 1.1) or a
 * repeated one, gets 403. On every console route, the page
 * and its files included.
 */
@Injectable()
export class ConsoleHostGuard implements CanActivate {
  private readonly allowed: ReadonlySet<string>;

  constructor(@Inject(SANDBOX_CONSOLE_OPTIONS) options: SandboxConsoleOptions) {
    this.allowed = new Set((options.allowedHosts ?? []).map(normalized));
  }

  canActivate(context: ExecutionContext): boolean {
    const lines = context.switchToHttp().getRequest<HostRequest>().headersDistinct?.host;
    const name = lines?.length === 1 ? hostNameOf(lines[0]!) : undefined;
    if (name === undefined || !this.answers(name)) throw new ForbiddenException(REFUSED);
    return true;
  }

  private answers(name: string): boolean {
    if (name.startsWith('[')) return isIP(name.slice(1, -1)) === 6;
    return isIP(name) === 4 || /^(?:[a-z0-9_-]+\.)*localhost$/.test(name) || this.allowed.has(name);
  }
}

/** The name of a `Host` value (`name`, `name:port`, `1.2.3.4:port`, `[::1]:port`), normalized; undefined when it is none. */
function hostNameOf(host: string): string | undefined {
  const match = /^(\[[0-9A-Fa-f:.]+\]|[^:@/[\]]+)(?::\d{0,5})?$/.exec(host);
  return match ? normalized(match[1]!) : undefined;
}

/** Names compare case-insensitively, and `name.` (fully qualified) is `name`. */
function normalized(name: string): string {
  return name.toLowerCase().replace(/\.$/, '');
}
