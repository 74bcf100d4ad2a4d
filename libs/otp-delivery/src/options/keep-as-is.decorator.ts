import { Transform } from 'class-transformer';

/**
 * Keeps a field's original value when options are turned into validation classes.
 * class-transformer would otherwise copy class instances into plain objects, which loses the
 * private state of a `SecretValue`, an ioredis client or a nodemailer transport.
 */
export function KeepAsIs(): PropertyDecorator {
  return Transform(({ obj, key }) => (obj as Record<string, unknown>)[key], { toClassOnly: true });
}
