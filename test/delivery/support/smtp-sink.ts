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

/**
 * A real SMTP server (smtp-server) on 127.0.0.1, port 0, no auth, no TLS, that keeps what it
 * receives. `rejectRecipients` makes it refuse RCPT TO for matching addresses with `rejectCode`.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  rejectRecipients: RegExp | undefined;
  /** SMTP reply code for refused recipients: 550 (permanent) or 4xx (try later). */
  rejectCode = 550;
  #server!: InstanceType<typeof smtpServer.SMTPServer>;
  #waiters: Array<() => void> = [];
  port = 0;

  static async start(): Promise<SmtpSink> {
    const sink = new SmtpSink();
    sink.#server = new smtpServer.SMTPServer({
      authOptional: true,
      disabledCommands: ['AUTH', 'STARTTLS'],
      logger: false,
      onRcptTo: (address, _session, callback) => {
        if (sink.rejectRecipients?.test(address.address)) {
          const error = Object.assign(new Error(`mailbox of ${address.address} unavailable`), { responseCode: sink.rejectCode });
          return callback(error);
        }
        callback();
      },
      onData: (stream, session, callback) => {
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
    await new Promise<void>((resolve) => sink.#server.listen(0, '127.0.0.1', resolve));
    sink.port = (sink.#server.server.address() as AddressInfo).port;
    return sink;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
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
