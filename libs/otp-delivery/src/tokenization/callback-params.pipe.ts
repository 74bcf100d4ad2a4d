import { Injectable, type PipeTransform } from '@nestjs/common';
import { CallbackValidationError } from './errors/callback-validation.error.js';

const CONSUMER_ID = /^[A-Za-z0-9_-]{1,64}$/;
const CARD_ID = /^[A-Za-z0-9_-]{1,48}$/;

/** D1 path `consumerId`: `^[A-Za-z0-9_-]{1,64}$`, else 112. */
@Injectable()
export class D1ConsumerIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!CONSUMER_ID.test(value)) throw new CallbackValidationError('consumerId', 'format');
    return value;
  }
}

/** D1 query `cardId`: optional, `^[A-Za-z0-9_-]{1,48}$`, else 112. */
@Injectable()
export class D1CardIdPipe implements PipeTransform<unknown, string | undefined> {
  transform(value: unknown): string | undefined {
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !CARD_ID.test(value)) throw new CallbackValidationError('cardId', 'format');
    return value;
  }
}
