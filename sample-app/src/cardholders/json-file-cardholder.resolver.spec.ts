import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonFileCardholderResolver } from './json-file-cardholder.resolver.js';
import { SAMPLE_CARDHOLDERS_FILE } from './cardholders.providers.js';

describe('JsonFileCardholderResolver', () => {
  const resolver = JsonFileCardholderResolver.fromFile(SAMPLE_CARDHOLDERS_FILE);

  it('finds the sample Japanese and English cardholders by card', async () => {
    expect(await resolver.resolveByCard('card-jp-0001')).toMatchObject({ locale: 'ja-JP', phoneNumber: '+81 90-1234-5678', panLastFour: '4242' });
    expect(await resolver.resolveByCard('card-gb-0002')).toMatchObject({ locale: 'en-GB', phoneNumber: '+44 7400 123456', panLastFour: '5100' });
    expect(await resolver.resolveByCard('card-none')).toBeNull();
  });

  it('finds a consumer, with the PAN suffix of the card asked for, and refuses a card that is not theirs', async () => {
    // Taro has one card: it is the one enrolled. Emily has two: with none named, no card's digits (either could be).
    expect(await resolver.resolveByConsumer('cons_yamada_taro')).toMatchObject({ panLastFour: '4242' });
    expect(await resolver.resolveByConsumer('cons_emily_clarke')).toEqual(expect.objectContaining({ firstName: 'Emily', panLastFour: undefined }));
    expect(await resolver.resolveByConsumer('cons_emily_clarke', 'card-gb-0002')).toMatchObject({ panLastFour: '5100' });
    expect(await resolver.resolveByConsumer('cons_emily_clarke', 'card-jp-0001')).toBeNull();
    expect(await resolver.resolveByConsumer('cons_nobody')).toBeNull();
  });

  it('answers a card listed twice for one holder with its first entry, and a holder with no card by consumer only', async () => {
    const holders = new JsonFileCardholderResolver([
      { consumerId: 'c1', locale: 'en-GB', cards: [{ issuerCardRefId: 'a', panLastFour: '1111' }, { issuerCardRefId: 'b', panLastFour: '2222' }, { issuerCardRefId: 'a', panLastFour: '3333' }] },
      { consumerId: 'c2', locale: 'ja-JP', cards: [] },
    ]);
    expect(await holders.resolveByConsumer('c1')).toEqual(expect.objectContaining({ panLastFour: undefined }));
    expect(await holders.resolveByConsumer('c1', 'a')).toMatchObject({ panLastFour: '1111' });
    expect(await holders.resolveByConsumer('c1', 'b')).toMatchObject({ panLastFour: '2222' });
    expect(await holders.resolveByConsumer('c2')).toEqual(expect.objectContaining({ locale: 'ja-JP', panLastFour: undefined }));
    expect(await holders.resolveByConsumer('c2', 'a')).toBeNull();
    // By card, a card listed twice answers with its last listing, as a Map filled in file order would.
    expect(await holders.resolveByCard('a')).toMatchObject({ panLastFour: '3333' });
    expect(await holders.resolveByCard('c2')).toBeNull();
    const answer = await holders.resolveByCard('b');
    expect(Object.isFrozen(answer)).toBe(true);
    expect(await holders.resolveByCard('b')).toEqual(answer);
    expect(holders.cards()).toEqual([
      { issuerCardRefId: 'a', panLastFour: '3333', locale: 'en-GB' },
      { issuerCardRefId: 'b', panLastFour: '2222', locale: 'en-GB' },
    ]);
  });

  it('lists every card with its PAN suffix and locale, and nothing else of the holder', () => {
    expect(resolver.cards()).toEqual([
      { issuerCardRefId: 'card-jp-0001', panLastFour: '4242', locale: 'ja-JP' },
      { issuerCardRefId: 'card-gb-0001', panLastFour: '1881', locale: 'en-GB' },
      { issuerCardRefId: 'card-gb-0002', panLastFour: '5100', locale: 'en-GB' },
    ]);
  });

  it('refuses a bad file naming the entries and fields, never their values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cardholders-'));
    try {
      const file = join(dir, 'bad.json');
      writeFileSync(file, JSON.stringify({ cardholders: [{ consumerId: 'bad id!', email: 42, cards: [{ issuerCardRefId: '', panLastFour: '4111111111111111' }] }] }));
      expect(() => JsonFileCardholderResolver.fromFile(file)).toThrow(
        /cardholders\[0\]\.consumerId must match[\s\S]*cardholders\[0\]\.email must be a string[\s\S]*cards\[0\]\.issuerCardRefId must be 1 to 48 characters[\s\S]*cards\[0\]\.panLastFour must be 4 digits/,
      );
      expect(() => JsonFileCardholderResolver.fromFile(file)).not.toThrow(/4111111111111111/);
      // Four digits as a JSON number: named, not a TypeError from the packing that quotes the value.
      writeFileSync(file, JSON.stringify({ cardholders: [{ consumerId: 'c1', cards: [{ issuerCardRefId: 'card-1', panLastFour: 4242 }] }] }));
      expect(() => JsonFileCardholderResolver.fromFile(file)).toThrow(/cards\[0\]\.panLastFour must be 4 digits, as a string/);
      expect(() => JsonFileCardholderResolver.fromFile(file)).not.toThrow(/4242/);
      writeFileSync(file, '{ "cardholders": [ { "phoneNumber": "+81 90 1111 2222" ');
      expect(() => JsonFileCardholderResolver.fromFile(file)).toThrow('CARDHOLDERS_FILE could not be read as JSON (SyntaxError)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
