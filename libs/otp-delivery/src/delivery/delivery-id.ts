import { randomUUID } from 'node:crypto';

/**
 * A new delivery id: 32 lowercase hex characters (a random UUID without its hyphens, 122 random
 * bits). Alphanumeric and at most 32 characters, as CM's `reference` requires, and unguessable, as
 * status-report lookups need. `randomUUID` draws from a cached entropy pool, far cheaper per call
 * than `randomBytes`.
 */
export function createDeliveryId(): string {
  return randomUUID().replaceAll('-', '');
}
