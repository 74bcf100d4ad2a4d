import { createServer, type Server } from 'node:net';
import { resolveOtpDeliveryOptions, type ResolvedOtpDeliveryOptions } from '../options/resolve-options.js';
import { inspect } from 'node:util';
import { CmSandbox } from '../testing/cm-sandbox/cm-sandbox.js';
import { SecretValue } from '../common/secret-value.js';
import { CmMessagingClient } from './cm-messaging.client.js';
import { CmHttpClient } from './cm-http.client.js';
import { CmError, CmValidationError } from './cm.error.js';
import type { CmOptions } from './cm-options.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';

describe('CmMessagingClient against the CM sandbox', () => {
  let sandbox: CmSandbox;
  let http: CmHttpClient;
  let client: CmMessagingClient;

  const make = (extra: Record<string, unknown> = {}) => {
    const built = cmHttpClientFor({ productToken: sandbox.productToken, messagingBaseUrl: sandbox.url, sender: 'MyBank', defaultRegion: 'JP', ...extra });
    return { http: built.http, client: new CmMessagingClient(built.http) };
  };

  beforeAll(async () => {
    sandbox = await CmSandbox.start();
    ({ http, client } = make());
  });
  afterAll(async () => {
    await http.close();
    await sandbox.close();
  });
  beforeEach(() => sandbox.clear());

  const request = { to: '+81 90-1234-5678', text: 'Your code is 123456', reference: 'd1' };

  it('sends exactly the documented request: path, headers and body', async () => {
    const result = await client.send({ ...request, text: new SecretValue('Your code is 123456'), validitySeconds: 300 });
    expect(result).toEqual({ reference: 'd1', parts: 1, encoding: 'GSM-7', acceptedAt: expect.any(Date) });
    expect(sandbox.requests).toHaveLength(1);
    const seen = sandbox.requests[0]!;
    expect(seen.method).toBe('POST');
    expect(seen.path).toBe('/v1.0/message');
    expect(seen.headers['x-cm-producttoken']).toBe(sandbox.productToken);
    expect(seen.headers['content-type']).toBe('application/json');
    expect(seen.body).toEqual({
      messages: {
        msg: [
          {
            from: 'MyBank',
            to: [{ number: '00819012345678' }],
            body: { type: 'auto', content: 'Your code is 123456' },
            reference: 'd1',
            validity: '5m',
            allowedChannels: ['SMS'],
            minimumNumberOfMessageParts: 1,
            maximumNumberOfMessageParts: 8,
          },
        ],
      },
    });
    expect(sandbox.outbox).toEqual([expect.objectContaining({ to: '00819012345678', text: 'Your code is 123456', reference: 'd1', validity: '5m' })]);
  });

  it.each([
    ['+81 90-1234-5678', '00819012345678'],
    ['090-1234-5678', '00819012345678'],
    ['0081 90 1234 5678', '00819012345678'],
    ['+44 7911 123456', '00447911123456'],
  ])('normalises %s to %s', async (to, number) => {
    await client.send({ ...request, to });
    expect((sandbox.requests[0]!.body as { messages: { msg: Array<{ to: unknown }> } }).messages.msg[0]!.to).toEqual([{ number }]);
  });

  it('removes the hyphens of a UUID reference so it fits CM’s 32 characters', async () => {
    const result = await client.send({ ...request, reference: '0b7c2a4e-1f0d-4c3e-9d1a-6f2b8e4c7a10' });
    expect(result.reference).toBe('0b7c2a4e1f0d4c3e9d1a6f2b8e4c7a10');
    expect(sandbox.outbox[0]!.reference).toBe('0b7c2a4e1f0d4c3e9d1a6f2b8e4c7a10');
  });

  it('rounds validity down to whole minutes so the SMS never outlives the code', async () => {
    await client.send({ ...request, validitySeconds: 179 });
    expect(sandbox.outbox[0]!.validity).toBe('2m');
  });

  it('counts UCS-2 parts for Japanese text and allows 10 parts when configured', async () => {
    const japanese = 'あ'.repeat(600);
    await expect(client.send({ ...request, text: japanese })).rejects.toThrow(new CmValidationError('text', 'needs 9 UCS-2 SMS parts, more than cm.maxMessageParts (8)'));
    expect(sandbox.requests).toHaveLength(0);
    const ten = make({ maxMessageParts: 10 });
    try {
      await expect(ten.client.send({ ...request, text: japanese })).resolves.toMatchObject({ parts: 9, encoding: 'UCS-2' });
      expect((sandbox.requests[0]!.body as { messages: { msg: Array<Record<string, unknown>> } }).messages.msg[0]!.maximumNumberOfMessageParts).toBe(10);
    } finally {
      await ten.http.close();
    }
  });

  it('cannot print its product token', () => {
    for (const printed of [inspect(client, { depth: 10, showHidden: true }), inspect(http, { depth: 10, showHidden: true }), JSON.stringify(http.options), String(http.options.productToken)]) {
      expect(printed).not.toContain(sandbox.productToken);
    }
  });

  it('accepts a base URL with a trailing slash', async () => {
    const slash = make({ messagingBaseUrl: `${sandbox.url}/` });
    try {
      await slash.client.send(request);
      expect(sandbox.requests[0]!.path).toBe('/v1.0/message');
    } finally {
      await slash.http.close();
    }
  });

  it('also puts the token in messages.authentication when tokenInBody is set', async () => {
    const inBody = make({ tokenInBody: true });
    try {
      await inBody.client.send(request);
      expect((sandbox.requests[0]!.body as { messages: Record<string, unknown> }).messages.authentication).toEqual({ productToken: sandbox.productToken });
      expect(sandbox.requests[0]!.headers['x-cm-producttoken']).toBe(sandbox.productToken);
    } finally {
      await inBody.http.close();
    }
  });

  describe('refuses bad input before the network', () => {
    it.each([
      ['to', { to: 'not a number' }],
      ['to', { to: '+81 3-1234-5678' }], // Tokyo fixed line: not mobile
      ['to', { to: '12' }],
      ['to', { to: undefined as unknown as string }],
      ['from', { from: 'ABCDEFGHIJKL' }],
      ['from', { from: 'My-Bank!' }],
      ['reference', { reference: '' }],
      ['reference', { reference: 'a'.repeat(33) }],
      ['reference', { reference: 'not valid!' }],
      ['validitySeconds', { validitySeconds: 30 }],
      ['validitySeconds', { validitySeconds: 90.5 }],
      ['text', { text: '' }],
      ['text', { text: '   ' }],
      ['text', { text: 'a'.repeat(153 * 8 + 1) }],
    ])('refuses a bad %s', async (field, override) => {
      const error = await client.send({ ...request, ...override }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(CmValidationError);
      expect((error as CmValidationError).field).toBe(field);
      expect(sandbox.requests).toHaveLength(0);
    });

    it('names the field without the number in the message', async () => {
      const error = (await client.send({ ...request, to: '+81 3-1234-5678' }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/^to must be a mobile number/);
      expect(error.message).not.toContain('1234');
    });
  });

  describe('answers', () => {
    it('treats HTTP 200 with a Rejected message as a failure', async () => {
      sandbox.failNext(1, {
        status: 200,
        body: { details: 'Created 0 message(s)', errorCode: 201, messages: [{ to: '00819012345678', status: 'Rejected', reference: 'd1', parts: 0, messageDetails: 'Blacklisted', messageErrorCode: 402 }] },
      });
      const error = (await client.send(request).catch((e: unknown) => e)) as CmError;
      expect(error).toBeInstanceOf(CmError);
      expect(error).toMatchObject({ status: 200, cmErrorCode: 402, cmMessage: 'Blacklisted', retryable: false, reason: 'rejected' });
    });

    it('treats HTTP 200 without errorCode 0 as a failure even if messages say Accepted', async () => {
      sandbox.failNext(1, { status: 200, body: { details: 'odd', errorCode: 999, messages: [{ status: 'Accepted' }] } });
      await expect(client.send(request)).rejects.toMatchObject({ cmErrorCode: 999, retryable: false });
    });

    it('reads an unknown token answer from the real sandbox as unauthorized', async () => {
      const wrong = make({ productToken: '99999999-9999-9999-9999-999999999999' });
      try {
        await expect(wrong.client.send(request)).rejects.toMatchObject({ status: 400, cmErrorCode: 103, reason: 'unauthorized', retryable: false });
      } finally {
        await wrong.http.close();
      }
    });

    it('redacts the code and phone digits CM echoes back', async () => {
      sandbox.failNext(1, { status: 400, body: { details: 'Invalid body "Your code is 123456" for 00819012345678', errorCode: 304, messages: [] } });
      const error = (await client.send(request).catch((e: unknown) => e)) as CmError;
      expect(error.cmMessage).toBe('Invalid body "Your code is [redacted]" for **********5678');
      expect(error.message).not.toContain('123456');
      expect(error.message).not.toContain(sandbox.productToken);
    });

    it('keeps a non-JSON error text', async () => {
      sandbox.failNext(1, { status: 502, body: 'Bad gateway' });
      await expect(client.send(request)).rejects.toMatchObject({ status: 502, cmErrorCode: undefined, cmMessage: 'Bad gateway', reason: 'unavailable', retryable: false });
    });

    it('answers 503 as retryable', async () => {
      sandbox.failNext(1, { status: 503, body: '' });
      await expect(client.send(request)).rejects.toMatchObject({ status: 503, reason: 'unavailable', retryable: true });
    });
  });

  describe('transport', () => {
    it('does not retry a request whose connection dropped after it was sent', async () => {
      sandbox.dropNext(1);
      await expect(client.send(request)).rejects.toMatchObject({ reason: 'unavailable', retryable: false, status: 0 });
      expect(sandbox.requests).toHaveLength(1);
      expect(sandbox.outbox).toHaveLength(0);
    });

    it('times out with requestTimeoutMs and says the request may have arrived', async () => {
      const slow = make({ requestTimeoutMs: 100 });
      sandbox.setLatency(1_000);
      try {
        await expect(slow.client.send(request)).rejects.toMatchObject({ reason: 'timeout', retryable: false });
      } finally {
        sandbox.setLatency(0);
        await slow.http.close();
      }
    });

    it('stops when the caller aborts', async () => {
      sandbox.setLatency(1_000);
      const controller = new AbortController();
      const pending = client.send(request, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(pending).rejects.toMatchObject({ reason: 'cancelled', retryable: false });
      sandbox.setLatency(0);
    });

    it('answers retryable "unavailable" when nothing listens (never sent)', async () => {
      const port = await freePort();
      const closed = make({ messagingBaseUrl: `http://127.0.0.1:${port}` });
      try {
        await expect(closed.client.send(request)).rejects.toMatchObject({ reason: 'unavailable', retryable: true, status: 0 });
      } finally {
        await closed.http.close();
      }
    });

    it('refuses to call CM without a product token, with a config error', async () => {
      const none = make({ productToken: undefined });
      try {
        const error = (await none.client.send(request).catch((e: unknown) => e)) as CmError;
        expect(error).toMatchObject({ reason: 'not-configured', retryable: false });
        expect(error.message).toContain('cm.productToken is not configured');
        expect(sandbox.requests).toHaveLength(0);
      } finally {
        await none.http.close();
      }
    });
  });

  describe('probe', () => {
    it('resolves when CM authenticates the token, sending nothing', async () => {
      await expect(client.probe()).resolves.toBeUndefined();
      expect(sandbox.outbox).toHaveLength(0);
      expect(sandbox.requests[0]).toMatchObject({ path: '/v1.0/message', body: { messages: { msg: [] } } });
    });

    it('rejects with unauthorized for a token CM refuses', async () => {
      const wrong = make({ productToken: '99999999-9999-9999-9999-999999999999' });
      try {
        await expect(wrong.client.probe()).rejects.toMatchObject({ reason: 'unauthorized', cmErrorCode: 103 });
      } finally {
        await wrong.http.close();
      }
    });
  });
});

async function freePort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** A CmHttpClient on given CM options, without Nest (as an issuer without DI would build it). */
function cmHttpClientFor(cm: CmOptions, more: OtpDeliveryModuleOptions = {}): { http: CmHttpClient; options: ResolvedOtpDeliveryOptions } {
  const options = resolveOtpDeliveryOptions({ ...more, cm });
  return { http: new CmHttpClient(options.cm), options };
}
