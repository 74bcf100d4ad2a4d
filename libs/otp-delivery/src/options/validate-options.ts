import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { getMetadataStorage, validateSync, type ValidationError } from 'class-validator';
import { OtpDeliveryConfigError } from './otp-delivery-config.error.js';
import { restoreKeptFields } from './keep-as-is.decorator.js';
import { closest } from './closest-name.js';

/**
 * Checks a plain options object against its class-validator schema: answers the typed instance and
 * every problem, by full path (`cm.sender must be ...`), unknown keys included with a suggestion
 * (`cm.productTokn is not an option (did you mean cm.productToken?)`). The messages come from the
 * constraints, never from the values.
 */
export function checkOptions<T extends object>(schema: ClassConstructor<T>, raw: unknown, root = ''): { instance: T; problems: string[] } {
  if (raw !== undefined && (raw === null || typeof raw !== 'object' || Array.isArray(raw))) {
    return { instance: new schema(), problems: [`${root || 'options'} must be an object`] };
  }
  const instance = plainToInstance(schema, raw ?? {}, { exposeDefaultValues: false });
  restoreKeptFields(instance, raw);
  const errors = validateSync(instance, {
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: false,
    // The target names the class of an unknown key, for the suggestion; values are never kept.
    validationError: { target: true, value: false },
  });
  return { instance, problems: [...flatten(errors, root), ...nullOptions(instance, root)] };
}

/**
 * Options set to `null`, by path. An option is given or left out: `@IsOptional()` lets `null`
 * through unchecked, while the module would read it as given (`proxySecret: null` once passed the
 * check that trusted-proxy mode names a proxy, and then checked no proxy at all). Only the option
 * groups are walked, not what a `@KeepAsIs()` field holds (ioredis's `maxRetriesPerRequest: null`).
 */
function nullOptions(group: object, path: string): string[] {
  // An unknown key is reported as such already.
  const declared = new Set(optionNames(group.constructor));
  return Object.entries(group).flatMap(([name, value]) => {
    if (!declared.has(name)) return [];
    const at = path ? `${path}.${name}` : name;
    if (value === null) return [`${at} must not be null: leave it out for its default`];
    return isOptionGroup(value) ? nullOptions(value, at) : [];
  });
}

/** An instance of an options class (one with class-validator rules), as `plainToInstance` makes nested groups. */
function isOptionGroup(value: unknown): value is object {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const type = (value as object).constructor;
  return type !== Object && typeof type === 'function' && optionNames(type).length > 0;
}

/** `checkOptions`, throwing one `OtpDeliveryConfigError` naming every bad key. */
export function validateOptions<T extends object>(schema: ClassConstructor<T>, raw: unknown, root = ''): T {
  const { instance, problems } = checkOptions(schema, raw, root);
  if (problems.length > 0) throw new OtpDeliveryConfigError(problems);
  return instance;
}

function flatten(errors: ValidationError[], parent: string): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.entries(error.constraints ?? {}).map(([constraint, message]) => {
      if (constraint === 'whitelistValidation') return unknownKey(path, parent, error.target);
      // class-validator starts each message with the property name; swap it for the full path.
      return message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`;
    });
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

function unknownKey(path: string, parent: string, target: object | undefined): string {
  const known = target ? optionNames(target.constructor) : [];
  const name = path.slice(parent ? parent.length + 1 : 0);
  const near = closest(name, known);
  return `${path} is not an option${near ? ` (did you mean ${parent ? `${parent}.` : ''}${near}?)` : ''}`;
}

/** The option names an options class declares (every option carries at least `@IsOptional()`). */
function optionNames(schema: object): string[] {
  const metadata = getMetadataStorage().getTargetValidationMetadatas(schema as new () => object, '', true, false);
  return [...new Set(metadata.map((entry) => entry.propertyName))];
}
