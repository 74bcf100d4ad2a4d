export { JsonFileCardholderResolver } from './json-file-cardholder.resolver.js';
export { cardholderResolverFromConfig, cardholderResolverProvider, SAMPLE_CARDHOLDERS_FILE } from './cardholders.providers.js';
