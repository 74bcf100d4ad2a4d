import type { Provider } from '@nestjs/common';
import { OtpSendControls } from './otp-send-controls.service.js';

/** The limits providers registered by the core module. */
export const limitsProviders: Provider[] = [OtpSendControls];
