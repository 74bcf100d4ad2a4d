import type { TestingModule } from '@nestjs/testing';
import mailparser from 'mailparser';
import type { SMTPTransportOptions } from 'nodemailer';
import type { AddressObject } from 'mailparser';
import { EMAIL_CHANNEL, OtpChannelError, OtpDeliveryError, OtpDeliveryService } from 'nestjs-otp-delivery';
import { EmailChannel } from '../../libs/otp-delivery/src/channels/email.channel.js';
import { EmailOutbox } from 'nestjs-otp-delivery/testing';
import { SmtpSink } from './support/smtp-sink.js';
import { CODE, boot, japaneseDelivery, rejection } from './support/email-delivery.js';

const JA_SUBJECT = '【マイバンク】Apple Payへのカード登録 認証コードのお知らせ';

describe('Email channel against a real SMTP server on loopback', () => {
  let sink: SmtpSink;
  let app: TestingModule;
  let delivery: OtpDeliveryService;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    app = await boot({
      templates: { issuerName: 'マイバンク', locales: { en: { issuerName: 'A&B <Bank>' } } },
      email: { smtpUrl: sink.url, from: '"マイバンク" <no-reply@email.mybank.test>', replyTo: 'support@mybank.test' },
    });
    delivery = app.get(OtpDeliveryService);
  });

  afterAll(async () => {
    await app?.close();
    await sink.close();
  });

  beforeEach(() => {
    sink.received.length = 0;
    sink.rejectRecipients = undefined;
    sink.rejectCode = 550;
  });

  it('sends a Japanese message a mail client decodes: subject, text, HTML, From, Reply-To', async () => {
    const receipt = await delivery.deliver(japaneseDelivery('taro.yamada@example.com'));
    const [mail] = await sink.waitFor(1);

    expect(receipt).toMatchObject({ channel: 'email', destinationMasked: 'ta*********@example.com' });
    expect(mail.to).toEqual(['taro.yamada@example.com']);
    expect(mail.from).toBe('no-reply@email.mybank.test');

    // On the wire every header is 7-bit: the subject travels RFC 2047 encoded as UTF-8.
    const subjectLine = /^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(mail.raw)?.[1] ?? '';
    expect(subjectLine).toMatch(/^=\?UTF-8\?[BQ]\?/i);
    expect(mail.raw.split('\r\n\r\n')[0]).toMatch(/^[\x20-\x7e\r\n\t]*$/);

    const parsed = mail.parsed;
    expect(parsed.subject).toBe(JA_SUBJECT);
    expect(parsed.text).toContain(`認証コード：${CODE}`);
    expect(parsed.text).toContain('Apple Payに末尾1234のカードを登録するための認証コードです。');
    expect(parsed.text).not.toContain('4111111111111234');
    expect(parsed.html).toContain(`<strong>${CODE}</strong>`);
    expect(parsed.html).toContain('<html lang="ja">');
    expect((parsed.from as AddressObject).value[0]).toEqual({ name: 'マイバンク', address: 'no-reply@email.mybank.test' });
    expect((parsed.replyTo as AddressObject).value[0].address).toBe('support@mybank.test');
    expect(parsed.messageId).toBe(`<${receipt.deliveryId}@email.mybank.test>`);
    expect(receipt.providerMessageId).toBe(parsed.messageId);
    expect(parsed.headers.get('content-language')).toBe('ja');
  });

  it('HTML-escapes values in the HTML body, not in the text body', async () => {
    await delivery.deliver({ ...japaneseDelivery('hanako@example.com'), context: { locale: 'en-US', walletProviderId: 'GOOGLE_PAY' } });
    const [{ parsed }] = await sink.waitFor(1);
    expect(parsed.html).toContain('Never share this code. A&amp;B &lt;Bank&gt; will never ask you for it.');
    expect(parsed.html).not.toContain('<Bank>');
    expect(parsed.text).toContain('Never share this code. A&B <Bank> will never ask you for it.');
    expect(parsed.subject).toBe('A&B <Bank>: your code to add your card to Google Pay');
    expect(parsed.text).not.toContain('undefined');
  });

  it('refuses a destination that is not one email address, and sends nothing', async () => {
    for (const destination of ['not-an-email', 'a@example.com, b@example.com', 'Taro <a@example.com>']) {
      const error = await rejection(delivery.deliver(japaneseDelivery(destination)));
      expect(error).toBeInstanceOf(OtpDeliveryError);
      expect(error).toMatchObject({ reason: 'invalid-destination', channel: 'email', retryable: false });
    }
    expect(sink.received).toHaveLength(0);
  });

  it('answers invalid-destination when the server refuses the recipient', async () => {
    sink.rejectRecipients = /^nobody@/;
    const error = await rejection(delivery.deliver(japaneseDelivery('nobody@example.com')));
    expect(error).toMatchObject({ reason: 'invalid-destination', channel: 'email', retryable: false });
    expect(String((error as Error).message)).not.toContain(CODE);
    expect(sink.received).toHaveLength(0);
  });

  it('answers unavailable (retryable) when the server defers the recipient, without quoting its reply', async () => {
    sink.rejectRecipients = /^busy@/;
    sink.rejectCode = 451;
    const error = await rejection(delivery.deliver(japaneseDelivery('busy@example.com')));
    expect(error).toMatchObject({ reason: 'unavailable', channel: 'email', retryable: true, detail: 'SMTP server deferred the message (EENVELOPE 451)' });
    // The server's reply names the address; neither the message nor the cause chain carries it.
    expect(JSON.stringify(error)).not.toContain('busy@example.com');
    expect(String((error as Error).message)).not.toContain('busy@example.com');
    expect(((error as Error).cause as Error).cause).toBeUndefined();
  });

  it('sends through email.transport options given as a nodemailer SMTPTransportOptions object', async () => {
    // nodemailer's own type fits the option's structural type as it is.
    const transport: SMTPTransportOptions = { host: '127.0.0.1', port: sink.port, ignoreTLS: true };
    const viaTransport = await boot({ email: { transport, from: 'no-reply@email.mybank.test' } });
    try {
      await viaTransport.get(OtpDeliveryService).deliver(japaneseDelivery('jiro@example.com'));
      const [mail] = await sink.waitFor(1);
      expect(mail.to).toEqual(['jiro@example.com']);
      expect(mail.parsed.text).toContain(CODE);
    } finally {
      await viaTransport.close();
    }
  });

  it('verifies the SMTP server for health checks', async () => {
    await expect(app.get(EmailChannel).verify()).resolves.toBeUndefined();
    expect(app.get(EMAIL_CHANNEL)).toBe(app.get(EmailChannel));
  });
});

