import { PackedKeyIndex } from './packed-key-index.js';

describe('PackedKeyIndex', () => {
  it('finds every key among many, and answers -1 for a key it was not given', () => {
    const keys = Array.from({ length: 5000 }, (_, index) => `card-${index.toString(36)}`);
    const index = new PackedKeyIndex(keys.length, (record) => keys[record]);
    keys.forEach((key, record) => index.set(key, record));
    expect(keys.every((key, record) => index.get(key) === record)).toBe(true);
    expect(index.get('card-unknown')).toBe(-1);
    expect(index.get('')).toBe(-1);
  });

  it('points a key set twice at the later record, as Map.set', () => {
    const keys = ['a', 'b', 'a'];
    const index = new PackedKeyIndex(keys.length, (record) => keys[record]);
    keys.forEach((key, record) => index.set(key, record));
    expect([index.get('a'), index.get('b')]).toEqual([2, 1]);
  });

  it('answers -1 on an empty index', () => {
    expect(new PackedKeyIndex(0, () => undefined).get('a')).toBe(-1);
  });
});
