// The module side's requests: every sendOTP has its own correlation id, and a card (so a phone
// number) used at most USES_PER_CARD times, because the module's default per-card and
// per-destination limits are 5 per hour and every send counts. Consecutive requests go to
// different numbers, as an issuer's traffic does (one card's uses are a block apart).
//
// The `otpMethodId` of each card comes from the app's own requestCardDigitization, as the
// platform would get it; they are fetched by blocks, only ahead of the load that needs them
// (`reserve`), never during a measured run.

/** Each card is used at most this often per app. */
export const USES_PER_CARD = 4;
/** Cards per block: a card's uses are BLOCK requests apart. */
export const BLOCK = 2048;
const ISSUER_ID = 'ISSUER0001';
const FETCH_WORKERS = 32;

/** Rounds a card count up to whole blocks. */
export const wholeBlocks = (cards) => Math.ceil(cards / BLOCK) * BLOCK;

export class CardPool {
  #url;
  #cards;
  #tag;
  #methodIds = [];
  #sequence = 0;

  /** `cards`: `writeCardholders(...).cards` (a whole number of blocks); `tag` goes into the correlation ids. */
  constructor(url, cards, tag) {
    if (cards.length % BLOCK !== 0) throw new Error(`the card count must be a multiple of ${BLOCK}`);
    this.#url = url;
    this.#cards = cards;
    this.#tag = tag;
  }

  /** Requests sent so far. */
  get used() {
    return this.#sequence;
  }

  /** Fetches the method ids the next `requests` requests need (capped at the cards there are). */
  async reserve(requests) {
    const lastIndex = Math.min(this.#sequence + requests, this.#cards.length * USES_PER_CARD) - 1;
    const cardsNeeded = (Math.floor(lastIndex / (BLOCK * USES_PER_CARD)) + 1) * BLOCK;
    if (cardsNeeded > this.#methodIds.length) await this.#fetch(this.#methodIds.length, cardsNeeded);
  }

  /** The next request: `{ body, headers }`. */
  next() {
    const sequence = this.#sequence;
    const block = Math.floor(sequence / (BLOCK * USES_PER_CARD));
    const index = block * BLOCK + (sequence % BLOCK);
    if (index >= this.#cards.length) throw new Error('out of cards: raise BENCH_CARDS');
    if (index >= this.#methodIds.length) throw new Error('out of method ids: the bench reserves too few before a run');
    this.#sequence += 1;
    return {
      body: JSON.stringify({
        issuerCardRefId: this.#cards[index].issuerCardRefId,
        otpValue: String(100000 + (sequence % 900000)),
        otpMethodId: this.#methodIds[index],
        walletProviderId: 'APPLE_PAY',
      }),
      headers: { 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `bench-${this.#tag}-${sequence}` },
    };
  }

  /** Asks the app for each card's SMS method id, as the platform's requestCardDigitization would. */
  async #fetch(from, to) {
    let next = from;
    const worker = async () => {
      while (next < to) {
        const index = next++;
        const { issuerCardRefId } = this.#cards[index];
        const response = await fetch(`${this.#url}/issuer/igwapi/v2.0/requestCardDigitization`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-issuer-id': ISSUER_ID, 'x-correlation-id': `bench-rcd-${this.#tag}-${index}` },
          body: JSON.stringify({ issuerCardRefId }),
        });
        const body = await response.json();
        const sms = body.idvMethodList?.find((method) => /sms/i.test(method.type));
        if (!sms) throw new Error(`no SMS method for ${issuerCardRefId}: ${response.status} ${JSON.stringify(body)}`);
        this.#methodIds[index] = sms.id;
      }
    };
    await Promise.all(Array.from({ length: FETCH_WORKERS }, worker));
  }
}

/** The baseline side's requests: a different number each time, already in CM's `00` form. */
export function baselineRequests(cards) {
  let sequence = 0;
  return () => {
    sequence += 1;
    return { body: JSON.stringify({ phone: cards[sequence % cards.length].phone00, otpValue: String(100000 + (sequence % 900000)) }), headers: {} };
  };
}
