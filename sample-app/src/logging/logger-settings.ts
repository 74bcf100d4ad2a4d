import type { AppLoggerSettings } from './app-logger.js';

const LEVELS = new Set(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

/**
 * The logger's settings read straight from the process environment, before it is validated: the
 * logger must exist to report a bad environment. A bad `LOG_LEVEL` or `LOG_FORMAT` falls back to
 * the default here, and the validation that follows names it.
 */
export function loggerSettingsFrom(env: NodeJS.ProcessEnv): AppLoggerSettings {
  const level = env.LOG_LEVEL && LEVELS.has(env.LOG_LEVEL) ? env.LOG_LEVEL : 'info';
  const format = env.LOG_FORMAT === 'json' || env.LOG_FORMAT === 'pretty' ? env.LOG_FORMAT : undefined;
  return { level, format };
}
