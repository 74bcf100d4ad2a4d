import type { Provider } from '@nestjs/common';
import { OtpTemplateRenderer } from './otp-template-renderer.service.js';

/** The template renderer; it compiles and checks every template when the module starts. */
export const templatesProviders: Provider[] = [OtpTemplateRenderer];
