import { SMTPServer } from 'smtp-server';
import { simpleParser, type ParsedMail } from 'mailparser';
import type { AddressInfo } from 'node:net';

/** A real SMTP server on loopback that keeps every message it receives, parsed. */
export class SmtpCapture {
  readonly messages: ParsedMail[] = [];
  readonly #server: SMTPServer;
  #port = 0;

  private constructor() {
    this.#server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData: (stream, _session, callback) => {
        simpleParser(stream)
          .then((mail) => {
            this.messages.push(mail);
            callback();
          })
          .catch((error: Error) => callback(error));
      },
    });
  }

  static async start(): Promise<SmtpCapture> {
    const capture = new SmtpCapture();
    await new Promise<void>((resolve) => capture.#server.listen(0, '127.0.0.1', () => resolve()));
    capture.#port = (capture.#server.server.address() as AddressInfo).port;
    return capture;
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.#port}`;
  }

  clear(): void {
    this.messages.length = 0;
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }
}
