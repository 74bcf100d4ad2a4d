import { Logger, type LoggerService } from '@nestjs/common';
import { SecretValue } from '../common/secret-value.js';
import { OtpLogger } from './otp-logger.js';
import { OtpRequestContext } from './otp-request-context.js';
import { redactText } from './log-redaction.js';

/** The real Nest Logger path: `Logger.overrideLogger` receives what OtpLogger emits. */
class RecordingLogger implements LoggerService {
  readonly calls: Array<{ level: string; message: unknown; params: unknown[] }> = [];
  log(message: unknown, ...params: unknown[]) {
    this.calls.push({ level: 'log', message, params });
  }
  warn(message: unknown, ...params: unknown[]) {
    this.calls.push({ level: 'warn', message, params });
  }
  error(message: unknown, ...params: unknown[]) {
    this.calls.push({ level: 'error', message, params });
  }
  debug(message: unknown, ...params: unknown[]) {
    this.calls.push({ level: 'debug', message, params });
  }
  verbose(message: unknown, ...params: unknown[]) {
    this.calls.push({ level: 'verbose', message, params });
  }
}

describe('OtpLogger', () => {
  let sink: RecordingLogger;
  beforeEach(() => {
    sink = new RecordingLogger();
    Logger.overrideLogger(sink);
  });
  afterAll(() => Logger.overrideLogger(false));

  it('emits { msg, correlationId, ...fields } with the context of the current request', async () => {
    const logger = new OtpLogger('Delivery');
    await OtpRequestContext.run('corr-1', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.log('OTP sent', { deliveryId: 'd-1', channel: 'sms' });
    });
    logger.warn('outside a request');
    expect(sink.calls[0]).toEqual({ level: 'log', message: { msg: 'OTP sent', correlationId: 'corr-1', deliveryId: 'd-1', channel: 'sms' }, params: ['Delivery'] });
    expect(sink.calls[1].message).toEqual({ msg: 'outside a request' });
  });

  it('names the correlation id given with the fields, as given, over the request context', async () => {
    const logger = new OtpLogger('Delivery');
    await OtpRequestContext.run('outer', async () => logger.log('OTP sent', { correlationId: 'corr-2026-11-30_0042', channel: 'sms' }));
    expect(sink.calls[0].message).toEqual({ msg: 'OTP sent', correlationId: 'corr-2026-11-30_0042', channel: 'sms' });
  });

  it('masks in a correlation id what it masks in any text: a phone number, a PAN, an email address', async () => {
    const logger = new OtpLogger('Delivery');
    for (const correlationId of ['corr-0123456789012', '4111111111111111', '+819012345678', 'taro.yamada@example.jp']) logger.log('OTP sent', { correlationId });
    await OtpRequestContext.run('4111111111111111', async () => logger.log('in a request'));
    expect(sink.calls.map((call) => (call.message as { correlationId?: string }).correlationId)).toEqual([
      'corr-****9012',
      '****1111',
      '****5678',
      'ta*********@example.jp',
      '****1111',
    ]);
  });

  it('keeps concurrent requests apart', async () => {
    const logger = new OtpLogger('Delivery');
    await Promise.all(
      ['a', 'b', 'c'].map((id, i) =>
        OtpRequestContext.run(id, async () => {
          await new Promise((resolve) => setTimeout(resolve, 3 - i));
          logger.log('step', { id });
        }),
      ),
    );
    for (const call of sink.calls) {
      const record = call.message as { correlationId: string; id: string };
      expect(record.correlationId).toBe(record.id);
    }
    expect(sink.calls).toHaveLength(3);
    expect(OtpRequestContext.current()).toBeUndefined();
  });

  it('masks contact fields and redacts secret and card fields, also nested', () => {
    new OtpLogger('Test').log('delivery', {
      destination: '+819012345678',
      phoneNumber: '090-1234-5678',
      email: 'taro.yamada@example.com',
      code: '123456',
      otp: '654321',
      otpValue: '111222',
      productToken: '00000000-0000-0000-0000-000000000001',
      tokenInfo: { panLastFour: '1234', tokenExpiry: '1229' },
      pan: '4111111111111111',
      nested: { request: { to: '+447911123456', OTP: '999888' } },
      secret: new SecretValue('s3cr3t'),
      inSecretValue: new SecretValue('hidden'),
    });
    const record = sink.calls[0].message as Record<string, unknown>;
    expect(record).toMatchObject({
      destination: '********5678',
      phoneNumber: '*******5678',
      email: 'ta*********@example.com',
      code: '[redacted]',
      otp: '[redacted]',
      otpValue: '[redacted]',
      productToken: '[redacted]',
      tokenInfo: '[redacted]',
      pan: '[redacted]',
      nested: { request: { to: '********3456', OTP: '[redacted]' } },
      secret: '[redacted]',
      inSecretValue: '[redacted]',
    });
    const text = JSON.stringify(sink.calls);
    for (const leak of ['9012345678', 'taro.yamada', '123456', '654321', '111222', '0000-000000000001', '411111', '999888', 's3cr3t', 'hidden', '7911123456']) {
      expect(text).not.toContain(leak);
    }
  });

  it('scrubs phone numbers, PANs and emails from free text, messages and errors', () => {
    const error = new Error('CM refused 00819012345678 for hanako@example.jp');
    new OtpLogger('Test').error('send to +81 90-1234-5678 failed, card 4111 1111 1111 1111', { note: 'call 090-1234-5678' }, error);
    const [call] = sink.calls;
    const text = JSON.stringify(call);
    expect(text).not.toMatch(/9012345678|90-1234|hanako|4111 1111|1234-5678/);
    expect(call.message).toMatchObject({ error: { name: 'Error', message: 'CM refused ****5678 for ha****@example.jp' } });
    expect((call.message as { msg: string }).msg).toBe('send to ****5678 failed, card ****1111');
  });

  it('leaves dates, times and ordinary identifiers readable', () => {
    expect(redactText('at 2026-11-22 05:54:01, delivery d-7f3a, status 200, 3 parts')).toBe('at 2026-11-22 05:54:01, delivery d-7f3a, status 200, 3 parts');
  });
});
