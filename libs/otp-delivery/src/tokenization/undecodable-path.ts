import type { HttpException } from '@nestjs/common';
import { D1_CONSUMER_ROUTE } from './tokenization.constants.js';

/**
 * Whether Express's router refused the path: a route parameter it cannot percent-decode (`%ZZ`)
 * fails with a `URIError` of status 400 whose message quotes the raw value, which Nest maps to a
 * `BadRequestException` with that error as its `cause`. (Fastify's router answers such a URL
 * itself, before Nest: its `frameworkErrors` option is where an app changes that answer.)
 */
export function isUndecodablePath(exception: HttpException): boolean {
  const cause = exception.cause;
  return cause instanceof URIError && (cause as { status?: unknown }).status === 400;
}

const D1_ROUTE = D1_CONSUMER_ROUTE.split('/');

/**
 * The D1 path parameter that cannot be percent-decoded (`issuerId`, else `consumerId`), given the
 * path after the `d1` mount point (`banking/d1/v1/issuers/...`); undefined for another path.
 */
export function undecodableD1Param(pathAfterMount: string): string | undefined {
  const segments = pathAfterMount.split('/');
  if (segments.length < D1_ROUTE.length || D1_ROUTE.some((part, index) => !part.startsWith(':') && part !== segments[index])) return undefined;
  return D1_ROUTE.find((part, index) => part.startsWith(':') && !decodes(segments[index]!))?.slice(1);
}

function decodes(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}
