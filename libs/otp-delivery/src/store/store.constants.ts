/** DI token of the resolved store options (`ResolvedStoreOptions`), derived once from the validated options. */
export const STORE_OPTIONS = Symbol('STORE_OPTIONS');
