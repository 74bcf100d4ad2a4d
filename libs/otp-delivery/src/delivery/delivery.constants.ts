/** DI token of the resolved delivery options (`ResolvedDeliveryOptions`), derived once from the validated options. */
export const DELIVERY_OPTIONS = Symbol('DELIVERY_OPTIONS');
