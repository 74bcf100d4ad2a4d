/**
 * Whether `transfer-encoding` names a coding besides `chunked` (`gzip, chunked`): Node decodes
 * only `chunked` and passes the body on as it came, still encoded or merely labelled so.
 */
export function hasTransferCodingBesidesChunked(transferEncoding: string | string[] | undefined): boolean {
  if (transferEncoding === undefined) return false;
  const value = Array.isArray(transferEncoding) ? transferEncoding.join(',') : transferEncoding;
  return value.split(',').some((coding) => coding.trim().toLowerCase() !== 'chunked');
}
