/** DI token of the resolved channel choices (`ResolvedChannelsOptions`), derived once from the validated options. */
export const CHANNELS_OPTIONS = Symbol('CHANNELS_OPTIONS');

/** DI token of the resolved email channel options (`ResolvedEmailOptions`), derived once from the validated options. */
export const EMAIL_OPTIONS = Symbol('EMAIL_OPTIONS');

/** DI token of the email channel's transporter (`EmailTransporter | null`), created, with nodemailer, only when email is configured. */
export const EMAIL_TRANSPORTER = Symbol('EMAIL_TRANSPORTER');
