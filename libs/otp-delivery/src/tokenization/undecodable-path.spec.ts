import { undecodableD1Param } from './undecodable-path.js';

describe('undecodableD1Param', () => {
  it('names the first D1 parameter that cannot be percent-decoded, on the consumer route and its /otp', () => {
    expect(undecodableD1Param('banking/d1/v1/issuers/ISSUER0001/consumers/%ZZ4111')).toBe('consumerId');
    expect(undecodableD1Param('banking/d1/v1/issuers/ISS%ZZ0001/consumers/%ZZ/otp')).toBe('issuerId');
    expect(undecodableD1Param('banking/d1/v1/issuers/ISSUER0001/consumers/cons%E2%82/otp')).toBe('consumerId');
  });

  it('answers nothing for another path, or when every parameter decodes', () => {
    expect(undecodableD1Param('issuer/igwapi/v2.0/x/%ZZ')).toBeUndefined();
    expect(undecodableD1Param('banking/d1/v2/issuers/%ZZ/consumers/x')).toBeUndefined();
    expect(undecodableD1Param('banking/d1/v1/issuers/%ZZ')).toBeUndefined();
    expect(undecodableD1Param('banking/d1/v1/issuers/ISSUER0001/consumers/cons%20a')).toBeUndefined();
  });
});
