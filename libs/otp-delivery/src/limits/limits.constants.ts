/** DI token of the resolved fraud and rate controls (`ResolvedLimitsOptions`), derived once from the validated options. */
export const LIMITS_OPTIONS = Symbol('LIMITS_OPTIONS');
