import { CmError, CmMessagingClient, CmOtpService, SecretValue } from 'nestjs-otp-delivery';
import { sendJson, streamAnswer, type HostileCm, type StreamedAnswer } from './support/hostile-cm-server.js';
import { hostileCmSuite } from './support/hostile-cm-suite.js';

/** Far past what is read (64 KiB), and more than the socket buffers hold: reading it whole would show. */
const HUGE = 32 * 1024 * 1024;
const ACCEPTED = { errorCode: 0, details: 'Created 1 message(s)', messages: [{ to: '00819012345678', status: 'Accepted', reference: 'd1', parts: 1, messageErrorCode: 0 }] };

/** CM answers larger than anything CM sends: read up to a bound, then no further. */
describe('CM answers too large to read', () => {
  const suite = hostileCmSuite();
  let cm: HostileCm;
  const boot = suite.boot;
  beforeAll(() => {
    cm = suite.cm();
  });
  /** How the server's last streamed answer ended. */
  let streamed: Promise<StreamedAnswer>;

  const sms = { to: '+81 90-1234-5678', text: new SecretValue('Your code is 482913'), reference: 'd1' };

  it('an error answer streamed without a length comes back as CmError with CM’s text cut, the rest never read', async () => {
    const client = (await boot()).get(CmMessagingClient);
    cm.answer = (_request, res) => {
      streamed = streamAnswer(res, 500, 'Internal error: ', HUGE);
    };
    const error = (await client.send(sms).catch((e: unknown) => e)) as CmError;
    expect(error).toBeInstanceOf(CmError);
    expect(error).toMatchObject({ reason: 'unavailable', status: 500 });
    expect(error.cmMessage).toMatch(/^Internal error: x+\.\.\.$/);
    expect(error.cmMessage!.length).toBeLessThanOrEqual(203);
    // The client hung up: the server could not write the whole answer.
    const { finished, written } = await streamed;
    expect(finished).toBe(false);
    expect(written).toBeLessThan(HUGE);

    // The connection was dropped, not reused mid-answer: the next call gets a clean answer.
    cm.answer = (_request, res) => sendJson(res, 200, ACCEPTED);
    await expect(client.send(sms)).resolves.toMatchObject({ reference: 'd1', parts: 1 });
  });

  it.each([
    ['Business Messaging send, chunked', 'send', false],
    ['OTP v2 create, with a declared length', 'generate', true],
  ] as const)('a success answer too large to read (%s) is a CmError “answer larger than 65536 bytes”', async (_name, call, declareLength) => {
    const app = await boot({ otpApiVersion: 'v2' });
    const head = call === 'send' ? JSON.stringify(ACCEPTED).replace(/}$/, ',"padding":"') : '{"id":"otp-1","channel":"sms","padding":"';
    cm.answer = (_request, res) => {
      streamed = streamAnswer(res, 200, head, HUGE, { declareLength, tail: '"}' });
    };
    const run = call === 'send' ? app.get(CmMessagingClient).send(sms) : app.get(CmOtpService).generate({ to: '+81 90-1234-5678' });
    const error = (await run.catch((e: unknown) => e)) as CmError;
    expect(error).toBeInstanceOf(CmError);
    expect(error).toMatchObject({ reason: 'rejected', status: 200, retryable: false, cmMessage: 'answer larger than 65536 bytes, not read' });
    expect((await streamed).finished).toBe(false);
  });
});
