export { OtpTemplateRenderer, type OtpTemplateField, type OtpTemplateKind, type RenderedOtpMessage } from './otp-template-renderer.service.js';
export type { OtpTemplateProblem } from './otp-template-problem.js';
export type { OtpLocaleTemplates, OtpTemplateVariable } from './templates-options.js';
export { walletDisplayName } from './wallet-names.js';
export { DEFAULT_TEMPLATES } from './default-templates.js';
export { templatesProviders } from './templates.providers.js';
