import { Transform } from 'class-transformer';

/**
 * A whole-number variable written in decimal digits (`8080`), read as a number. Anything else
 * (`0x1F90`, `1e3`, `8080abc`) stays text, which `@IsInt()` refuses: `Number()` would have read
 * `0x1F90` as 8080.
 */
export const DecimalInteger = (): PropertyDecorator =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\d{1,15}$/.test(value.trim()) ? Number(value.trim()) : value));
