export { SandboxConsoleModule } from './sandbox-console.module.js';
export { SANDBOX_CONSOLE_OPTIONS, type SandboxConsoleAsyncOptions } from './sandbox-console.module-definition.js';
export type { SandboxConsoleCard, SandboxConsoleOptions, SandboxConsoleRoutes } from './sandbox-console-options.js';
export type { ConsoleEntry, EmailEntry, FailureEntry, FaultsView, SmsEntry } from './console-entry.js';
export type { ConsoleSnapshot, ConsoleUpdate } from './console-feed.service.js';
export type { HttpExchange } from './callback-client.js';
export { loopbackUrlOf } from './loopback-url.js';
