/**
 * `application/json`, any case, with at most a `charset=utf-8` parameter (RFC 8259: JSON between
 * systems is UTF-8). Nothing else is a callback body: Express would turn a form into an object
 * the DTOs accept, Fastify would hand a `text/plain` body over as a string.
 */
const JSON_MEDIA_TYPE = /^application\/json[\t ]*(?:;[\t ]*charset=(?:utf-8|"utf-8")[\t ]*)?$/i;

/** What is wrong with a callback's `content-type`: `missing`, `format`, or `undefined` when it is JSON. */
export function jsonContentTypeProblem(contentType: string | string[] | undefined): 'missing' | 'format' | undefined {
  if (contentType === undefined || contentType === '') return 'missing';
  if (Array.isArray(contentType) || !JSON_MEDIA_TYPE.test(contentType)) return 'format';
  return undefined;
}

/**
 * Whether `transfer-encoding` names a coding besides `chunked` (`gzip, chunked`): Node decodes
 * only `chunked` and passes the body on as it came, still encoded or merely labelled so.
 */
export function hasTransferCodingBesidesChunked(transferEncoding: string | string[] | undefined): boolean {
  if (transferEncoding === undefined) return false;
  const value = Array.isArray(transferEncoding) ? transferEncoding.join(',') : transferEncoding;
  return value.split(',').some((coding) => coding.trim().toLowerCase() !== 'chunked');
}
