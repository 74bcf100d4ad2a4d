// Small figures helpers shared by the end-to-end bench's reports.

/** The median (the mean of the middle two for an even count); undefined for none. */
export function median(values) {
  const sorted = values.filter((v) => v !== undefined && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A number with fixed digits, or '-' when there is none. */
export const fmt = (value, digits = 0) => (value === undefined || !Number.isFinite(value) ? '-' : Number(value).toFixed(digits));

/** A difference with its sign. */
export const signed = (value, digits = 2) => (value === undefined ? '-' : `${value >= 0 ? '+' : ''}${value.toFixed(digits)}`);

/** Failed requests of a run: non-2xx answers, errors and timeouts. */
export const failed = (run) => run.non2xx + run.errors;

/** `met` or `MISSED`, loud when missed. */
export const verdict = (ok) => (ok ? 'met' : 'MISSED');
