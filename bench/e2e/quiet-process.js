// Starts a process with bench/support/processes.js, then stops scanning its output: the ready
// check re-reads the whole accumulated output on every chunk, which under load (one log line
// per sendOTP) would cost the load generator more and more CPU in the middle of a measurement.
import { startProcess } from '../support/processes.js';

/** `startProcess`, keeping only the last 16 KiB of output afterwards (for error reports). */
export async function startQuietProcess(script, options) {
  const started = await startProcess(script, options);
  let tail = started.output().slice(-16_384);
  for (const stream of [started.child.stdout, started.child.stderr]) {
    stream.removeAllListeners('data');
    stream.on('data', (chunk) => {
      tail = (tail + chunk).slice(-16_384);
    });
  }
  return { ...started, output: () => tail };
}
