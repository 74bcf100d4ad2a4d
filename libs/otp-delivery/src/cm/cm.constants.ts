/** DI token of the resolved CM.com options (`ResolvedCmOptions`), derived once from the validated options. */
export const CM_OPTIONS = Symbol('CM_OPTIONS');
