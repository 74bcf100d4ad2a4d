/**
 * Error codes that prove a request never left this process: name resolution failed or no
 * connection was ever established. Anything else (reset, closed socket, timeout after connect)
 * may have reached CM, and none of CM's calls is idempotent.
 */
const NEVER_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** True when `error` proves the request was never sent, so one retry cannot duplicate a message. */
export function isNeverSent(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NEVER_SENT_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Runs `attempt`, and runs it once more only when the first failure proves the request never
 * left (`isNeverSent`) and `signal` has not fired. Every other failure is thrown as it is: none of
 * CM's calls is idempotent, so a request that may have arrived is never repeated.
 */
export async function retryOnceIfNeverSent<T>(attempt: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await attempt();
  } catch (error) {
    if (!isNeverSent(error) || signal?.aborted) throw error;
    return attempt();
  }
}
