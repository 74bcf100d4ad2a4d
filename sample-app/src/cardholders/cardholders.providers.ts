import { fileURLToPath } from 'node:url';
import type { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { CardholderContactResolver } from 'nestjs-otp-delivery';
import { JsonFileCardholderResolver } from './json-file-cardholder.resolver.js';

/**
 * The sample cardholders shipped with the repository (`sample-app/data/cardholders.json`). Resolved
 * from the repository root, which is three levels up both from the sources
 * (`sample-app/src/cardholders`) and from the build (`dist/sample-app/cardholders`).
 */
export const SAMPLE_CARDHOLDERS_FILE = fileURLToPath(new URL('../../../sample-app/data/cardholders.json', import.meta.url));

/**
 * The contact resolver provider for `OtpDeliveryModule`'s `extraProviders`.
 * @example extraProviders: [cardholderResolverProvider(config.get('CARDHOLDERS_FILE'))]
 */
export function cardholderResolverProvider(path: string = SAMPLE_CARDHOLDERS_FILE): Provider {
  return { provide: CardholderContactResolver, useFactory: () => JsonFileCardholderResolver.fromFile(path) };
}

/**
 * The resolver reading `CARDHOLDERS_FILE` from `ConfigService` (the sample data when unset).
 * @example OtpDeliveryModule.forRootAsync({ ..., extraProviders: [cardholderResolverFromConfig] })
 */
export const cardholderResolverFromConfig: Provider = {
  provide: CardholderContactResolver,
  useFactory: (config: ConfigService) => JsonFileCardholderResolver.fromFile(config.get<string>('CARDHOLDERS_FILE') ?? SAMPLE_CARDHOLDERS_FILE),
  inject: [ConfigService],
};
