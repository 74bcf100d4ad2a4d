import { firstValueFrom, take, toArray } from 'rxjs';
import { CmSandbox } from './cm-sandbox.js';
import type { CmSandboxFaultState } from './cm-sandbox.types.js';

describe('CmSandbox', () => {
  let sandbox: CmSandbox;

  beforeAll(async () => {
    sandbox = await CmSandbox.start({ productTokens: ['11111111-1111-1111-1111-111111111111'] });
  });
  afterAll(() => sandbox.close());
  beforeEach(() => sandbox.clear());

  const post = async (path: string, body: unknown, token: string | null = sandbox.productToken, headerName = 'X-CM-ProductToken') => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token !== null) headers[headerName] = token;
    const res = await fetch(sandbox.url + path, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  const sms = (overrides: Record<string, unknown> = {}) => ({
    messages: {
      msg: [{ from: 'MyBank', to: [{ number: '00819012345678' }], body: { type: 'auto', content: 'Your code is 123456' }, reference: 'ref1', ...overrides }],
    },
  });

  describe('Business Messaging', () => {
    it('accepts a valid message with errorCode 0 and puts it in the outbox', async () => {
      const res = await post('/v1.0/message', sms({ validity: '5m', allowedChannels: ['SMS'], maximumNumberOfMessageParts: 8 }));
      expect(res).toEqual({
        status: 200,
        body: {
          details: 'Created 1 message(s)',
          errorCode: 0,
          messages: [{ to: '00819012345678', status: 'Accepted', reference: 'ref1', parts: 1, messageDetails: null, messageErrorCode: 0 }],
        },
      });
      expect(sandbox.outbox).toEqual([
        expect.objectContaining({ api: 'messaging', reference: 'ref1', from: 'MyBank', to: '00819012345678', text: 'Your code is 123456', parts: 1, encoding: 'GSM-7', validity: '5m' }),
      ]);
    });

    it('keeps at most maxMessages in the outbox, the oldest dropped, while messages$ sees every one', async () => {
      const small = await CmSandbox.start({ maxMessages: 2 });
      try {
        const seen = firstValueFrom(small.messages$.pipe(take(3), toArray()));
        for (const reference of ['keep1', 'keep2', 'keep3']) {
          const res = await fetch(`${small.url}/v1.0/message`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-cm-producttoken': small.productToken }, body: JSON.stringify(sms({ reference })) });
          expect(res.status).toBe(200);
        }
        expect(small.outbox.map((message) => message.reference)).toEqual(['keep2', 'keep3']);
        expect((await seen).map((message) => message.reference)).toEqual(['keep1', 'keep2', 'keep3']);
      } finally {
        await small.close();
      }
    });

    it('reads the token header case-insensitively and from messages.authentication', async () => {
      expect((await post('/v1.0/message', sms(), sandbox.productToken, 'X-CM-PRODUCTTOKEN')).body.errorCode).toBe(0);
      const inBody = sms();
      (inBody.messages as Record<string, unknown>).authentication = { productToken: sandbox.productToken };
      expect((await post('/v1.0/message', inBody, null)).body.errorCode).toBe(0);
    });

    it.each([
      ['no token', null, 101],
      ['an unknown token', '22222222-2222-2222-2222-222222222222', 103],
    ])('refuses %s with HTTP 400 and errorCode %p', async (_label, token, errorCode) => {
      const res = await post('/v1.0/message', sms(), token);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errorCode, messages: [] });
      expect(sandbox.outbox).toHaveLength(0);
    });

    it.each([
      ['from too long', { from: 'ABCDEFGHIJKL' }, 301],
      ['empty to', { to: [] }, 302],
      ['a + number', { to: [{ number: '+819012345678' }] }, 303],
      ['an empty body', { body: { type: 'auto', content: '' } }, 304],
      ['a bad reference', { reference: 'not valid!' }, 305],
      ['a bad validity', { validity: 'soon' }, 305],
      ['too many parts', { body: { content: 'あ'.repeat(200) }, maximumNumberOfMessageParts: 2 }, 304],
    ])('rejects %s with HTTP 400 and errorCode %p', async (_label, override, errorCode) => {
      const res = await post('/v1.0/message', sms(override));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ errorCode, messages: [expect.objectContaining({ status: 'Rejected', messageErrorCode: errorCode })] });
      expect(sandbox.outbox).toHaveLength(0);
    });

    it('accepts body.type in any case, as CM’s own SDK sends "AUTO"', async () => {
      expect((await post('/v1.0/message', sms({ body: { type: 'AUTO', content: 'hi' } }))).body.errorCode).toBe(0);
      expect((await post('/v1.0/message', sms({ body: { type: 'binary', content: 'hi' } }))).body.errorCode).toBe(304);
    });

    it('answers 200 with errorCode 201 on partial failure', async () => {
      const res = await post('/v1.0/message', sms({ to: [{ number: '00819012345678' }, { number: '12' }] }));
      expect(res.status).toBe(200);
      expect(res.body.errorCode).toBe(201);
      expect((res.body.messages as unknown[]).map((m) => (m as { status: string }).status)).toEqual(['Accepted', 'Rejected']);
      expect(sandbox.outbox).toHaveLength(1);
    });

    it.each([
      ['not JSON', 'nope', 202],
      ['no msg array', { messages: { msg: 'x' } }, 203],
    ])('refuses a body that is %s', async (_label, body, errorCode) => {
      const res = await post('/v1.0/message', body);
      expect(res).toMatchObject({ status: 400, body: { errorCode } });
    });
  });

  describe('OTP v1', () => {
    it('generates, sends and verifies once', async () => {
      const gen = await post('/v1.0/otp/generate', { recipient: '00819012345678', sender: 'MyBank', length: 6, expiry: 120, message: 'Code {code}' });
      expect(gen.status).toBe(200);
      expect(gen.body).toEqual({ id: expect.any(String), createdAt: expect.stringMatching(/\+0000$/), expireAt: expect.stringMatching(/\+0000$/) });
      const sent = sandbox.outbox[0]!;
      expect(sent).toMatchObject({ api: 'otp-v1', reference: gen.body.id, to: '00819012345678', from: 'MyBank', validity: '120s' });
      expect(sent.code).toMatch(/^\d{6}$/);
      expect(sent.text).toBe(`Code ${sent.code}`);
      expect((await post('/v1.0/otp/verify', { id: gen.body.id, code: sent.code })).body).toEqual({ valid: true });
      expect((await post('/v1.0/otp/verify', { id: gen.body.id, code: sent.code })).body).toEqual({ valid: false });
    });

    it('locks an OTP after five wrong attempts', async () => {
      const gen = await post('/v1.0/otp/generate', { recipient: '+819012345678', sender: 'MyBank' });
      const code = sandbox.outbox[0]!.code!;
      const wrong = code === '00000' ? '11111' : '00000';
      for (let i = 0; i < 5; i += 1) expect((await post('/v1.0/otp/verify', { id: gen.body.id, code: wrong })).body).toEqual({ valid: false });
      expect((await post('/v1.0/otp/verify', { id: gen.body.id, code })).body).toEqual({ valid: false });
    });

    it.each([
      ['recipient', { recipient: '12' }],
      ['sender', { sender: 'AB' }],
      ['length', { length: 3 }],
      ['expiry', { expiry: 3601 }],
      ['appKey', { allowPush: true }],
      ['message', { message: 'no placeholder' }],
    ])('answers 400 for a bad %s', async (_field, override) => {
      const res = await post('/v1.0/otp/generate', { recipient: '00819012345678', sender: 'MyBank', ...override });
      expect(res).toMatchObject({ status: 400, body: { status: 400, message: expect.any(String) } });
      expect(sandbox.outbox).toHaveLength(0);
    });

    it('answers 401 for a missing token', async () => {
      expect((await post('/v1.0/otp/generate', { recipient: '00819012345678', sender: 'MyBank' }, null)).status).toBe(401);
    });
  });

  describe('OTP v2', () => {
    const create = (overrides: Record<string, unknown> = {}) =>
      post('/otp/v2/otp', { channel: 'sms', from: 'MyBank', to: '+819012345678', digits: 6, expiry: 60, ...overrides });

    it('creates and verifies with 200, then 400/3003 when used again', async () => {
      const created = await create();
      expect(created).toEqual({
        status: 200,
        body: { id: expect.any(String), channel: 'sms', verified: false, createdAt: expect.any(String), expiresAt: expect.any(String) },
      });
      const code = sandbox.outbox[0]!.code!;
      const wrong = await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code: code === '000000' ? '111111' : '000000' });
      expect(wrong).toMatchObject({ status: 200, body: { verified: false } });
      expect(await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code })).toMatchObject({ status: 200, body: { verified: true } });
      expect(await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code })).toMatchObject({ status: 400, body: { errorCode: 3003 } });
    });

    it('answers 400/3002 once the OTP has expired', async () => {
      const created = await create({ expiry: 10 });
      sandbox.advanceTime(10_000);
      expect(await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code: sandbox.outbox[0]!.code })).toMatchObject({ status: 400, body: { errorCode: 3002 } });
    });

    it('answers 404/3001 for an unknown id and 400/3004 after too many attempts', async () => {
      expect(await post('/otp/v2/otp/nope/verify', { code: '123456' })).toMatchObject({ status: 404, body: { errorCode: 3001 } });
      const created = await create();
      const code = sandbox.outbox[0]!.code!;
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 0; i < 5; i += 1) await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code: wrong });
      expect(await post(`/otp/v2/otp/${created.body.id as string}/verify`, { code })).toMatchObject({ status: 400, body: { errorCode: 3004 } });
    });

    it.each([
      [2001, { channel: 'fax' }],
      [2002, { from: 'A' }],
      [2002, { channel: 'voice', from: 'MyBank' }],
      [2003, { to: '00819012345678' }],
      [2003, { channel: 'email', to: 'not-an-email' }],
      [2004, { message: 'no placeholder' }],
      [2005, { digits: 11 }],
      [2006, { expiry: 5 }],
      [2007, { locale: 'japanese' }],
      [2008, { channel: 'push' }],
    ])('answers 400 with errorCode %i for %j', async (errorCode, override) => {
      expect(await create(override)).toMatchObject({ status: 400, body: { errorCode } });
      expect(sandbox.outbox).toHaveLength(0);
    });
  });

  describe('faults and introspection', () => {
    it('answers the injected status for the next N requests, then behaves', async () => {
      sandbox.failNext(2, { status: 503 });
      expect((await post('/v1.0/message', sms())).status).toBe(503);
      expect((await post('/v1.0/message', sms())).status).toBe(503);
      expect((await post('/v1.0/message', sms())).status).toBe(200);
    });

    it('drops the connection without an answer', async () => {
      sandbox.dropNext(1);
      await expect(post('/v1.0/message', sms())).rejects.toThrow();
      expect(sandbox.requests).toHaveLength(1);
      expect((await post('/v1.0/message', sms())).status).toBe(200);
    });

    it('reports the fault state as it is set and as requests use it up, and clearFaults keeps the outbox', async () => {
      const states: CmSandboxFaultState[] = [];
      const subscription = sandbox.faults$.subscribe((state) => states.push(state));
      try {
        await post('/v1.0/message', sms());
        sandbox.failNext(2, { status: 500 });
        sandbox.dropNext(1);
        sandbox.setLatency(5);
        expect(sandbox.faults).toEqual({ failNext: [{ status: 500 }, { status: 500 }], dropNext: 1, latencyMs: 5 });
        await expect(post('/v1.0/message', sms())).rejects.toThrow();
        expect((await post('/v1.0/message', sms())).status).toBe(500);
        expect(sandbox.faults).toEqual({ failNext: [{ status: 500 }], dropNext: 0, latencyMs: 5 });
        sandbox.clearFaults();
        expect((await post('/v1.0/message', sms())).status).toBe(200);
      } finally {
        subscription.unsubscribe();
      }
      expect(states.map((state) => [state.failNext.length, state.dropNext, state.latencyMs])).toEqual([
        [2, 0, 0],
        [2, 1, 0],
        [2, 1, 5],
        [2, 0, 5],
        [1, 0, 5],
        [0, 0, 0],
      ]);
      expect(sandbox.outbox).toHaveLength(2);
    });

    it('pushes each message on messages$ once it is in the outbox, and completes on close', async () => {
      const pushing = await CmSandbox.start();
      const seen = firstValueFrom(pushing.messages$.pipe(take(2), toArray()));
      const all = firstValueFrom(pushing.messages$.pipe(toArray()));
      const headers = { 'content-type': 'application/json', 'x-cm-producttoken': pushing.productToken };
      await fetch(`${pushing.url}/v1.0/message`, { method: 'POST', headers, body: JSON.stringify(sms({ to: [{ number: '00819012345678' }, { number: '00447400123456' }] })) });
      expect((await seen).map((message) => [message.to, pushing.outbox.includes(message)])).toEqual([
        ['00819012345678', true],
        ['00447400123456', true],
      ]);
      await pushing.close();
      expect(await all).toHaveLength(2);
    });

    it('records requests with lower-case headers and parsed bodies, and serves the outbox', async () => {
      await post('/v1.0/message', sms());
      expect(sandbox.requests[0]).toMatchObject({ method: 'POST', path: '/v1.0/message', headers: { 'x-cm-producttoken': sandbox.productToken }, body: sms() });
      const outbox = (await (await fetch(`${sandbox.url}/__sandbox/outbox`)).json()) as unknown[];
      expect(outbox).toEqual([expect.objectContaining({ reference: 'ref1', to: '00819012345678' })]);
    });
  });

  it('prints each message with the code, marked [CM SANDBOX], only when log is on', async () => {
    const logging = await CmSandbox.start({ log: true });
    const lines: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => {
      lines.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      await fetch(`${logging.url}/v1.0/otp/generate`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-cm-producttoken': logging.productToken },
        body: JSON.stringify({ recipient: '00819012345678', sender: 'MyBank', message: 'Code {code}' }),
      });
      await post('/v1.0/message', sms());
    } finally {
      process.stdout.write = write;
      await logging.close();
    }
    const code = logging.outbox[0]!.code!;
    expect(lines).toEqual([expect.stringMatching(new RegExp(`^\\[CM SANDBOX\\] otp-v1 sms to \\*+5678 from MyBank .*: Code ${code}\\n$`))]);
  });

  it('keeps at most maxMessages OTPs too, the oldest forgotten first (a long-running sandbox does not grow)', async () => {
    const bounded = await CmSandbox.start({ maxMessages: 3 });
    try {
      const generate = async () => {
        const res = await fetch(`${bounded.url}/v1.0/otp/generate`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-CM-ProductToken': bounded.productToken }, body: JSON.stringify({ recipient: '00819012345678', sender: 'MyBank' }) });
        return ((await res.json()) as { id: string }).id;
      };
      const verify = async (id: string, code: string) => {
        const res = await fetch(`${bounded.url}/v1.0/otp/verify`, { method: 'POST', headers: { 'content-type': 'application/json', 'X-CM-ProductToken': bounded.productToken }, body: JSON.stringify({ id, code }) });
        return ((await res.json()) as { valid: boolean }).valid;
      };
      const ids: string[] = [];
      const codes = new Map<string, string>();
      for (let i = 0; i < 5; i++) {
        const id = await generate();
        ids.push(id);
        codes.set(id, bounded.outbox.at(-1)!.code!);
      }
      expect(bounded.outbox).toHaveLength(3);
      // The first two OTPs are forgotten: verifying them answers as an unknown id does.
      expect(await verify(ids[0]!, codes.get(ids[0]!)!)).toBe(false);
      expect(await verify(ids[1]!, codes.get(ids[1]!)!)).toBe(false);
      expect(await verify(ids[4]!, codes.get(ids[4]!)!)).toBe(true);
    } finally {
      await bounded.close();
    }
  });
});
