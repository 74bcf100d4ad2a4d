/** Timeouts and caching of the health checks. */
export class HealthOptions {}
