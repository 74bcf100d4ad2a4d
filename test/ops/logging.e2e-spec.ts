import { ConsoleLogger, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { OtpDeliveryModule } from 'nestjs-otp-delivery';
import { OtpLogger } from '../../libs/otp-delivery/src/logging/otp-logger.js';
import { OtpRequestContext } from '../../libs/otp-delivery/src/logging/otp-request-context.js';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';
import { CapturedLogs } from '../support/capture-logs.js';
import { freePort } from '../support/free-port.js';


describe('OtpLogger in a Nest application', () => {
  afterEach(() => Logger.overrideLogger(false));

  it('reaches the logger the app installed, as structured PII-free records', async () => {
    const logs = new CapturedLogs();
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({})] }).compile();
    moduleRef.useLogger(logs);
    await moduleRef.init();
    try {
      await OtpRequestContext.run('corr-42', async () => {
        new OtpLogger('Flow').log('OTP sent', { destination: '+819012345678', otp: '482913', channel: 'sms' });
      });
      const line = logs.find('OTP sent');
      expect(line?.message).toEqual({ msg: 'OTP sent', correlationId: 'corr-42', destination: '********5678', otp: '[redacted]', channel: 'sms' });
      expect(line?.params).toEqual(['Flow']);
      expect(logs.text()).not.toMatch(/482913|9012345678/);
    } finally {
      await moduleRef.close();
    }
  });

  it('prints one JSON object per line through ConsoleLogger with json: true', () => {
    const written: string[] = [];
    const write = process.stdout.write;
    process.stdout.write = ((chunk: string) => {
      written.push(String(chunk));
      return true;
    }) as typeof process.stdout.write;
    try {
      Logger.overrideLogger(new ConsoleLogger({ json: true, colors: false }));
      OtpRequestContext.run('corr-7', () => new OtpLogger('Flow').warn('retrying', { email: 'taro.yamada@example.com', attempt: 2 }));
    } finally {
      process.stdout.write = write;
    }
    const line = written.find((text) => text.includes('retrying'));
    expect(line).toEqual(expect.stringContaining('"correlationId":"corr-7"'));
    const parsed = JSON.parse(line!);
    expect(parsed).toMatchObject({
      level: 'warn',
      context: 'Flow',
      message: { msg: 'retrying', correlationId: 'corr-7', email: 'ta*********@example.com', attempt: 2 },
    });
  });

  it('warns once, not per request, when sending unchecked with the store down (failMode open)', async () => {
    const logs = new CapturedLogs();
    const port = await freePort();
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ store: { type: 'redis', redisUrl: `redis://127.0.0.1:${port}`, failMode: 'open', commandTimeoutMs: 200 } })],
    }).compile();
    moduleRef.useLogger(logs);
    await moduleRef.init();
    try {
      const controls = moduleRef.get(OtpSendControls);
      for (let i = 0; i < 20; i++) await controls.admit({ cardRef: `c${i}`, destination: '+819012345678', channel: 'sms' });
      const warnings = logs.matching('sending without rate limits');
      expect(warnings).toHaveLength(1);
      expect(warnings[0].level).toBe('warn');
    } finally {
      await moduleRef.close();
    }
  });
});
