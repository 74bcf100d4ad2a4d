import { createServer, type AddressInfo, type Server } from 'node:net';
import { networkInterfaces } from 'node:os';
import { OtpDeliveryService, type OtpDeliveryModuleForRootOptions } from 'nestjs-otp-delivery';
import { EmailChannel } from '../../libs/otp-delivery/src/channels/email.channel.js';
import { resolveEmailOptions, type EmailOptions } from '../../libs/otp-delivery/src/channels/email-options.js';
import { createEmailTransporter } from '../../libs/otp-delivery/src/channels/email-transporter.js';
import { SmtpSink } from './support/smtp-sink.js';
import { CapturedLogs } from '../support/capture-logs.js';
import { CODE, boot, japaneseDelivery, rejection } from './support/email-delivery.js';

const FROM = 'no-reply@email.mybank.test';

/** An IPv4 address of this machine that is not loopback: it reaches a local server, and the library must treat it as remote. */
const remoteLookingAddress = Object.values(networkInterfaces())
  .flat()
  .find((address) => address && !address.internal && address.family === 'IPv4')?.address;

type EmailSource = (sink: SmtpSink, tls?: 'self-signed') => Pick<EmailOptions, 'smtpUrl' | 'transport'>;

/** The same server given as a URL, as a URL that says `requireTLS=false`, and as `email.transport` without `secure`. */
const SOURCES: Array<[string, EmailSource]> = [
  ['smtpUrl', (sink, tls) => ({ smtpUrl: `smtp://otp:hunter2secret@${sink.host}:${sink.port}${tls ? '/?tls.rejectUnauthorized=false' : ''}` })],
  ['smtpUrl with ?requireTLS=false', (sink, tls) => ({ smtpUrl: `smtp://otp:hunter2secret@${sink.host}:${sink.port}/?requireTLS=false${tls ? '&tls.rejectUnauthorized=false' : ''}` })],
  [
    'transport with secure: false',
    (sink, tls) => ({
      transport: { host: sink.host, port: sink.port, secure: false, auth: { user: 'otp', pass: 'hunter2secret' }, ...(tls ? { tls: { rejectUnauthorized: false } } : {}) },
    }),
  ],
];

async function deliverThrough(email: OtpDeliveryModuleForRootOptions['email'], destination = 'taro@example.com', logs?: CapturedLogs): Promise<unknown> {
  const app = await boot({ email: { from: FROM, pool: false, connectionTimeoutMs: 2000, ...email } }, logs);
  try {
    return await app.get(OtpDeliveryService).deliver(japaneseDelivery(destination));
  } catch (error) {
    return error;
  } finally {
    await app.close();
  }
}

describe(`plain smtp:// to a server that is not on loopback (${remoteLookingAddress ?? 'no such interface here'})`, () => {
  if (!remoteLookingAddress) {
    // Never a silent pass: the one machine without such an interface says so, and fails unless told to accept it.
    it('needs a non-loopback IPv4 interface (or OTP_ALLOW_NO_INTERFACE=1 to accept not running these tests)', () => {
      if (process.env.OTP_ALLOW_NO_INTERFACE !== '1') throw new Error('no non-loopback IPv4 interface: the STARTTLS tests against a remote-looking host could not run');
    });
    return;
  }
  let cleartext: SmtpSink;
  let startTls: SmtpSink;

  beforeAll(async () => {
    cleartext = await SmtpSink.start({ host: remoteLookingAddress, auth: true });
    startTls = await SmtpSink.start({ host: remoteLookingAddress, auth: true, startTls: true });
  });

  afterAll(async () => {
    await cleartext?.close();
    await startTls?.close();
  });

  beforeEach(() => {
    for (const sink of [cleartext, startTls]) {
      sink.received.length = 0;
      sink.commands.length = 0;
    }
  });

  it.each(SOURCES)('%s: requires STARTTLS: no AUTH, no MAIL FROM, no DATA without it; everything inside TLS with it', async (_name, source) => {
    const refused = await deliverThrough(source(cleartext));
    expect(refused).toMatchObject({ channel: 'email', reason: 'unavailable', retryable: true, detail: expect.stringMatching(/^SMTP server did not start TLS \(ETLS 5\d\d\)$/) });
    expect(cleartext.commands).toEqual([]);
    expect(cleartext.received).toEqual([]);

    const logs = new CapturedLogs();
    const sent = await deliverThrough(source(startTls, 'self-signed'), undefined, logs);
    expect(sent).toMatchObject({ channel: 'email' });
    // The test's self-signed certificate is taken unchecked: said at every start.
    expect(logs.lines.filter((line) => line.level === 'warn' && line.text.includes('TLS certificate is not checked'))).toHaveLength(1);
    expect(startTls.commands).toEqual([
      { command: 'AUTH', secure: true },
      { command: 'MAIL FROM', secure: true },
      { command: 'DATA', secure: true },
    ]);
    expect(startTls.received[0]?.parsed.text).toContain(CODE);
  });

  it.each(SOURCES)('%s: sends in clear text when email.allowCleartextSmtp says so', async (_name, source) => {
    const logs = new CapturedLogs();
    const sent = await deliverThrough({ ...source(cleartext), allowCleartextSmtp: true }, undefined, logs);
    expect(sent).toMatchObject({ channel: 'email' });
    // A deliberate choice, said at every start.
    expect(logs.lines.filter((line) => line.level === 'warn' && line.text.includes('may cross the network in clear text'))).toHaveLength(1);
    expect(cleartext.commands.map(({ command, secure }) => `${command} ${secure}`)).toEqual(['AUTH false', 'MAIL FROM false', 'DATA false']);
  });
});

