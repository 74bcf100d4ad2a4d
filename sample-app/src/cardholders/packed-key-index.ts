/**
 * Finds a record by a string key, with the table outside the JavaScript heap (an open-addressing
 * hash table in one `Int32Array`): the packed cardholders' `Map` replacement. The keys themselves
 * are not kept here; `keyOf` reads a record's key back from where it is packed.
 */
export class PackedKeyIndex {
  /** Record number + 1 in each slot, 0 for an empty one. */
  readonly #slots: Int32Array;
  readonly #mask: number;
  readonly #keyOf: (record: number) => string | undefined;

  /** An empty index for up to `capacity` keys (at most half full, so a lookup probes about once). */
  constructor(capacity: number, keyOf: (record: number) => string | undefined) {
    let size = 8;
    while (size < capacity * 2) size *= 2;
    this.#slots = new Int32Array(size);
    this.#mask = size - 1;
    this.#keyOf = keyOf;
  }

  /** Points `key` at `record`; a key set again points at the later record (as `Map.set`). */
  set(key: string, record: number): void {
    this.#slots[this.#slotOf(key)] = record + 1;
  }

  /** The record `key` points at, or -1. */
  get(key: string): number {
    return this.#slots[this.#slotOf(key)] - 1;
  }

  /** The slot holding `key`, or the empty slot where it would go. */
  #slotOf(key: string): number {
    for (let slot = hash(key) & this.#mask; ; slot = (slot + 1) & this.#mask) {
      const entry = this.#slots[slot];
      if (entry === 0 || this.#keyOf(entry - 1) === key) return slot;
    }
  }
}

/** FNV-1a over the UTF-16 code units: cheap, and spreads the bench's sequential ids well. */
function hash(key: string): number {
  let value = 0x811c9dc5;
  for (let index = 0; index < key.length; index += 1) value = Math.imul(value ^ key.charCodeAt(index), 0x01000193);
  return value >>> 0;
}
