import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isPlainObject } from '../common/plain-object.js';

/**
 * A plain object of settings. `@IsObject()` also takes a class instance or a function: a
 * nodemailer transporter given where its options belong would be read as options and lose them.
 */
export function IsPlainObject(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isPlainObject', validator: { validate: (value) => isPlainObject(value) } }, options);
}
