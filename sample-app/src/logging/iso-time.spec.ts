import { stdTimeFunctions } from 'pino';
import { isoTimeOncePerMs } from './iso-time.js';

describe('isoTimeOncePerMs', () => {
  it("writes pino's isoTime field, formatted anew whenever the millisecond changes", () => {
    let ms = Date.parse('2026-12-01T02:36:38.123Z');
    const time = isoTimeOncePerMs(() => ms);
    expect(time()).toBe(',"time":"2026-12-01T02:36:38.123Z"');
    expect(time()).toBe(',"time":"2026-12-01T02:36:38.123Z"');
    ms += 1;
    expect(time()).toBe(',"time":"2026-12-01T02:36:38.124Z"');
    ms -= 5_000;
    expect(time()).toBe(',"time":"2026-12-01T02:36:33.124Z"');
  });

  it("writes on the real clock what pino's own isoTime writes, digit for digit in form", () => {
    const ours = isoTimeOncePerMs()();
    expect(ours).toMatch(/^,"time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"$/);
    expect(ours.replace(/\d/g, '0')).toBe(stdTimeFunctions.isoTime().replace(/\d/g, '0'));
  });
});
