/** DI token of the resolved health options (`ResolvedHealthOptions`), derived once from the validated options. */
export const HEALTH_OPTIONS = Symbol('HEALTH_OPTIONS');
