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
  return { instance, problems: flatten(errors, root) };
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
