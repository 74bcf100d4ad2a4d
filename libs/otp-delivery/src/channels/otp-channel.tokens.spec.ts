import { EMAIL_CHANNEL, getChannelToken, SMS_CHANNEL } from './otp-channel.tokens.js';

describe('channel tokens', () => {
  it('answers the SMS and email tokens for their names, and one stable token per other name', () => {
    expect(getChannelToken('sms')).toBe(SMS_CHANNEL);
    expect(getChannelToken('email')).toBe(EMAIL_CHANNEL);
    expect(getChannelToken('voice')).toBe(getChannelToken('voice'));
    expect(getChannelToken('voice')).not.toBe(getChannelToken('push'));
    expect(typeof getChannelToken('voice')).toBe('symbol');
  });
});