describe("nodemailer's own logger (it prints the message, its code and the addresses)", () => {
  let sink: SmtpSink;

  beforeAll(async () => {
    sink = await SmtpSink.start();
  });

  afterAll(async () => {
    await sink.close();
  });

  it('refuses to boot when smtpUrl or transport turns it on, naming the option', async () => {
    await expect(boot({ email: { smtpUrl: `${sink.url}/?logger=true&debug=true`, from: FROM } })).rejects.toThrow(
      "email.smtpUrl must not set logger or debug: nodemailer's own log prints each message with its code and the full addresses",
    );
    await expect(boot({ email: { transport: { host: sink.host, port: sink.port, debug: true } as EmailOptions['transport'], from: FROM } })).rejects.toThrow(
      'email.transport must not set logger or debug',
    );
    await expect(boot({ email: { transport: { host: sink.host, port: sink.port, logger: console } as EmailOptions['transport'], from: FROM } })).rejects.toThrow(
      'email.transport must not set logger or debug',
    );
    // Saying it is off is fine.
    const app = await boot({ email: { smtpUrl: `${sink.url}/?debug=false`, transport: undefined, from: FROM } });
    await app.close();
  });

  it('stays off whatever the URL or transport say, even for options that never went through the boot check', async () => {
    const written: string[] = [];
    const record = (chunk: unknown) => {
      written.push(String(chunk));
      return true;
    };
    const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
    const originals = { stdout: process.stdout.write, stderr: process.stderr.write, console: consoleMethods.map((name) => console[name]) };
    process.stdout.write = record as typeof process.stdout.write;
    process.stderr.write = record as typeof process.stderr.write;
    for (const name of consoleMethods) console[name] = (...args: unknown[]) => void record(args.join(' '));
    try {
      for (const email of [
        { smtpUrl: `${sink.url}/?logger=true&debug=true`, from: FROM },
        { transport: { host: sink.host, port: sink.port, logger: true, debug: true } as EmailOptions['transport'], from: FROM },
      ]) {
        const transporter = await createEmailTransporter({ ...resolveEmailOptions(email).options, pool: false });
        try {
          await transporter!.sendMail({ from: FROM, to: 'hanako.sato@example.com', subject: 'code', text: `your code is ${CODE}`, messageId: '<m@mybank.test>', headers: {} });
        } finally {
          transporter!.close();
        }
      }
    } finally {
      process.stdout.write = originals.stdout;
      process.stderr.write = originals.stderr;
      consoleMethods.forEach((name, index) => (console[name] = originals.console[index]!));
    }
    // The messages did go out: the silence is not a failed send.
    expect(sink.received.map((mail) => mail.parsed.text)).toEqual([`your code is ${CODE}\n`, `your code is ${CODE}\n`]);
    expect(written.join('')).not.toContain(CODE);
    expect(written.join('')).not.toContain('hanako.sato@example.com');
    expect(written).toEqual([]);
  });
});

describe('SMTP refusals mapped by the command the server refused', () => {
  it('a refused MAIL FROM is the sender setup (rejected), not the cardholder address (invalid-destination)', async () => {
    const sink = await SmtpSink.start();
    sink.rejectSenders = /^no-reply@/;
    try {
      const error = await deliverThrough({ smtpUrl: sink.url }, 'taro.yamada@example.com');
      expect(error).toMatchObject({ channel: 'email', reason: 'rejected', retryable: false, detail: 'SMTP server refused the sender (EENVELOPE 550)' });
      expect(JSON.stringify(error)).not.toMatch(/no-reply@|taro\.yamada/);
      expect(String((error as Error).message)).not.toMatch(/no-reply@|taro\.yamada|904417/);
      expect(sink.received).toEqual([]);
    } finally {
      await sink.close();
    }
  });

  it('a 554 greeting ("no service") is unavailable and retryable, on delivery and on verify', async () => {
    const noService: Server = createServer((socket) => socket.end('554 no service\r\n'));
    await new Promise<void>((resolve) => noService.listen(0, '127.0.0.1', resolve));
    const url = `smtp://127.0.0.1:${(noService.address() as AddressInfo).port}`;
    try {
      const error = await deliverThrough({ smtpUrl: url });
      expect(error).toMatchObject({ channel: 'email', reason: 'unavailable', retryable: true, detail: 'SMTP server refused the connection (EPROTOCOL 554)' });

      const app = await boot({ email: { smtpUrl: url, from: FROM } });
      try {
        const verify = await rejection(app.get(EmailChannel).verify());
        expect(verify).toMatchObject({ reason: 'unavailable', retryable: true, message: 'SMTP server refused the connection (EPROTOCOL 554)' });
      } finally {
        await app.close();
      }
    } finally {
      await new Promise((resolve) => noService.close(resolve));
    }
  });
});
