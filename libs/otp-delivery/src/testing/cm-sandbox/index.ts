export { CmSandbox } from './cm-sandbox.js';
export type { CmSandboxAnswer, CmSandboxFault, CmSandboxFaultState, CmSandboxMessage, CmSandboxOptions, CmSandboxRequest } from './cm-sandbox.types.js';
