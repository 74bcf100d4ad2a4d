// Runs the CM sandbox in its own process, so the clients' memory figures are theirs alone.
import { setInterval } from 'node:timers';
import { CmSandbox } from 'nestjs-otp-delivery/testing';

const sandbox = await CmSandbox.start({ recordRequests: false });
process.stdout.write(`${JSON.stringify({ url: sandbox.url, token: sandbox.productToken })}\n`);
// The outbox would grow by one entry per SMS; empty it now and then so the sandbox stays flat.
setInterval(() => sandbox.clear(), 1000).unref();
process.on('SIGTERM', async () => {
  await sandbox.close();
  process.exit(0);
});
