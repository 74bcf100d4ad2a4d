import { ForbiddenException, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';

type Headers = Record<string, string | string[] | undefined>;

/**
 * The console's actions send OTPs, receipts and faults: another web page open in the same browser
 * must not trigger them (a cross-site form post). Browsers say where a request comes from in
 * `Sec-Fetch-Site` and `Origin`; a request that says "another site" is refused. Tools that send
 * neither (curl, tests) are let through: the console has no secret to protect beyond that. A
 * DNS-rebound page is same-origin to its browser and passes here: `ConsoleHostGuard`, first,
 * refuses the name it comes by.
 */
@Injectable()
export class SameOriginGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const headers = context.switchToHttp().getRequest<{ headers: Headers }>().headers;
    const site = headers['sec-fetch-site'];
    const origin = headers.origin;
    const host = headers.host;
    const crossSite = site !== undefined && site !== 'same-origin' && site !== 'none';
    if (crossSite || (typeof origin === 'string' && hostOf(origin) !== host)) {
      throw new ForbiddenException('The sandbox console accepts actions from its own page only');
    }
    return true;
  }
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}
