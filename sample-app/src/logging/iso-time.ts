/**
 * pino's `stdTimeFunctions.isoTime` (`,"time":"2026-12-01T02:36:38.123Z"`), formatted once per
 * millisecond: a busy app writes several lines within one, and `toISOString` costs about 0.85 us
 * a call here against 0.08 for the reuse (two lines per `sendOTP`).
 */
export function isoTimeOncePerMs(now: () => number = Date.now): () => string {
  let formattedMs = Number.NaN;
  let field = '';
  return () => {
    const ms = now();
    if (ms !== formattedMs) {
      formattedMs = ms;
      field = `,"time":"${new Date(ms).toISOString()}"`;
    }
    return field;
  };
}
