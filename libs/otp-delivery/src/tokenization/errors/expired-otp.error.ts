/**
 * The platform's code has expired, or has less validity left than
 * `tokenization.minRemainingValiditySeconds`: it is not sent. Answered as Thales `911`.
 */
export class ExpiredOtpError extends Error {
  override readonly name = 'ExpiredOtpError';

  constructor() {
    super('The OTP has expired');
  }
}
