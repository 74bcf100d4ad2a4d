/** A request as the guards see it: Node's (Express), or Fastify's, which keeps Node's in `raw`. */
export interface RequestHeaders {
  readonly headers: Record<string, string | string[] | undefined>;
  /** Node's headers with a repeated one's lines kept apart (`headers` joins them into `a, b`, or keeps the first). */
  readonly headersDistinct?: Record<string, string[] | undefined>;
  readonly raw?: { readonly headersDistinct?: Record<string, string[] | undefined> };
}

/**
 * Whether the request carried the header on more than one line. Node's `headers` hides that: it
 * keeps only the first line of some headers (`content-type`) and joins the others into `a, b`;
 * only `headersDistinct` tells.
 */
export function isRepeatedHeader(request: RequestHeaders, name: string): boolean {
  const lines = (request.raw ?? request).headersDistinct?.[name];
  return lines !== undefined && lines.length > 1;
}

/** A header sent once; a repeated one counts as absent (an ingress that appends its header instead of replacing it would let the caller's own come first). */
export function singleHeader(request: RequestHeaders, name: string): string | undefined {
  if (isRepeatedHeader(request, name)) return undefined;
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}
