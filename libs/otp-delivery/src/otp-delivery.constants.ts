/**
 * The validated module options. Inject it with `@Inject(OTP_DELIVERY_OPTIONS)` to read the
 * configuration a feature needs; the raw options given to `forRoot`/`forRootAsync` never leave
 * the module definition.
 */
export const OTP_DELIVERY_OPTIONS = Symbol('OTP_DELIVERY_OPTIONS');
