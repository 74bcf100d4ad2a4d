import type { Dispatcher } from 'undici';
import { CmError } from './cm.error.js';

/**
 * The most of one CM answer that is read: 64 KiB. CM answers one SMS or one OTP call in a few
 * hundred bytes, and a gateway's error page takes a few KiB, so nothing CM sends comes near it;
 * what goes past it is no answer worth reading, and reading it whole cost memory and time (a
 * 200 MB error answer raised RSS by 190 MB and took 1.5 s to redact). At most `cm.connections`
 * answers per CM host are read at once, so this bounds what they can hold in memory (1 MiB per
 * host with the default 16), and the redaction of an error's text stays well under a millisecond.
 */
export const CM_ANSWER_MAX_BYTES = 64 * 1024;

type CmAnswer = Pick<Dispatcher.ResponseData, 'statusCode' | 'headers' | 'body'>;
type AnswerBody = CmAnswer['body'];

/**
 * The text of a CM answer, read up to `CM_ANSWER_MAX_BYTES`. An answer whose declared length is
 * within the bound (CM's usual answer) is read whole as before: no extra work on the hot path. A
 * longer or undeclared one is read chunk by chunk and no further than the bound; the rest is
 * dropped with the connection (undici closes a connection whose answer was not read to its end,
 * so it is never reused mid-answer). An error answer keeps the text read so far, which is what its
 * message comes from; a success answer cut short cannot be CM's JSON, so it is a `CmError`.
 */
export async function readCmAnswerText(answer: CmAnswer, api: string): Promise<string> {
  // A declared length is all undici reads, so an answer declaring one within the bound needs no
  // counting: undici's own reader, as before. NaN (no header, or a repeated one) is counted.
  if (Number(answer.headers['content-length']) <= CM_ANSWER_MAX_BYTES) return answer.body.text();
  const { text, complete } = await readAtMost(answer.body, CM_ANSWER_MAX_BYTES);
  const status = answer.statusCode;
  if (complete || status < 200 || status >= 300) return text;
  // Not retryable: CM answered success, so the request may have been carried out.
  throw new CmError(api, { reason: 'rejected', status, cmMessage: `answer larger than ${CM_ANSWER_MAX_BYTES} bytes, not read`, retryable: false });
}

/** Reads `body` up to `limit` bytes; `complete` is false when there was more, which is then not read. */
function readAtMost(body: AnswerBody, limit: number): Promise<{ text: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    const onData = (chunk: Buffer): void => {
      if (length + chunk.length <= limit) {
        chunks.push(chunk);
        length += chunk.length;
        return;
      }
      chunks.push(chunk.subarray(0, limit - length));
      length = limit;
      body.off('data', onData);
      // Destroying makes undici abort the request and close its connection; the abort error it then
      // emits finds this promise settled (the 'error' listener stays, so it is not unhandled).
      body.destroy();
      resolve({ text: decode(chunks, length), complete: false });
    };
    body.on('data', onData);
    body.on('error', reject);
    body.on('end', () => resolve({ text: decode(chunks, length), complete: true }));
  });
}

/** UTF-8 without a leading BOM, as undici's `body.text()` reads it; a character cut at the limit reads as U+FFFD. */
function decode(chunks: readonly Buffer[], length: number): string {
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, length)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
