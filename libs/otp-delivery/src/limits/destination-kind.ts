/**
 * What a channel sends to, so the one send path can check a destination for its channel:
 * `phone` (parsed, vetted against the fraud rules, sent in E.164), `email` (one plain address) or
 * `any` (an issuer's channel with its own addressing: counted as given, not parsed).
 */
export type OtpDestinationKind = 'phone' | 'email' | 'any';

/**
 * The kind of a channel's destinations: the channel's own `destinationKind` when it declares one,
 * else by its name (`sms` sends to phones, `email` to addresses), else `any`.
 */
export function destinationKindOf(channelName: string, declared?: OtpDestinationKind): OtpDestinationKind {
  if (declared) return declared;
  if (channelName === 'sms') return 'phone';
  if (channelName === 'email') return 'email';
  return 'any';
}
