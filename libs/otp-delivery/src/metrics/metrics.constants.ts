/** DI token of the resolved metrics options (`ResolvedMetricsOptions`), derived once from the validated options. */
export const METRICS_OPTIONS = Symbol('METRICS_OPTIONS');
