/** DI token of the resolved OTP engine options (`ResolvedOtpEngineOptions`), derived once from the validated options. */
export const OTP_ENGINE_OPTIONS = Symbol('OTP_ENGINE_OPTIONS');
