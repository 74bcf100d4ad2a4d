import { readFileSync } from 'node:fs';
import type { CardholderContact, CardholderContactResolver } from 'nestjs-otp-delivery';
import { PackedKeyIndex } from './packed-key-index.js';
import { PackedStrings } from './packed-strings.js';

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
   * Every string of the file that a lookup answers, packed outside the JavaScript heap: each holder's
   * `HOLDER_FIELDS`, each card's `CARD_FIELDS`. A contact is built afresh on each lookup. Objects
   * and strings on the heap, about 400 bytes a card, cost about four times that in peak memory
   * under load; packed, a card costs about 175 bytes, counted once (BENCHMARKS.md, "Memory").
   */
  private readonly holderStrings: PackedStrings;
  private readonly cardStrings: PackedStrings;
  /** Each card's holder. Every listing in the file is a card, a card listed twice included. */
  private readonly cardHolder: Uint32Array;
  /** Each holder's first card (-1 for none) and each card's next one of the same holder (-1 for the last). */
  private readonly holderFirstCard: Int32Array;
  private readonly nextCardOfHolder: Int32Array;
  /** A card id's last listing in the file, and a consumer id's last holder (as a `Map` filled in file order). */
  private readonly byCard: PackedKeyIndex;
  private readonly byConsumer: PackedKeyIndex;

  constructor(cardholders: readonly CardholderRecord[]) {
    const holderStrings: (string | undefined)[] = [];
    const cardStrings: (string | undefined)[] = [];
    const cardHolder: number[] = [];
    for (const [holder, record] of cardholders.entries()) {
      for (const field of HOLDER_FIELDS) holderStrings.push(record[field]);
      for (const card of record.cards) {
        cardStrings.push(card.issuerCardRefId, card.panLastFour);
        cardHolder.push(holder);
      }
    }
    this.holderStrings = PackedStrings.pack(holderStrings);
    this.cardStrings = PackedStrings.pack(cardStrings);
    this.cardHolder = Uint32Array.from(cardHolder);
    this.holderFirstCard = new Int32Array(cardholders.length).fill(-1);
    this.nextCardOfHolder = new Int32Array(cardHolder.length).fill(-1);
    this.byCard = new PackedKeyIndex(cardHolder.length, (card) => this.#cardId(card));
    this.byConsumer = new PackedKeyIndex(cardholders.length, (holder) => this.holderStrings.get(holder * HOLDER_FIELDS.length + HOLDER_FIELD.consumerId));
    let last = -1;
    for (let card = 0; card < cardHolder.length; card += 1) {
      const holder = cardHolder[card];
      const issuerCardRefId = this.#cardId(card);
      this.byCard.set(issuerCardRefId, card);
      // A card listed twice for one holder answers by consumer with its first entry.
      if (this.#holderCard(holder, issuerCardRefId) !== -1) continue;
      if (this.holderFirstCard[holder] === -1) this.holderFirstCard[holder] = card;
      else this.nextCardOfHolder[last] = card;
      last = card;
    }
    cardholders.forEach((record, holder) => this.byConsumer.set(record.consumerId, holder));
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
    const listed = new Set<string>();
    const cards: { issuerCardRefId: string; panLastFour?: string; locale?: string }[] = [];
    for (let card = 0; card < this.cardHolder.length; card += 1) {
      const issuerCardRefId = this.#cardId(card);
      if (listed.has(issuerCardRefId)) continue;
      listed.add(issuerCardRefId);
      const listing = this.byCard.get(issuerCardRefId);
      const contact = this.#contact(this.cardHolder[listing], listing);
      cards.push({ issuerCardRefId, panLastFour: contact.panLastFour, locale: contact.locale });
    }
    return cards;
  }

  async resolveByCard(issuerCardRefId: string): Promise<CardholderContact | null> {
    const card = this.byCard.get(issuerCardRefId);
    return card === -1 ? null : this.#contact(this.cardHolder[card], card);
  }

  async resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null> {
    const holder = this.byConsumer.get(consumerId);
    if (holder === -1) return null;
    const card = cardId === undefined ? this.#onlyCard(holder) : this.#holderCard(holder, cardId);
    // A holder with no card answers when D1 names no card: D1 may still name the consumer.
    if (card === -1 && cardId !== undefined) return null;
    return this.#contact(holder, card);
  }

  /**
   * The card a message may name when D1 names none: the holder's only one. Of several, any one could be
   * the card enrolled, and a message naming another would defeat the check of its digits (the
   * shipped texts then leave the card unnamed).
   */
  #onlyCard(holder: number): number {
    const first = this.holderFirstCard[holder];
    return first !== -1 && this.nextCardOfHolder[first] === -1 ? first : -1;
  }

  #cardId(card: number): string {
    return this.cardStrings.get(card * CARD_FIELDS.length + CARD_FIELD.issuerCardRefId) as string;
  }

  /** The holder's card of that id (from their first), or -1 if it is not theirs. */
  #holderCard(holder: number, issuerCardRefId: string): number {
    for (let card = this.holderFirstCard[holder]; card !== -1; card = this.nextCardOfHolder[card]) if (this.#cardId(card) === issuerCardRefId) return card;
    return -1;
  }

  /** The contact a card (-1: none) of a holder answers with, frozen: a caller cannot change the next answer. */
  #contact(holder: number, card: number): CardholderContact {
    const at = holder * HOLDER_FIELDS.length;
    return Object.freeze({
      phoneNumber: this.holderStrings.get(at + HOLDER_FIELD.phoneNumber),
      email: this.holderStrings.get(at + HOLDER_FIELD.email),
      locale: this.holderStrings.get(at + HOLDER_FIELD.locale),
      panLastFour: card === -1 ? undefined : this.cardStrings.get(card * CARD_FIELDS.length + CARD_FIELD.panLastFour),
      firstName: this.holderStrings.get(at + HOLDER_FIELD.firstName),
      middleName: this.holderStrings.get(at + HOLDER_FIELD.middleName),
      lastName: this.holderStrings.get(at + HOLDER_FIELD.lastName),
    });
  }
}

/** The strings packed for each holder, in this order. */
const HOLDER_FIELDS = ['consumerId', 'phoneNumber', 'email', 'locale', 'firstName', 'middleName', 'lastName'] as const;
/** The strings packed for each card, in this order. */
const CARD_FIELDS = ['issuerCardRefId', 'panLastFour'] as const;
/** Each field's position among its record's strings. */
const HOLDER_FIELD = positions(HOLDER_FIELDS);
const CARD_FIELD = positions(CARD_FIELDS);

function positions<Name extends string>(names: readonly Name[]): Record<Name, number> {
  return Object.fromEntries(names.map((name, index) => [name, index])) as Record<Name, number>;
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
        // A string: 4242 as a JSON number would pass the pattern, then fail the packing with its value in the error.
        if (card?.panLastFour !== undefined && !(typeof card.panLastFour === 'string' && /^\d{4}$/.test(card.panLastFour))) {
          problems.push(`${at}.cards[${cardIndex}].panLastFour must be 4 digits, as a string`);
        }
      });
  });
  if (problems.length > 0) throw new Error(`Invalid CARDHOLDERS_FILE:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  return list as CardholderRecord[];
}
