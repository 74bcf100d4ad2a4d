import { exceedsDepth, MAX_CALLBACK_BODY_DEPTH } from './body-depth.js';

/** `levels` objects (or arrays) nested inside each other. */
function nested(levels: number, kind: 'object' | 'array'): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < levels; level += 1) value = kind === 'object' ? { child: value } : [value];
  return value;
}

describe('exceedsDepth', () => {
  it('counts the top-level object as level 1, objects and arrays alike', () => {
    expect(exceedsDepth({}, 1)).toBe(false);
    expect(exceedsDepth({ a: {} }, 1)).toBe(true);
    expect(exceedsDepth(nested(MAX_CALLBACK_BODY_DEPTH, 'object'), MAX_CALLBACK_BODY_DEPTH)).toBe(false);
    expect(exceedsDepth(nested(MAX_CALLBACK_BODY_DEPTH + 1, 'object'), MAX_CALLBACK_BODY_DEPTH)).toBe(true);
    expect(exceedsDepth(nested(MAX_CALLBACK_BODY_DEPTH + 1, 'array'), MAX_CALLBACK_BODY_DEPTH)).toBe(true);
    expect(exceedsDepth({ a: [{ b: [nested(MAX_CALLBACK_BODY_DEPTH - 4, 'object')] }] }, MAX_CALLBACK_BODY_DEPTH)).toBe(false);
  });

  it('finds one deep branch among wide shallow ones', () => {
    const wide = Object.fromEntries(Array.from({ length: 1000 }, (_, index) => [`k${index}`, { v: [index] }]));
    expect(exceedsDepth(wide, MAX_CALLBACK_BODY_DEPTH)).toBe(false);
    expect(exceedsDepth({ ...wide, deep: nested(MAX_CALLBACK_BODY_DEPTH, 'array') }, MAX_CALLBACK_BODY_DEPTH)).toBe(true);
  });

  it('walks a body far deeper than the call stack allows without overflowing', () => {
    // JSON.parse builds this iteratively; a recursive walk of it throws RangeError.
    const deep = JSON.parse(`${'['.repeat(200_000)}${']'.repeat(200_000)}`) as unknown;
    expect(exceedsDepth(deep, MAX_CALLBACK_BODY_DEPTH)).toBe(true);
    expect(exceedsDepth(deep, Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('ignores scalars', () => {
    expect(exceedsDepth('text', 0)).toBe(false);
    expect(exceedsDepth(null, 0)).toBe(false);
  });
});
