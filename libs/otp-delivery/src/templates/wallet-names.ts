/**
 * Display names of the wallets, keyed by the tokenization service's `walletProviderId`
 * (Thales uses `APPLE_PAY`, `ANDROID_PAY`, `SPAYHCE`; newer feeds say `GOOGLE_PAY`, `SAMSUNG_PAY`).
 */
const WALLET_NAMES: Readonly<Record<string, string>> = {
  APPLE_PAY: 'Apple Pay',
  ANDROID_PAY: 'Google Pay',
  GOOGLE_PAY: 'Google Pay',
  SPAYHCE: 'Samsung Pay',
  SAMSUNG_PAY: 'Samsung Pay',
};

/** What a message says when the wallet is unknown, per language. */
const NEUTRAL_WALLET: Readonly<Record<string, string>> = {
  ja: 'ウォレット',
  en: 'your wallet',
};

/** Longest display name per language: the startup check sizes SMS templates with it. */
export function longestWalletName(language: string): string {
  const names = [...Object.values(WALLET_NAMES), NEUTRAL_WALLET[language] ?? NEUTRAL_WALLET.en];
  return names.reduce((longest, name) => (name.length > longest.length ? name : longest), '');
}

/**
 * The wallet's display name for a `walletProviderId`, or a neutral wording in the message's
 * language when the id is missing or unknown (brand names are not translated).
 *
 * @example walletDisplayName('SPAYHCE', 'ja') // 'Samsung Pay'
 * @example walletDisplayName(undefined, 'ja') // 'ウォレット'
 */
export function walletDisplayName(walletProviderId: string | undefined, locale: string): string {
  const id = walletProviderId?.trim();
  // Any case of the ASCII ids, not the letters `toUpperCase` turns into them (`ſpayhce` is no `SPAYHCE`).
  const known = id && /^[A-Za-z0-9_]+$/.test(id) ? WALLET_NAMES[id.toUpperCase()] : undefined;
  if (known) return known;
  const language = locale.split('-')[0].toLowerCase();
  return NEUTRAL_WALLET[language] ?? NEUTRAL_WALLET.en;
}
