/** Which engine generates and verifies issuer-side codes, and its security settings. */
export class OtpEngineOptions {}
