import { SecretValue } from '../common/secret-value.js';
import { isLoopbackHost, startTlsRequired, turnsOnNodemailerLog } from './smtp-transport-security.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.8.9.10', '::1', '[::1]', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', 'localhost.'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  // A name is never looked up: one that happens to resolve to loopback still counts as remote.
  it.each(['smtp.email.mybank.co.jp', 'email-smtp.ap-northeast-1.amazonaws.com', '10.0.0.25', '128.0.0.1', 'fd00::25', 'localhost.mybank.co.jp', 'mail.localhost', '0x7f.0.0.1', ''])(
    '%s is not loopback',
    (host) => {
      expect(isLoopbackHost(host)).toBe(false);
    },
  );
});

describe('startTlsRequired', () => {
  it('requires STARTTLS over plain SMTP to a remote host or a well-known service', () => {
    expect(startTlsRequired({ host: 'smtp.email.mybank.co.jp', secure: false }, false)).toBe(true);
    expect(startTlsRequired({ host: 'email-smtp.ap-northeast-1.amazonaws.com' }, false)).toBe(true);
    expect(startTlsRequired({ service: 'SES-AP-NORTHEAST-1' }, false)).toBe(true);
    expect(startTlsRequired({ host: 'smtp.email.mybank.co.jp', requireTLS: false }, false)).toBe(true);
  });

  it('leaves TLS from the start, a loopback relay and the explicit opt-out alone', () => {
    expect(startTlsRequired({ host: 'smtp.email.mybank.co.jp', secure: true }, false)).toBe(false);
    expect(startTlsRequired({ host: '127.0.0.1', secure: false }, false)).toBe(false);
    expect(startTlsRequired({ host: 'localhost' }, false)).toBe(false);
    expect(startTlsRequired({}, false)).toBe(false); // nodemailer's default host is localhost
    expect(startTlsRequired({ host: 'smtp.email.mybank.co.jp' }, true)).toBe(false);
  });

  it('keeps a requireTLS the options ask for, even on loopback or with the opt-out', () => {
    expect(startTlsRequired({ host: '127.0.0.1', requireTLS: true }, false)).toBe(true);
    expect(startTlsRequired({ host: 'smtp.email.mybank.co.jp', requireTLS: true }, true)).toBe(true);
  });
});

describe('turnsOnNodemailerLog', () => {
  it('sees logger and debug in a URL query (plain or secret) and in a transport object', () => {
    expect(turnsOnNodemailerLog('smtp://mail.mybank.test/?debug=true')).toBe(true);
    expect(turnsOnNodemailerLog(new SecretValue('smtps://u:p@mail.mybank.test/?logger=1'))).toBe(true);
    expect(turnsOnNodemailerLog('smtp://mail.mybank.test/?debug=false&debug=true')).toBe(true);
    expect(turnsOnNodemailerLog({ host: 'mail.mybank.test', logger: { info: () => undefined } })).toBe(true);
    expect(turnsOnNodemailerLog({ debug: true })).toBe(true);
  });

  it('lets everything else through: off, absent, or not an SMTP option at all', () => {
    expect(turnsOnNodemailerLog('smtp://mail.mybank.test/?debug=false&logger=false')).toBe(false);
    expect(turnsOnNodemailerLog('smtp://u:p@mail.mybank.test:587')).toBe(false);
    expect(turnsOnNodemailerLog({ host: 'mail.mybank.test', logger: false, debug: false })).toBe(false);
    expect(turnsOnNodemailerLog('not a url')).toBe(false);
    expect(turnsOnNodemailerLog(undefined)).toBe(false);
  });
});
