import nodemailer from 'nodemailer';
import { firstValueFrom } from 'rxjs';
import { EmailOutbox } from './email-outbox.js';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

describe('EmailOutbox', () => {
  it('is a nodemailer transport that keeps the composed message', async () => {
    const outbox = new EmailOutbox({ logger: silent });
    const info = await nodemailer.createTransport(outbox).sendMail({
      from: '"銀行" <no-reply@bank.test>',
      to: 'taro@example.com',
      replyTo: 'help@bank.test',
      subject: '認証コード',
      text: 'コード 123456',
      html: '<b>123456</b>',
    });
    const [mail] = outbox.messages;
    expect(info.messageId).toBe(mail.messageId);
    expect(mail).toMatchObject({ from: 'no-reply@bank.test', to: ['taro@example.com'], replyTo: 'help@bank.test', subject: '認証コード', text: 'コード 123456', html: '<b>123456</b>' });
    expect(mail.raw).toMatch(/^Subject: =\?UTF-8\?/m);
  });

  it('keeps at most `max` messages, drops the oldest, and finds the latest per recipient', async () => {
    const outbox = new EmailOutbox({ logger: silent, max: 2 });
    const transport = nodemailer.createTransport(outbox);
    for (const to of ['a@x.test', 'b@x.test', 'a@x.test']) await transport.sendMail({ from: 'n@x.test', to, subject: to, text: 't' });
    expect(outbox.messages.map((m) => m.to[0])).toEqual(['b@x.test', 'a@x.test']);
    expect(outbox.latest('b@x.test')?.subject).toBe('b@x.test');
    expect(outbox.latest()?.to).toEqual(['a@x.test']);
    expect(outbox.latest('c@x.test')).toBeUndefined();
  });

  it('waits for a message that has not arrived yet, and times out otherwise', async () => {
    const outbox = new EmailOutbox({ logger: silent });
    const waiting = outbox.waitFor((m) => m.subject === 'late');
    await nodemailer.createTransport(outbox).sendMail({ from: 'n@x.test', to: 'a@x.test', subject: 'late', text: 't' });
    await expect(waiting).resolves.toMatchObject({ subject: 'late' });
    await expect(outbox.waitFor((m) => m.subject === 'never', 20)).rejects.toThrow('No matching email in the outbox within 20 ms');
  });

  it('pushes each kept message on messages$, after it joined messages', async () => {
    const outbox = new EmailOutbox({ logger: silent });
    const next = firstValueFrom(outbox.messages$);
    await nodemailer.createTransport(outbox).sendMail({ from: 'n@x.test', to: 'a@x.test', subject: 'pushed', text: 't', html: '<p>t</p>' });
    const mail = await next;
    expect(mail).toMatchObject({ subject: 'pushed', to: ['a@x.test'], html: '<p>t</p>' });
    expect(outbox.messages).toContain(mail);
  });

  it('prints nothing when log is off', async () => {
    const lines: string[] = [];
    const outbox = new EmailOutbox({ log: false, logger: { ...silent, log: (m: string) => lines.push(m) } });
    await nodemailer.createTransport(outbox).sendMail({ from: 'n@x.test', to: 'a@x.test', subject: 's', text: 't' });
    expect(lines).toEqual([]);
    expect(outbox.messages).toHaveLength(1);
  });
});
