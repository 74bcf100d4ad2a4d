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
  private readonly byCard = new Map<string, { holder: CardholderRecord; card: CardRecord }>();
  private readonly byConsumer = new Map<string, CardholderRecord>();

  constructor(cardholders: readonly CardholderRecord[]) {
    for (const holder of cardholders) {
      this.byConsumer.set(holder.consumerId, holder);
      for (const card of holder.cards) this.byCard.set(card.issuerCardRefId, { holder, card });
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
    return [...this.byCard.values()].map(({ holder, card }) => ({ issuerCardRefId: card.issuerCardRefId, panLastFour: card.panLastFour, locale: holder.locale }));
  }

  async resolveByCard(issuerCardRefId: string): Promise<CardholderContact | null> {
    const found = this.byCard.get(issuerCardRefId);
    return found ? toContact(found.holder, found.card) : null;
  }

  async resolveByConsumer(consumerId: string, cardId?: string): Promise<CardholderContact | null> {
    const holder = this.byConsumer.get(consumerId);
    if (!holder) return null;
    const card = cardId === undefined ? holder.cards[0] : holder.cards.find((c) => c.issuerCardRefId === cardId);
    if (cardId !== undefined && !card) return null;
    return toContact(holder, card);
  }
}

function toContact(holder: CardholderRecord, card: CardRecord | undefined): CardholderContact {
  const { consumerId: _consumerId, cards: _cards, ...contact } = holder;
  return { ...contact, panLastFour: card?.panLastFour };
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
