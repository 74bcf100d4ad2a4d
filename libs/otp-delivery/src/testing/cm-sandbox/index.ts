export { CmSandbox } from './cm-sandbox.js';
export type { CmSandboxAnswer, CmSandboxFault, CmSandboxMessage, CmSandboxOptions, CmSandboxRequest } from './cm-sandbox.types.js';
