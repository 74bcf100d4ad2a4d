/** Fraud and rate controls applied before every send. */
export class LimitsOptions {}
