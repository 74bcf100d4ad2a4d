import { fileURLToPath } from 'node:url';
import type { Provider } from '@nestjs/common';
import { CardholderContactResolver } from 'nestjs-otp-delivery';
import { JsonFileCardholderResolver } from './json-file-cardholder.resolver.js';

/** The sample cardholders shipped with the repository (`sample-app/data/cardholders.json`). */
export const SAMPLE_CARDHOLDERS_FILE = fileURLToPath(new URL('../../data/cardholders.json', import.meta.url));

/**
 * The contact resolver provider for `OtpDeliveryModule`'s `extraProviders`.
 * @example extraProviders: [cardholderResolverProvider(config.get('CARDHOLDERS_FILE'))]
 */
export function cardholderResolverProvider(path: string = SAMPLE_CARDHOLDERS_FILE): Provider {
  return { provide: CardholderContactResolver, useFactory: () => JsonFileCardholderResolver.fromFile(path) };
}
