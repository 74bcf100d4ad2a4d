// The CM.com sandbox in its own process, so it does not share a CPU with the app under load.
// Prints one JSON line `{ url, productToken }` and serves until SIGTERM.
import { setInterval } from 'node:timers';
import { CmSandbox } from 'nestjs-otp-delivery/testing';

const sandbox = await CmSandbox.start({ recordRequests: false, log: false });
console.log(JSON.stringify({ url: sandbox.url, productToken: sandbox.productToken }));
// The outbox keeps every SMS: emptied every second, so a long run does not slow the sandbox with
// a growing heap (nothing in the bench reads it).
setInterval(() => sandbox.clear(), 1000).unref();
process.once('SIGTERM', () => void sandbox.close());
