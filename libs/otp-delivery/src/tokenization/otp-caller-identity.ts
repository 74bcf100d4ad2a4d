/**
 * Who called a tokenization callback, as the caller guard verified it. The per-caller send limit
 * is keyed by `id`, so every verified caller has a budget of its own.
 */
export interface OtpCallerIdentity {
  /**
   * Stable id of the verified caller: the SHA-256 fingerprint of its client certificate with the
   * built-in guard, or whatever a replacement guard (`OTP_CALLER_GUARD`) sets. Never personal data.
   */
  readonly id: string;
  /** The client certificate's subject, when known. */
  readonly subject?: string;
}
