const MARKED = new WeakMap<object, string[]>();

/**
 * Marks the field carrying the code to deliver. Its format is configurable
 * (`tokenization.otpValuePattern`), which a static class-validator decorator cannot read, so
 * `CallbackBodyPipe` checks the marked fields against it once the rest of the DTO is valid.
 */
export function OtpValueField(): PropertyDecorator {
  return (target, key) => {
    if (typeof key !== 'string') return;
    MARKED.set(target, [...(MARKED.get(target) ?? []), key]);
  };
}

/** The marked fields of a validated DTO and of the DTOs nested in it, by path (`otp.value`). */
export function otpValueFieldsOf(dto: object): { readonly field: string; readonly value: unknown }[] {
  const found: { field: string; value: unknown }[] = [];
  const pending: { readonly instance: object; readonly path: string }[] = [{ instance: dto, path: '' }];
  while (pending.length > 0) {
    const { instance, path } = pending.pop()!;
    const record = instance as Record<string, unknown>;
    for (let proto = Object.getPrototypeOf(instance) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const key of MARKED.get(proto) ?? []) found.push({ field: `${path}${key}`, value: record[key] });
    }
    for (const [key, value] of Object.entries(record)) {
      // Only nested DTOs (class instances made by `@Type`) are walked; plain objects are the platform's own data.
      if (isDtoInstance(value)) pending.push({ instance: value, path: `${path}${key}.` });
    }
  }
  return found;
}

function isDtoInstance(value: unknown): value is object {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype !== null && prototype !== Object.prototype;
}
