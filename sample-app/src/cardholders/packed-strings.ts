/**
 * Strings packed into one buffer, outside the JavaScript heap, each known by its number: the
 * sample resolver's cardholders live here. Strings on the heap cost about four times their size in
 * peak memory under load, because V8 lets the heap grow to about four times what survives a full
 * collection (BENCHMARKS.md, "Memory"); a buffer's bytes are counted once.
 */
export class PackedStrings {
  readonly #bytes: Buffer;
  /** String `n` is `#bytes[#starts[n] .. #starts[n + 1])`. */
  readonly #starts: Uint32Array;
  /** Bit `n` set: string `n` was given as undefined (kept apart from the empty string). */
  readonly #missing: Uint8Array;

  private constructor(bytes: Buffer, starts: Uint32Array, missing: Uint8Array) {
    this.#bytes = bytes;
    this.#starts = starts;
    this.#missing = missing;
  }

  /** Packs the strings (undefined allowed), numbered from 0 in the order given. */
  static pack(strings: readonly (string | undefined)[]): PackedStrings {
    const starts = new Uint32Array(strings.length + 1);
    const missing = new Uint8Array(Math.ceil(strings.length / 8));
    let size = 0;
    strings.forEach((value, index) => {
      starts[index] = size;
      if (value === undefined) missing[index >> 3] |= 1 << (index & 7);
      else size += Buffer.byteLength(value, 'utf8');
    });
    starts[strings.length] = size;
    const bytes = Buffer.allocUnsafeSlow(size);
    strings.forEach((value, index) => {
      if (value !== undefined) bytes.write(value, starts[index], 'utf8');
    });
    return new PackedStrings(bytes, starts, missing);
  }

  /** String `index`, decoded afresh (undefined where undefined was packed). */
  get(index: number): string | undefined {
    if ((this.#missing[index >> 3] & (1 << (index & 7))) !== 0) return undefined;
    return this.#bytes.toString('utf8', this.#starts[index], this.#starts[index + 1]);
  }
}
