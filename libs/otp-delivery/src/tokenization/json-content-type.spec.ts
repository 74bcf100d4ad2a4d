import { jsonContentTypeProblem } from './json-content-type.js';

describe('jsonContentTypeProblem', () => {
  it.each(['application/json', 'APPLICATION/JSON', 'Application/Json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'application/json ; charset=utf-8'])(
    'accepts %j',
    (type) => expect(jsonContentTypeProblem(type)).toBeUndefined(),
  );

  it.each([
    'application/x-www-form-urlencoded',
    'text/plain',
    'multipart/form-data; boundary=x',
    'text/json',
    'application/jsonp',
    'application/json-patch+json',
    'application/json; charset=latin1',
    'application/json; charset=utf-16',
    'application/json; charset=utf8',
    'application/json; boundary=x',
    'application/json; charset=utf-8; charset=latin1',
    'application/json, text/plain',
    'application/json; charset = utf-8',
  ])('refuses %j as a format problem', (type) => expect(jsonContentTypeProblem(type)).toBe('format'));

  it('tells a missing header from a wrong one', () => {
    expect(jsonContentTypeProblem(undefined)).toBe('missing');
    expect(jsonContentTypeProblem('')).toBe('missing');
    expect(jsonContentTypeProblem(['application/json', 'application/json'])).toBe('format');
  });
});
