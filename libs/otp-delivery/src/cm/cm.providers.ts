import type { Provider } from '@nestjs/common';
import { CmHttpClient } from './cm-http.client.js';
import { CmMessagingClient } from './cm-messaging.client.js';
import { CmOtpService } from './cm-otp.service.js';
import { CmStatusReports } from './cm-status-reports.service.js';

/** The CM.com providers registered by the core module. */
export const cmProviders: Provider[] = [CmHttpClient, CmMessagingClient, CmOtpService, CmStatusReports];
