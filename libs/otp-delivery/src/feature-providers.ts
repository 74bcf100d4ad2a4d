import type { Provider } from '@nestjs/common';

/**
 * Every feature's providers, in one list so the core module registers and exports them alike.
 * Each feature folder owns its `*.providers.ts`.
 */
export const featureProviders: Provider[] = [];
