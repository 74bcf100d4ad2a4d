import { Injectable, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import { plainToInstance, type ClassConstructor } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { CallbackValidationError } from './errors/callback-validation.error.js';

/**
 * Validates a callback body against its DTO and throws `CallbackValidationError` (Thales 111/112)
 * instead of Nest's default 400, naming the first missing field (else the first malformed one).
 * Unknown fields are kept and ignored: Thales adds optional fields without notice.
 */
@Injectable()
export class CallbackBodyPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const dto = metadata.metatype;
    if (!dto || dto === Object) return value;
    return validateCallbackBody(dto as ClassConstructor<object>, value);
  }
}

/** The body as a DTO instance, or a `CallbackValidationError` naming the field. */
export function validateCallbackBody<T extends object>(dto: ClassConstructor<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CallbackValidationError('body', 'format');
  const instance = plainToInstance(dto, body);
  const errors = validateSync(instance, { forbidUnknownValues: false, whitelist: false });
  if (errors.length === 0) return instance;
  const problems = flatten(errors, '');
  const missing = problems.find((problem) => problem.missing);
  const first = missing ?? problems[0]!;
  throw new CallbackValidationError(first.field, first.missing ? 'missing' : 'format');
}

interface Problem {
  readonly field: string;
  readonly missing: boolean;
}

function flatten(errors: readonly ValidationError[], parent: string): Problem[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own: Problem[] = error.constraints ? [{ field, missing: isAbsent(error.value) }] : [];
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

function isAbsent(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}
