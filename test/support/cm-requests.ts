import { setTimeout as sleep } from 'node:timers/promises';
import type { CmSandbox, CmSandboxRequest } from 'nestjs-otp-delivery/testing';

/**
 * Whether a request to the CM.com sandbox carries at least one message: an SMS send, as opposed to
 * the health check's probe (the same endpoint with an empty message list), which the sample app's
 * dependency monitor sends in the background.
 */
export function carriesMessages(request: CmSandboxRequest): boolean {
  const messages = (request.body as { messages?: { msg?: unknown } } | undefined)?.messages?.msg;
  return Array.isArray(messages) && messages.length > 0;
}

/** Waits until the sandbox has received a request carrying a message (CM holds it while latency is set). */
export async function waitForSendRequest(sandbox: CmSandbox, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!sandbox.requests.some(carriesMessages)) {
    if (Date.now() > deadline) throw new Error(`no SMS request reached the CM.com sandbox within ${timeoutMs} ms`);
    await sleep(10);
  }
}
