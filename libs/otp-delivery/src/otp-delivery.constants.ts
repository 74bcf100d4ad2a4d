/**
 * The validated and resolved module options (`ResolvedOtpDeliveryOptions`), internal to the module:
 * each feature injects its own slice (`CM_OPTIONS`, `STORE_OPTIONS`, ...), never the whole.
 */
export const OTP_DELIVERY_OPTIONS = Symbol('OTP_DELIVERY_OPTIONS');

/** The `callbacks` given beside the options, as given (checked with the options). */
export const OTP_DELIVERY_CALLBACKS = Symbol('OTP_DELIVERY_CALLBACKS');

/** Problems found in the module definition itself, listed with the options' problems. */
export const OTP_DELIVERY_DEFINITION_PROBLEMS = Symbol('OTP_DELIVERY_DEFINITION_PROBLEMS');
