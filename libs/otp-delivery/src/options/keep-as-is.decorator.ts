import { Exclude } from 'class-transformer';

const KEPT = new WeakMap<object, Set<string | symbol>>();

/**
 * Keeps a field's original value when options are turned into validation classes.
 * class-transformer would otherwise walk into class instances (a `SecretValue`, an ioredis
 * client, a nodemailer transport, an `EmailOutbox`) and copy them into plain objects, losing
 * their private state. The field is excluded from the transformation and `validateOptions`
 * puts the original back before validating.
 */
export function KeepAsIs(): PropertyDecorator {
  const exclude = Exclude({ toClassOnly: true });
  return (target, key) => {
    exclude(target, key);
    const keys = KEPT.get(target) ?? new Set();
    keys.add(key);
    KEPT.set(target, keys);
  };
}

/** Copies every `@KeepAsIs()` field of `instance` (and its nested option objects) from `raw`. */
export function restoreKeptFields(instance: unknown, raw: unknown): void {
  if (!instance || typeof instance !== 'object' || !raw || typeof raw !== 'object') return;
  const source = raw as Record<string | symbol, unknown>;
  const target = instance as Record<string | symbol, unknown>;
  const kept = new Set<string | symbol>();
  for (let proto = Object.getPrototypeOf(instance); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const key of KEPT.get(proto) ?? []) {
      kept.add(key);
      if (key in source) target[key] = source[key];
    }
  }
  for (const key of Object.keys(target)) {
    const value = target[key];
    // Nested option classes are walked; kept values, arrays and plain objects are the user's own.
    if (!kept.has(key) && value && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype) {
      restoreKeptFields(value, source[key]);
    }
  }
}
