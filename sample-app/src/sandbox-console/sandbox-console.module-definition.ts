import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { SandboxConsoleOptions } from './sandbox-console-options.js';

export const {
  ConfigurableModuleClass: SandboxConsoleModuleClass,
  MODULE_OPTIONS_TOKEN: SANDBOX_CONSOLE_OPTIONS,
  OPTIONS_TYPE: SANDBOX_CONSOLE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SANDBOX_CONSOLE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SandboxConsoleOptions>({ moduleName: 'SandboxConsole' }).build();

/** What `SandboxConsoleModule.registerAsync` takes. */
export type SandboxConsoleAsyncOptions = typeof SANDBOX_CONSOLE_ASYNC_OPTIONS_TYPE;
