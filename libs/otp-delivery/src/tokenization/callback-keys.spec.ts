import { deriveCallbackKeys } from './callback-keys.js';
import { encodeKeyParts, keyedDigest } from '../common/keyed-digest.js';
import { inspect } from 'node:util';
import { createHmac } from 'node:crypto';

describe('callback keys', () => {
  it('derive one key per use from the secret: the same secret gives the same keys, uses never share one', () => {
    const a = deriveCallbackKeys('shared-secret-of-the-replicas-0001');
    const b = deriveCallbackKeys('shared-secret-of-the-replicas-0001');
    expect(keyedDigest(a.idempotency, ['x'])).toBe(keyedDigest(b.idempotency, ['x']));
    expect(keyedDigest(a.methodId, ['x'])).toBe(keyedDigest(b.methodId, ['x']));
    expect(keyedDigest(a.methodId, ['x'])).not.toBe(keyedDigest(a.idempotency, ['x']));
    expect(a.methodId.export().equals(Buffer.from('shared-secret-of-the-replicas-0001'))).toBe(false);
  });

  it('digest as an HMAC-SHA256 under the KeyObject: ids handed out before an upgrade still verify after it', () => {
    const keys = deriveCallbackKeys('shared-secret-of-the-replicas-0001');
    const parts = ['card-1', 'sms', '+819012345678'];
    const expected = createHmac('sha256', keys.methodId).update(encodeKeyParts(parts)).digest('base64url');
    expect(keyedDigest(keys.methodId, parts)).toBe(expected);
    expect(keyedDigest(keys.methodId, parts)).toBe(expected);
    expect(keyedDigest(keys.idempotency, parts)).toBe(createHmac('sha256', keys.idempotency).update(encodeKeyParts(parts)).digest('base64url'));
  });

  it('draw random keys per process without a secret', () => {
    expect(keyedDigest(deriveCallbackKeys(undefined).idempotency, ['x'])).not.toBe(keyedDigest(deriveCallbackKeys(undefined).idempotency, ['x']));
  });

  it('never print key material', () => {
    const keys = deriveCallbackKeys('shared-secret-of-the-replicas-0001');
    const material = keys.idempotency.export().toString('hex');
    expect(JSON.stringify(keys)).not.toContain(material);
    expect(inspect(keys)).not.toContain(material);
  });

  it('encode parts length-safely: separators inside parts and undefined cannot collide', () => {
    const distinct = [
      ['a', 'b'],
      ['a\u0000b'],
      ['ab', ''],
      ['a', 'b', undefined],
      ['a', 'b', ''],
      ['1:a', ''],
      ['', '1:a'],
      [undefined, 'a'],
      ['-', 'a'],
    ].map((parts) => encodeKeyParts(parts));
    expect(new Set(distinct).size).toBe(distinct.length);
  });
});
