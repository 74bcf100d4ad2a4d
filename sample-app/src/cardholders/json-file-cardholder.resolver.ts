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
   * lookup answers is kept, not the file's records as well, so a large file costs its contacts:
   * about 400 bytes a card, most of it the strings (BENCHMARKS.md, "Memory").
   */
  private readonly byCard = new Map<string, CardholderContact>();
  /** Each cardholder's cards, in the file's order (the first answers when D1 names no card). */
  private readonly byConsumer = new Map<string, HolderCard>();

  constructor(cardholders: readonly CardholderRecord[]) {
    for (const holder of cardholders) {
      let first: HolderCard | undefined;
      let last: HolderCard | undefined;
      for (const card of holder.cards) {
        const contact = toContact(holder, card);
        this.byCard.set(card.issuerCardRefId, contact);
        // A card listed twice for one holder answers with its first entry.
        if (findCard(first, card.issuerCardRefId)) continue;
        const entry = new HolderCard(card.issuerCardRefId, contact);
        if (last) last.next = entry;
        else first = entry;
        last = entry;
      }
      this.byConsumer.set(holder.consumerId, first ?? new HolderCard(undefined, toContact(holder, undefined)));
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
    const first = this.byConsumer.get(consumerId);
    if (!first) return null;
    return cardId === undefined ? first.contact : (findCard(first, cardId)?.contact ?? null);
  }
}

/**
 * One card of a cardholder, linked to the holder's next one: most holders have one card, and a
 * `Map` per holder cost about 270 bytes where this costs about 40.
 */
class HolderCard {
  next: HolderCard | undefined = undefined;

  constructor(
    /** Undefined for a holder with no card: D1 may still name the consumer. */
    readonly issuerCardRefId: string | undefined,
    readonly contact: CardholderContact,
  ) {}
}

/** The card of that id among a holder's cards (from the first), if it is theirs. */
function findCard(first: HolderCard | undefined, issuerCardRefId: string): HolderCard | undefined {
  for (let card = first; card; card = card.next) if (card.issuerCardRefId === issuerCardRefId) return card;
  return undefined;
}

/**
 * The contact a card answers with, as one object literal of `CardholderContact`'s fields: a copy
 * made by spreading the record (rest of the holder) is a slow-mode object of about 340 bytes where
 * this is about 90, and the file's other fields are not kept.
 */
function toContact(holder: CardholderRecord, card: CardRecord | undefined): CardholderContact {
  return Object.freeze({
    phoneNumber: holder.phoneNumber,
    email: holder.email,
    locale: holder.locale,
    panLastFour: card?.panLastFour,
    firstName: holder.firstName,
    middleName: holder.middleName,
    lastName: holder.lastName,
  });
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
