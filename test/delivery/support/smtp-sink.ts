import smtpServer from 'smtp-server';
import type { AddressInfo } from 'node:net';
import mailparser from 'mailparser';
import type { ParsedMail } from 'mailparser';

/** One message a real SMTP server received on loopback. */
export interface ReceivedMail {
  readonly from: string;
  readonly to: string[];
  /** The message exactly as it came over the wire. */
  readonly raw: string;
  /** The same, parsed by mailparser (what a mail client shows). */
  readonly parsed: ParsedMail;
}

/** How the sink listens and what it offers. */
export interface SmtpSinkOptions {
  /** Address to listen on, e.g. a non-loopback interface of this machine. @default '127.0.0.1' */
  readonly host?: string;
  /** Offer STARTTLS (smtp-server's built-in self-signed certificate). @default false */
  readonly startTls?: boolean;
  /** Offer AUTH, in clear text too, and accept any login. @default false */
  readonly auth?: boolean;
}

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, port 0, no auth, no TLS (unless `options` ask),
 * that keeps what it receives. `rejectRecipients` makes it refuse RCPT TO for matching addresses
 * with `rejectCode`; `rejectSenders` refuses MAIL FROM with 550.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** `AUTH`, `MAIL FROM` and `DATA` as the client sent them, with whether the session was in TLS. */
  readonly commands: Array<{ readonly command: 'AUTH' | 'MAIL FROM' | 'DATA'; readonly secure: boolean }> = [];
  rejectRecipients: RegExp | undefined;
  rejectSenders: RegExp | undefined;
  /** SMTP reply code for refused recipients: 550 (permanent) or 4xx (try later). */
  rejectCode = 550;
  host = '127.0.0.1';
  #server!: InstanceType<typeof smtpServer.SMTPServer>;
  #waiters: Array<() => void> = [];
  port = 0;

  static async start(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.host = options.host ?? '127.0.0.1';
    sink.#server = new smtpServer.SMTPServer({
      authOptional: true,
      allowInsecureAuth: options.auth === true,
      disabledCommands: [...(options.auth ? [] : ['AUTH']), ...(options.startTls ? [] : ['STARTTLS'])],
      logger: false,
      onAuth: (_auth, session, callback) => {
        sink.commands.push({ command: 'AUTH', secure: session.secure });
        callback(null, { user: 'otp' });
      },
      onMailFrom: (address, session, callback) => {
        sink.commands.push({ command: 'MAIL FROM', secure: session.secure });
        if (sink.rejectSenders?.test(address.address)) {
          return callback(Object.assign(new Error(`sender ${address.address} not allowed`), { responseCode: 550 }));
        }
        callback();
      },
      onRcptTo: (address, _session, callback) => {
        if (sink.rejectRecipients?.test(address.address)) {
          const error = Object.assign(new Error(`mailbox of ${address.address} unavailable`), { responseCode: sink.rejectCode });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
        sink.commands.push({ command: 'DATA', secure: session.secure });
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          mailparser.simpleParser(raw).then((parsed) => {
            sink.received.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
            });
            sink.#waiters.splice(0).forEach((wake) => wake());
            callback();
          }, callback);
        });
      },
    });
    await new Promise<void>((resolve) => sink.#server.listen(0, sink.host, resolve));
    sink.port = (sink.#server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://${this.host}:${this.port}`;
  }

  /** Resolves once `count` messages arrived. */
  async waitFor(count: number): Promise<ReceivedMail[]> {
    while (this.received.length < count) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return this.received;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
