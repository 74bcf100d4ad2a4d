import { toD1ConsumerInfo } from './d1-consumer-info.js';

describe('toD1ConsumerInfo', () => {
  it('maps the contact onto consumerInfo with the calling code and national number split', () => {
    expect(
      toD1ConsumerInfo({ locale: 'ja_jp', firstName: 'Taro', lastName: 'Yamada', email: 'taro@example.jp', phoneNumber: '+81 90-1234-5678', panLastFour: '4242' }),
    ).toEqual({ language: 'ja-JP', firstName: 'Taro', lastName: 'Yamada', email: 'taro@example.jp', mobilePhoneNumber: { countryCode: '81', phoneNumber: '9012345678' } });
  });
  it('leaves out what is unknown or unusable', () => {
    expect(toD1ConsumerInfo({ locale: 'en', phoneNumber: 'n/a' })).toEqual({});
    // An address no email could reach is left out as an unusable phone is; a usable one goes as written.
    expect(toD1ConsumerInfo({ email: 'not an email' })).toEqual({});
    expect(toD1ConsumerInfo({ email: ' Taro.Yamada@Example.jp ' })).toEqual({ email: 'Taro.Yamada@Example.jp' });
    expect(toD1ConsumerInfo({ phoneNumber: '07911 123456' }, 'GB')).toEqual({ mobilePhoneNumber: { countryCode: '44', phoneNumber: '7911123456' } });
  });
});
