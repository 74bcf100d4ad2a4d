import { PackedStrings } from './packed-strings.js';

describe('PackedStrings', () => {
  it('answers each string as given: multi-byte text, the empty string and undefined kept apart', () => {
    const strings = ['山田 太郎', '', undefined, 'emily.clarke@example.co.uk', undefined, 'Zoë 🙂', '+81 90-1234-5678', '', 'x'];
    const packed = PackedStrings.pack(strings);
    expect(strings.map((_, index) => packed.get(index))).toEqual(strings);
  });

  it('packs none', () => {
    expect(() => PackedStrings.pack([])).not.toThrow();
  });
});
