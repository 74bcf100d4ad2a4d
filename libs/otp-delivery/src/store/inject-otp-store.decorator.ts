import { Inject } from '@nestjs/common';
import { OtpStore } from './otp-store.interface.js';

/**
 * Injects the module's `OtpStore` without touching the raw token.
 * @example constructor(@InjectOtpStore() private readonly store: OtpStore) {}
 */
export const InjectOtpStore = (): ParameterDecorator => Inject(OtpStore);
