import { readFileSync } from 'node:fs';
import type { CardholderContact, CardholderContactResolver } from 'nestjs-otp-delivery';

/** One card of a cardholder in the JSON file. */
interface CardRecord {
  readonly issuerCardRefId: string;
  readonly panLastFour?: string;
}

/** One cardholder in the JSON file (`sample-app/data/cardholders.json` shows the shape). */
interface CardholderRecord extends Omit<CardholderContact, 'panLastFour'> {
  readonly consumerId: string;
  readonly cards: readonly CardRecord[];
}

/**
 * The sample issuer's contact lookup: cardholders from a JSON file (`CARDHOLDERS_FILE`), read
 * once at startup. A real issuer replaces it with a class that asks its card management system.
 * Cards are found by `issuerCardRefId` (classic), cardholders by `consumerId` (D1), where D1's
 * optional `cardId` is matched against `issuerCardRefId` to pick the PAN suffix.
 */
export class JsonFileCardholderResolver implements CardholderContactResolver {
  /**
   * Each card's contact, made once (frozen: every lookup hands out the same object). Only what a
   * lookup answers is kept, not the file's records as well, so a large file costs its contacts.
   */
  private readonly byCard = new Map<string, CardholderContact>();
  /** Each cardholder's card contacts, in the file's order (the first answers when D1 names no card). */
  private readonly byConsumer = new Map<string, { readonly cards: ReadonlyMap<string, CardholderContact>; readonly first: CardholderContact }>();

  constructor(cardholders: readonly CardholderRecord[]) {
    for (const holder of cardholders) {
      const cards = new Map<string, CardholderContact>();
      for (const card of holder.cards) {
        const contact = toContact(holder, card);
        if (!cards.has(card.issuerCardRefId)) cards.set(card.issuerCardRefId, contact);
        this.byCard.set(card.issuerCardRefId, contact);
      }
      this.byConsumer.set(holder.consumerId, { cards, first: cards.values().next().value ?? toContact(holder, undefined) });
    }
  }

  /** Reads and checks the file; a bad file stops the boot with the entry and field named (never a value). */
  static fromFile(path: string): JsonFileCardholderResolver {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new Error(`CARDHOLDERS_FILE could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      // No `cause`: V8's JSON errors quote the file around the fault, and the file holds personal data.
      // eslint-disable-next-line preserve-caught-error
      throw new Error(`CARDHOLDERS_FILE could not be read as JSON (${error instanceof Error ? error.name : 'error'})`);
    }
    return new JsonFileCardholderResolver(checkFile(parsed));
  }

  /** Every card in the file, with its holder's locale (for the sandbox console's form: no names, no contacts). */
  cards(): { issuerCardRefId: string; panLastFour?: string; locale?: string }[] {
    return [...this.byCard].map(([issuerCardRefId, contact]) => ({ issuerCardRefId, panLastFour: contact.panLastFour, locale: contact.locale }));
  }

  async resolveByCard(issuerCardRefId: string): Promise<CardholderContact | null> {
    return this.byCard.get(issuerCardRefId) ?? null;
  }

  async resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null> {
    const holder = this.byConsumer.get(consumerId);
    if (!holder) return null;
    return cardId === undefined ? holder.first : (holder.cards.get(cardId) ?? null);
  }
}

function toContact(holder: CardholderRecord, card: CardRecord | undefined): CardholderContact {
  const { consumerId: _consumerId, cards: _cards, ...contact } = holder;
  return Object.freeze({ ...contact, panLastFour: card?.panLastFour });
}

function checkFile(parsed: unknown): CardholderRecord[] {
  const list = (parsed as { cardholders?: unknown } | null)?.cardholders;
  if (!Array.isArray(list)) throw new Error('CARDHOLDERS_FILE must hold { "cardholders": [...] }');
  const problems: string[] = [];
  list.forEach((entry: Record<string, unknown>, index) => {
    const at = `cardholders[${index}]`;
    if (typeof entry?.consumerId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(entry.consumerId)) problems.push(`${at}.consumerId must match ^[A-Za-z0-9_-]{1,64}$`);
    for (const field of ['phoneNumber', 'email', 'locale', 'firstName', 'middleName', 'lastName']) {
      if (entry?.[field] !== undefined && typeof entry[field] !== 'string') problems.push(`${at}.${field} must be a string`);
    }
    if (!Array.isArray(entry?.cards)) problems.push(`${at}.cards must be an array`);
    else
      entry.cards.forEach((card: Record<string, unknown>, cardIndex: number) => {
        if (typeof card?.issuerCardRefId !== 'string' || card.issuerCardRefId.length < 1 || card.issuerCardRefId.length > 48) {
          problems.push(`${at}.cards[${cardIndex}].issuerCardRefId must be 1 to 48 characters`);
        }
        if (card?.panLastFour !== undefined && !/^\d{4}$/.test(String(card.panLastFour))) problems.push(`${at}.cards[${cardIndex}].panLastFour must be 4 digits`);
      });
  });
  if (problems.length > 0) throw new Error(`Invalid CARDHOLDERS_FILE:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return list as CardholderRecord[];
}
