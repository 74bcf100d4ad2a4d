import { randomBytes } from 'node:crypto';

/**
 * A new delivery id: 20 lowercase hex characters (80 random bits). Alphanumeric and at most 32
 * characters, as CM's `reference` requires, and unguessable, as status-report lookups need.
 */
export function createDeliveryId(): string {
  return randomBytes(10).toString('hex');
}
