import { IdvMethodsService } from './idv-methods.service.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';
import { UnknownOtpMethodError } from './errors/unknown-otp-method.error.js';
import type { CardholderContact, CardholderContactResolver } from './cardholder-contact-resolver.interface.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import type { OtpDeliveryModuleOptions } from '../options/otp-delivery-module-options.js';
import type { OtpChannel } from '../channels/otp-channel.interface.js';

const taro: CardholderContact = { phoneNumber: '+81 90-1234-5678', email: 'Taro.Yamada@example.jp', locale: 'ja-JP', panLastFour: '4242' };

/** The app's channels by name: only whether one exists matters here, so none may be used. */
function channelsNamed(...names: string[]): ReadonlyMap<string, OtpChannel> {
  const unused = async (): Promise<never> => {
    throw new Error('IdvMethodsService never delivers');
  };
  return new Map(names.map((name) => [name, { name, deliver: unused }]));
}

function service(
  tokenization: Record<string, unknown> = { methodIdSecret: 'k'.repeat(32) },
  resolver?: CardholderContactResolver,
  limits: OtpDeliveryModuleOptions['limits'] = {},
  channels = channelsNamed('sms', 'email'),
) {
  const options = { tokenization, limits, cm: { defaultRegion: 'JP' } };
  const resolved = resolveOtpDeliveryOptions(options);
  return new IdvMethodsService(resolved.tokenization, new OtpSendControls(new MemoryOtpStore(), resolved.limits, resolved.store), channels, resolver);
}

describe('IdvMethodsService', () => {
  it('lists SMS then email with the configured types and masked values', async () => {
    const methods = await service().forCard('card-jp-0001', taro);
    expect(methods.map(({ type, value }) => ({ type, value }))).toEqual([
      { type: 'otpBySMS', value: '********5678' },
      { type: 'otpByEmail', value: 'ta*********@example.jp' },
    ]);
    expect(methods[0]!.id).toMatch(/^s[A-Za-z0-9_-]{16}$/);
    expect(methods[1]!.id).toMatch(/^e[A-Za-z0-9_-]{16}$/);
    expect(JSON.stringify(methods)).not.toContain('1234-5678');
  });

  it('never offers a channel the app switched off, asked for or not', async () => {
    const smsOnly = service(undefined, undefined, {}, channelsNamed('sms'));
    expect((await smsOnly.forCard('card-jp-0001', taro)).map(({ type }) => type)).toEqual(['otpBySMS']);
    expect((await smsOnly.forCard('card-jp-0001', taro, { channels: ['email', 'sms'] })).map(({ type }) => type)).toEqual(['otpBySMS']);
  });

  it('uses the configured type literals', async () => {
    const methods = await service({ methodIdSecret: 's'.repeat(32), idvMethodTypes: { sms: 'TEXT_TO_CARDHOLDER_NUMBER', email: 'EMAIL_TO_CARDHOLDER_ADDRESS' } }).forCard('c', taro);
    expect(methods.map((m) => m.type)).toEqual(['TEXT_TO_CARDHOLDER_NUMBER', 'EMAIL_TO_CARDHOLDER_ADDRESS']);
  });

  it('gives the same ids for the same card, contact and key, whatever the phone formatting', async () => {
    const a = await service().forCard('card-jp-0001', taro);
    const b = await service().forCard('card-jp-0001', { ...taro, phoneNumber: '090-1234-5678', email: 'taro.yamada@example.jp' });
    expect(b.map((m) => m.id)).toEqual(a.map((m) => m.id));
  });

  it('maps an id back to its channel and normalised destination', async () => {
    const idv = service();
    const [sms, email] = await idv.forCard('card-jp-0001', taro);
    expect(idv.resolve('card-jp-0001', sms!.id, taro)).toMatchObject({ channel: 'sms', destination: '+819012345678' });
    expect(idv.resolve('card-jp-0001', email!.id, taro)).toMatchObject({ channel: 'email', destination: 'taro.yamada@example.jp' });
  });

  it('refuses an id of another card, of a changed contact, or of another key', async () => {
    const idv = service();
    const [sms] = await idv.forCard('card-jp-0001', taro);
    expect(() => idv.resolve('card-jp-0002', sms!.id, taro)).toThrow(UnknownOtpMethodError);
    expect(() => idv.resolve('card-jp-0001', sms!.id, { ...taro, phoneNumber: '+81 90-8765-4321' })).toThrow(UnknownOtpMethodError);
    expect(() => service({ methodIdSecret: 'another'.repeat(5) }).resolve('card-jp-0001', sms!.id, taro)).toThrow(UnknownOtpMethodError);
    expect(() => idv.resolve('card-jp-0001', 'nope', null)).toThrow(UnknownOtpMethodError);
  });

  it('leaves out a channel without a usable destination, and can offer SMS only', async () => {
    const idv = service();
    expect((await idv.forCard('c', { phoneNumber: 'not a number', email: 'a@b.example' })).map((m) => m.type)).toEqual(['otpByEmail']);
    expect((await idv.forCard('c', taro, { channels: ['sms'] })).map((m) => m.type)).toEqual(['otpBySMS']);
  });

  it('asks the registered resolver when no contact is given; an unknown card has no methods', async () => {
    const resolver: CardholderContactResolver = {
      resolveByCard: async (ref) => (ref === 'known' ? taro : null),
      resolveByConsumer: async () => null,
    };
    const idv = service(undefined, resolver);
    expect(await idv.forCard('known')).toHaveLength(2);
    expect(await idv.forCard('unknown')).toEqual([]);
  });

  it('offers only methods the fraud controls would send to: no number outside allowedCountries, no fixed line', async () => {
    const strict = (phoneNumber: string) => service(undefined, undefined, { allowedCountries: ['JP'] }).forCard('c', { ...taro, phoneNumber });
    expect((await strict('+81 90-1234-5678')).map((m) => m.type)).toEqual(['otpBySMS', 'otpByEmail']);
    expect((await strict('+1 201-555-0123')).map((m) => m.type)).toEqual(['otpByEmail']);
    expect((await strict('+81 3-1234-5678')).map((m) => m.type)).toEqual(['otpByEmail']);
    expect((await service(undefined, undefined, { requireMobile: false }).forCard('c', { ...taro, phoneNumber: '+81 3-1234-5678' })).map((m) => m.type)).toEqual([
      'otpBySMS',
      'otpByEmail',
    ]);
  });

  it('still maps an id of a method that is no longer offered, so sendOTP answers the refusal (164) rather than 501', async () => {
    const [sms] = await service().forCard('card-jp-0001', taro);
    const strict = service(undefined, undefined, { allowedCountries: ['GB'] });
    expect(strict.resolve('card-jp-0001', sms!.id, taro)).toMatchObject({ channel: 'sms' });
  });

  it('ids carry their channel, so a sendOTP derives only that method; another mark does not map', async () => {
    const idv = service();
    const [sms, email] = await idv.forCard('card-jp-0001', taro);
    expect(idv.resolve('card-jp-0001', email!.id, taro)).toMatchObject({ channel: 'email', checked: { kind: 'email', destination: 'taro.yamada@example.jp' } });
    expect(idv.resolve('card-jp-0001', sms!.id, taro).checked.phone?.e164).toBe('+819012345678');
    expect(() => idv.resolve('card-jp-0001', `e${sms!.id.slice(1)}`, taro)).toThrow(UnknownOtpMethodError);
    expect(() => idv.resolve('card-jp-0001', `x${sms!.id.slice(1)}`, taro)).toThrow(UnknownOtpMethodError);
  });
});
