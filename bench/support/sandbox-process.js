// The CM.com sandbox in its own process, so it does not share a CPU with the app under load.
// Prints one JSON line `{ url, productToken }` and serves until SIGTERM. `GET /__sandbox/outbox`
// is served by the sandbox itself for counting.
import { CmSandbox } from 'nestjs-otp-delivery/testing';

const sandbox = await CmSandbox.start({ recordRequests: false, log: false });
console.log(JSON.stringify({ url: sandbox.url, productToken: sandbox.productToken }));
process.once('SIGTERM', () => void sandbox.close());
