import { BadRequestException, Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/** The console's refusal of a property its action does not take: the name is the caller's to choose, so it is not repeated. */
const UNKNOWN_PROPERTY = 'a property that is not a field of this action was sent';
/** The refusal of a nested value under a name the action does not take (the name is not repeated either). */
const NOT_FLAT = 'the body must be a flat JSON object: its fields hold strings and numbers';

/**
 * Validates the console's bodies, flat JSON objects of strings and numbers, answering 400 with
 * every problem named by its field:
 * - a nested object or array is refused before class-transformer walks it (its recursion
 *   overflows the stack on JSON nested a few thousand levels deep: a 500), named when it is a field;
 * - a property the action does not take is refused without its name, which the caller chose
 *   (markup, a card number): class-validator's own message repeats it.
 */
@Injectable()
export class ConsoleBodyPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, exceptionFactory: (errors) => new BadRequestException([...new Set(errors.flatMap(messagesOf))]) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== null && typeof value === 'object') {
      const nested = Object.entries(value).filter(([, field]) => field !== null && typeof field === 'object').map(([name]) => name);
      if (nested.length > 0) {
        const fields = fieldsOf(metadata.metatype);
        const messages = nested.map((name) => (fields.has(name) ? `${name} must be a string or a number, not an object or a list` : NOT_FLAT));
        throw new BadRequestException([...new Set(messages)]);
      }
    }
    return super.transform(value, metadata);
  }
}

/** The fields an action's body class declares (its validation rules name them). */
function fieldsOf(metatype: ArgumentMetadata['metatype']): Set<string> {
  if (!metatype) return new Set();
  return new Set(getMetadataStorage().getTargetValidationMetadatas(metatype, '', true, false).map((rule) => rule.propertyName));
}

function messagesOf(error: ValidationError): string[] {
  return Object.entries(error.constraints ?? {}).map(([constraint, message]) => (constraint === 'whitelistValidation' ? UNKNOWN_PROPERTY : message));
}
