import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { OtpDeliveryConfigError } from './otp-delivery-config.error.js';
import { restoreKeptFields } from './keep-as-is.decorator.js';

/**
 * Validates a plain options object against its class-validator schema and answers the typed
 * instance, or throws one `OtpDeliveryConfigError` naming every bad key (`cm.sender must be ...`).
 * The messages come from the constraints, never from the values.
 */
export function validateOptions<T extends object>(schema: ClassConstructor<T>, raw: unknown, root = ''): T {
  if (raw !== undefined && (raw === null || typeof raw !== 'object')) {
    throw new OtpDeliveryConfigError([`${root || 'options'} must be an object`]);
  }
  const instance = plainToInstance(schema, raw ?? {}, { exposeDefaultValues: false });
  restoreKeptFields(instance, raw);
  const errors = validateSync(instance, {
    whitelist: false,
    forbidUnknownValues: false,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw new OtpDeliveryConfigError(flatten(errors, root));
  return instance;
}

function flatten(errors: ValidationError[], parent: string): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    // class-validator starts each message with the property name; swap it for the full path.
    const own = Object.values(error.constraints ?? {}).map((message) =>
      message.startsWith(`${error.property} `) ? `${path}${message.slice(error.property.length)}` : `${path}: ${message}`,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}
