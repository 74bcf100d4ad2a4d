import type { Provider } from '@nestjs/common';
import { cmProviders } from './cm/cm.providers.js';
import { otpProviders } from './otp/otp.providers.js';
import { templatesProviders } from './templates/templates.providers.js';
import { channelsProviders } from './channels/channels.providers.js';
import { deliveryProviders } from './delivery/delivery.providers.js';
import { storeProviders } from './store/store.providers.js';
import { tokenizationProviders } from './tokenization/tokenization.providers.js';
import { limitsProviders } from './limits/limits.providers.js';
import { healthProviders } from './health/health.providers.js';
import { metricsProviders } from './metrics/metrics.providers.js';

/**
 * Every feature's providers, in one list so the core module registers and exports them alike.
 * Each feature folder owns its `*.providers.ts`.
 */
export const featureProviders: Provider[] = [
  ...cmProviders,
  ...otpProviders,
  ...templatesProviders,
  ...channelsProviders,
  ...deliveryProviders,
  ...storeProviders,
  ...tokenizationProviders,
  ...limitsProviders,
  ...healthProviders,
  ...metricsProviders,
];
