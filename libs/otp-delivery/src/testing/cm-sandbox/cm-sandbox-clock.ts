/** CM's OTP v1 writes times as `2015-01-01T13:00:00+0000` (offset without a colon). */
export function cmV1Time(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** OTP v2 answers ISO 8601 times. */
export function cmV2Time(date: Date): string {
  return date.toISOString();
}
