import { Inject } from '@nestjs/common';
import { OtpStore } from './otp-store.interface.js';

/**
 * Injects the module's `OtpStore` without touching the raw token.
 * @example constructor(@InjectOtpStore() private readonly store: OtpStore) {}
 */
export const InjectOtpStore = (): ParameterDecorator => Inject(OtpStore);

/** The DI token of the store, for `extraProviders` and `moduleRef.get`. */
export const getOtpStoreToken = (): symbol => OtpStore;
