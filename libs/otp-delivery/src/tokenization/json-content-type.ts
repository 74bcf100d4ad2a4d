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