describe('Email channel without a reachable server', () => {
  it('answers unavailable (retryable) on delivery and on verify', async () => {
    const sink = await SmtpSink.start();
    const url = sink.url;
    await sink.close(); // the port is now closed: connections are refused
    const app = await boot({ email: { smtpUrl: url, from: 'no-reply@email.mybank.test', connectionTimeoutMs: 1000 } });
    try {
      const error = await rejection(app.get(OtpDeliveryService).deliver(japaneseDelivery('taro@example.com')));
      expect(error).toMatchObject({ reason: 'unavailable', retryable: true, channel: 'email' });
      const verify = await rejection(app.get(EmailChannel).verify());
      expect(verify).toBeInstanceOf(OtpChannelError);
      expect(verify).toMatchObject({ reason: 'unavailable', retryable: true });
    } finally {
      await app.close();
    }
  });

  it('answers unavailable (not retryable) when email is not configured', async () => {
    const app = await boot({});
    try {
      const error = await rejection(app.get(OtpDeliveryService).deliver(japaneseDelivery('taro@example.com')));
      expect(error).toMatchObject({ reason: 'unavailable', retryable: false, detail: expect.stringContaining('email is not configured') });
      expect(app.get(EmailChannel).configured).toBe(false);
    } finally {
      await app.close();
    }
  });

  it('refuses to boot when from is missing or two transports are set', async () => {
    await expect(boot({ email: { smtpUrl: 'smtp://127.0.0.1:2525' } })).rejects.toThrow('email.from is required when smtpUrl, transport or outbox is set');
    await expect(boot({ email: { smtpUrl: 'smtp://127.0.0.1:2525', outbox: new EmailOutbox({ log: false }), from: 'a@b.test' } })).rejects.toThrow(
      'email.smtpUrl, email.transport and email.outbox are alternatives',
    );
  });
});

describe('Email outbox (no SMTP server)', () => {
  it('keeps the composed message for tests and prints a marked, masked line for people', async () => {
    const lines: string[] = [];
    const logger = { log: (m: string) => lines.push(m), error: () => undefined, warn: () => undefined };
    const outbox = new EmailOutbox({ logger, logBody: false });
    const app = await boot({ templates: { issuerName: 'マイバンク' }, email: { outbox, from: '"マイバンク" <no-reply@localhost.test>' } });
    try {
      const receipt = await app.get(OtpDeliveryService).deliver(japaneseDelivery('taro.yamada@example.com'));
      const mail = await outbox.waitFor((m) => m.to.includes('taro.yamada@example.com'));
      expect(mail.subject).toBe(JA_SUBJECT);
      expect(mail.text).toContain(`認証コード：${CODE}`);
      expect(mail.messageId).toBe(`<${receipt.deliveryId}@localhost.test>`);
      // `raw` is the real MIME message: a mail client reads the same thing.
      const parsed = await mailparser.simpleParser(mail.raw);
      expect(parsed.subject).toBe(JA_SUBJECT);
      expect(parsed.html).toContain(`<strong>${CODE}</strong>`);
      expect(lines).toEqual([`[EMAIL OUTBOX] not sent (sandbox) to=ta*********@example.com subject="${JA_SUBJECT}"`]);
      await expect(app.get(EmailChannel).verify()).resolves.toBeUndefined();
      expect(app.get(EmailChannel).sandbox).toBe(true);
    } finally {
      await app.close();
    }
  });

  it('prints the body too by default, so a person on a laptop can read the code', async () => {
    const lines: string[] = [];
    const outbox = new EmailOutbox({ logger: { log: (m: string) => lines.push(m), error: () => undefined, warn: () => undefined } });
    const app = await boot({ email: { outbox, from: 'no-reply@localhost.test' } });
    try {
      await app.get(OtpDeliveryService).deliver({ ...japaneseDelivery('a@example.com'), context: { locale: 'en' } });
      expect(lines[0]).toMatch(/^\[EMAIL OUTBOX\] not sent \(sandbox\) to=\*@example\.com/);
      expect(lines[0]).toContain(`\n    ${CODE}`);
      expect(outbox.latest('a@example.com')?.text).toContain(CODE);
      outbox.clear();
      expect(outbox.messages).toHaveLength(0);
    } finally {
      await app.close();
    }
  });
});
