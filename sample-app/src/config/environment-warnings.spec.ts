import { environmentWarnings } from './environment-warnings.js';
import { validateEnvironment } from './validate-environment.js';

const TOKEN = '4d6b1a5e-0000-4000-8000-000000000001';
const warningsFor = (raw: Record<string, string>) => environmentWarnings(validateEnvironment({ AUTH_MODE: 'none', ...raw }));

describe('the warnings the sample app gives at every start', () => {
  it('names a CM URL that sends the product token in clear text to another machine', () => {
    expect(warningsFor({ CM_PRODUCT_TOKEN: TOKEN, CM_MESSAGING_URL: 'http://cm-proxy.internal:8080' })).toEqual([
      'CM_MESSAGING_URL is plain http:// to another machine: the CM product token and every code cross the network in clear text. Use https://.',
    ]);
    expect(warningsFor({ CM_PRODUCT_TOKEN: TOKEN, CM_OTP_URL: 'http://10.0.0.7' })).toHaveLength(1);
  });

  it('says nothing of https, of a CM stand-in on this machine, or of the embedded sandbox', () => {
    expect(warningsFor({ CM_PRODUCT_TOKEN: TOKEN, CM_MESSAGING_URL: 'https://gw.cmtelecom.com' })).toEqual([]);
    expect(warningsFor({ CM_PRODUCT_TOKEN: TOKEN, CM_MESSAGING_URL: 'http://127.0.0.1:4010', CM_OTP_URL: 'http://localhost:4010' })).toEqual([]);
    expect(warningsFor({ CM_MESSAGING_URL: 'http://cm-proxy.internal:8080' })).toEqual([]);
  });

  it('still names callbacks open to any caller', () => {
    expect(environmentWarnings(validateEnvironment({}))[0]).toMatch(/^CALLBACKS ACCEPT ANY CALLER/);
  });
});
