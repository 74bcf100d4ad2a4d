import { BadRequestException, Injectable, ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';

/** The console's refusal of a property its action does not take: the name is the caller's to choose, so it is not repeated. */
const UNKNOWN_PROPERTY = 'a property that is not a field of this action was sent';

/**
 * Validates the console's bodies, flat JSON objects of strings and numbers, answering 400 with
 * every problem named by its field:
 * - a nested object or array is refused before class-transformer walks it: its recursion
 *   overflows the stack on JSON nested a few thousand levels deep (a 500);
 * - a property the action does not take is refused without its name, which the caller chose
 *   (markup, a card number): class-validator's own message repeats it.
 */
@Injectable()
export class ConsoleBodyPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, exceptionFactory: (errors) => new BadRequestException([...new Set(errors.flatMap(messagesOf))]) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== null && typeof value === 'object' && Object.values(value).some((field) => field !== null && typeof field === 'object')) {
      throw new BadRequestException(['the body must be a flat JSON object: its fields hold strings and numbers']);
    }
    return super.transform(value, metadata);
  }
}

function messagesOf(error: ValidationError): string[] {
  return Object.entries(error.constraints ?? {}).map(([constraint, message]) => (constraint === 'whitelistValidation' ? UNKNOWN_PROPERTY : message));
}
