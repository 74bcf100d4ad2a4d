import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { asCallbackRefusal, bodyParserRefusal } from './body-parser-refusal.js';

// The parsers' real refusals are exercised over HTTP on Express and Fastify
// (test/tokenization/malformed-body.e2e-spec.ts); this spec pins what must NOT count as one.
describe('bodyParserRefusal', () => {
  const json = { 'content-type': 'application/json' };
  const gzip = { ...json, 'content-encoding': 'gzip' };

  it("leaves an app's own exceptions alone, even with a cause and on a compressed request", () => {
    const ownError = Object.assign(new Error('upstream failed'), { code: 'ECONNRESET' });
    expect(bodyParserRefusal(new BadRequestException('bad', { cause: ownError }), gzip)).toBeUndefined();
    expect(bodyParserRefusal(new HttpException('nope', 422, { cause: new Error('x') }), gzip)).toBeUndefined();
    expect(bodyParserRefusal(new BadRequestException('Validation failed'), json)).toBeUndefined();
    expect(bodyParserRefusal(new NotFoundException(), json)).toBeUndefined();
  });

  it('recognises a zlib failure only as body-parser hands it on (errno, code, status 400) on an encoded request', () => {
    const zlib = Object.assign(new Error('incorrect header check'), { errno: -3, code: 'Z_DATA_ERROR', status: 400, statusCode: 400, expose: true });
    const exception = new HttpException('incorrect header check', 400, { cause: zlib });
    expect(bodyParserRefusal(exception, gzip)).toEqual({ field: 'content-encoding', kind: 'format' });
    expect(bodyParserRefusal(exception, { ...json, 'content-encoding': 'identity' })).toBeUndefined();
  });

  it('names content-type for a body refused because it was not sent as JSON', () => {
    expect(asCallbackRefusal({ field: 'body', kind: 'format' }, { 'content-type': 'application/x-www-form-urlencoded' })).toEqual({ field: 'content-type', kind: 'format' });
    expect(asCallbackRefusal({ field: 'body', kind: 'format' }, json)).toEqual({ field: 'body', kind: 'format' });
    expect(asCallbackRefusal({ field: 'body', kind: 'too-large' }, { 'content-type': 'text/plain' })).toEqual({ field: 'body', kind: 'too-large' });
  });
});
