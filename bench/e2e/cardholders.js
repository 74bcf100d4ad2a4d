// Synthetic cardholders for load runs: one card and one Japanese mobile number each, written as a
// CARDHOLDERS_FILE for the sample app. The per-card and per-destination limits (default 5 per
// hour) mean each card may be used a few times only, so load runs need many of them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Writes `count` cardholders to a temp file.
 * Answers `{ file, cards: [{ issuerCardRefId, phone00 }] }` (`phone00`: CM's 00-format, for the baseline).
 */
export function writeCardholders(count, { locale = 'en-GB', prefix = 'bench' } = {}) {
  const cardholders = [];
  const cards = [];
  for (let i = 0; i < count; i += 1) {
    // 090-2xxx-xxxx: valid Japanese mobile numbers, one per card.
    const subscriber = String(20_000_000 + i * 7).padStart(8, '0');
    const issuerCardRefId = `${prefix}-card-${i}`;
    cardholders.push({
      consumerId: `${prefix}_consumer_${i}`,
      firstName: 'Bench',
      lastName: `Holder${i}`,
      locale,
      phoneNumber: `+8190${subscriber}`,
      email: `holder${i}@bench.example`,
      cards: [{ issuerCardRefId, panLastFour: String(1000 + (i % 9000)) }],
    });
    cards.push({ issuerCardRefId, phone00: `008190${subscriber}` });
  }
  const dir = mkdtempSync(join(tmpdir(), 'otp-bench-'));
  const file = join(dir, 'cardholders.json');
  writeFileSync(file, JSON.stringify({ cardholders }));
  return { file, dir, cards };
}
