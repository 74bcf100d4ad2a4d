/** Optional Prometheus metrics. */
export class MetricsOptions {}
