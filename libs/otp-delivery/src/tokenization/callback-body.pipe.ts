import { Inject, Injectable, Optional, type ArgumentMetadata, type PipeTransform } from '@nestjs/common';
import type { ClassConstructor } from 'class-transformer';
import { CallbackValidationError } from './errors/callback-validation.error.js';
import { exceedsDepth, MAX_CALLBACK_BODY_DEPTH } from './body-depth.js';
import { otpValueFieldsOf } from './dto/otp-value-field.decorator.js';
import { DEFAULT_OTP_VALUE_PATTERN } from './otp-value-pattern.js';
import { TOKENIZATION_OPTIONS } from './tokenization.constants.js';
import { CallbackBodyValidator } from './callback-body.validator.js';
import type { ResolvedTokenizationOptions } from './tokenization-options.resolver.js';

/**
 * Validates a callback body against its DTO and throws `CallbackValidationError` (Thales 111/112)
 * instead of Nest's default 400, naming the first missing field (else the first malformed one).
 * Unknown fields are kept and ignored: Thales adds optional fields without notice. The code to
 * deliver must match `tokenization.otpValuePattern` (the default pattern outside the module).
 */
@Injectable()
export class CallbackBodyPipe implements PipeTransform {
  private readonly rules: CallbackBodyRules;

  constructor(@Optional() @Inject(TOKENIZATION_OPTIONS) options?: ResolvedTokenizationOptions) {
    this.rules = { otpValuePattern: options?.otpValuePattern ?? DEFAULT_OTP_VALUE_PATTERN };
  }

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const dto = metadata.metatype;
    // Applied to a whole route (`@TokenizationCallback()`), it sees every parameter: only the body is its concern.
    if (metadata.type !== 'body' || !dto || dto === Object) return value;
    return validateCallbackBody(dto as ClassConstructor<object>, value, this.rules);
  }
}

/** What `validateCallbackBody` checks beyond the DTO's own decorators. */
export interface CallbackBodyRules {
  /**
   * Pattern the code to deliver (`@OtpValueField()`) must match; anchor it, the value must match whole.
   * @default /^\d{4,10}$/
   */
  readonly otpValuePattern?: RegExp;
}

/** The body as a DTO instance, or a `CallbackValidationError` naming the field. */
export function validateCallbackBody<T extends object>(dto: ClassConstructor<T>, body: unknown, rules: CallbackBodyRules = {}): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new CallbackValidationError('body', 'format');
  // Before class-transformer, whose recursive walk overflows the stack on a body a few thousand levels deep.
  if (exceedsDepth(body, MAX_CALLBACK_BODY_DEPTH)) throw new CallbackValidationError('body', 'format');
  const { instance, problems } = CallbackBodyValidator.of(dto).validate(body as Record<string, unknown>);
  if (problems.length > 0) {
    const missing = problems.find((problem) => problem.missing);
    const first = missing ?? problems[0]!;
    throw new CallbackValidationError(first.field, first.missing ? 'missing' : 'format');
  }
  const pattern = rules.otpValuePattern ?? DEFAULT_OTP_VALUE_PATTERN;
  for (const { field, value } of otpValueFieldsOf(instance)) {
    // Whether the field is required is the DTO's own decorators' call.
    if (value === undefined) continue;
    if (typeof value !== 'string' || !pattern.test(value)) throw new CallbackValidationError(field, 'format');
  }
  return instance;
}
