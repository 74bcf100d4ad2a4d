import type { HttpException } from '@nestjs/common';

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

/** Where the D1 routes' parameters sit after the D1 prefix: `v1/issuers/{issuerId}/consumers/{consumerId}`. */
const D1_PARAMS = [
  { segment: 2, name: 'issuerId' },
  { segment: 4, name: 'consumerId' },
] as const;

/**
 * The D1 path parameter that cannot be percent-decoded, in route order (`issuerId`, then
 * `consumerId`), given the path after the D1 prefix (`v1/issuers/...`); `path` when neither is it.
 */
export function undecodableD1Param(pathAfterPrefix: string): 'issuerId' | 'consumerId' | 'path' {
  const segments = pathAfterPrefix.split('/');
  for (const { segment, name } of D1_PARAMS) {
    const value = segments[segment];
    if (value !== undefined && !decodes(value)) return name;
  }
  return 'path';
}

function decodes(value: string): boolean {
  try {
    decodeURIComponent(value);
    return true;
  } catch {
    return false;
  }
}
