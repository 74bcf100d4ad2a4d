import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { pino } from 'pino';
import { OtpRequestContext } from 'nestjs-otp-delivery';
// The library's own logger, to check what its lines become here (internal: not the app's API).
import { OtpLogger } from '../../../libs/otp-delivery/src/logging/otp-logger.js';
import { appLoggerOptions } from './app-logger.js';
import { PinoLoggerService } from './pino-logger.service.js';

/** The app's logger writing into memory: every line it wrote, parsed. */
function memoryLogger(level = 'info') {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const service = new PinoLoggerService(pino(appLoggerOptions(level, 'json'), stream));
  return { service, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('the app logger behind Nest', () => {
  let logs: ReturnType<typeof memoryLogger>;

  beforeEach(() => {
    logs = memoryLogger();
    Logger.overrideLogger(logs.service);
  });

  afterAll(() => Logger.overrideLogger(new Logger()));

  it("writes the library's structured record as one JSON object with its fields as properties", () => {
    OtpRequestContext.run('corr-17', () => new OtpLogger('OtpDeliveryService').log('OTP sent', { channel: 'sms', destination: '+819012345678', otp: '305172' }));
    expect(logs.records()).toEqual([
      expect.objectContaining({ level: 'info', context: 'OtpDeliveryService', msg: 'OTP sent', correlationId: 'corr-17', channel: 'sms', destination: '********5678', otp: '[redacted]' }),
    ]);
    expect(logs.lines.join('\n')).not.toMatch(/305172|9012345678/);
  });

  it("puts the request's correlation id on every line logged within it, Nest's own lines included", async () => {
    const logger = new Logger('ExceptionsHandler');
    await OtpRequestContext.run('corr-42', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1));
      logger.error('Unexpected error in a tokenization callback');
    });
    logger.log('outside any request');
    expect(logs.records().map((record) => [record.msg, record.correlationId])).toEqual([
      ['Unexpected error in a tokenization callback', 'corr-42'],
      ['outside any request', undefined],
    ]);
  });

  it('serializes errors with their stack, as Nest passes them (an Error, or a message and a stack), scrubbed of personal data', () => {
    const logger = new Logger('NestApplication');
    const error = new Error('could not reach taro@example.jp at redis://:hunter2@redis.internal:6379');
    logger.error(error);
    logger.error('listen failed', error.stack);
    const [first, second] = logs.records() as Array<{ err: { type?: string; message: string; stack: string }; msg: string; context: string }>;
    expect(first).toMatchObject({ level: 'error', context: 'NestApplication', err: { type: 'Error' } });
    expect(first!.err.stack).toMatch(/\n\s+at /);
    expect(second).toMatchObject({ msg: 'listen failed', context: 'NestApplication', err: { message: 'listen failed' } });
    expect(second!.err.stack).toMatch(/\n\s+at /);
    expect(logs.lines.join('\n')).not.toMatch(/taro@example\.jp|hunter2/);
  });

  it("maps Nest's levels onto pino's and honours the level", () => {
    logs = memoryLogger('warn');
    Logger.overrideLogger(logs.service);
    const logger = new Logger('Levels');
    logger.verbose('verbose');
    logger.debug('debug');
    logger.log('log');
    logger.warn('warn');
    logger.error('error');
    logger.fatal('fatal');
    expect(logs.records().map((record) => [record.level, record.msg])).toEqual([
      ['warn', 'warn'],
      ['error', 'error'],
      ['fatal', 'fatal'],
    ]);
  });

  it('keeps extra arguments rather than losing them, and never treats a multi-line text as the context', () => {
    const logger = new Logger('Extras');
    logger.log('with extras', { attempt: 2 }, 42);
    expect(logs.records()).toEqual([expect.objectContaining({ msg: 'with extras', context: 'Extras', attempt: 2, extra: [42] })]);
  });
});
