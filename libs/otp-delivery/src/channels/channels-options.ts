import type { InjectionToken, Type } from '@nestjs/common';
import { IsArray, IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import type { OtpChannel } from './otp-channel.interface.js';

/** A class (DI creates it) or `false`. */
function IsChannelClassOrFalse(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isChannelClassOrFalse', validator: { validate: (value) => value === false || typeof value === 'function' } }, options);
}

/**
 * Which class delivers each channel. The issuer can replace the built-ins or add channels. A class
 * named here is created once by Nest's DI inside the module, so it can inject the issuer's own
 * providers (from `forRootAsync({ imports })`, `extraProviders` or a global module), and its
 * lifecycle hooks (`onModuleInit`, `onApplicationBootstrap`, `onModuleDestroy`,
 * `beforeApplicationShutdown`, `onApplicationShutdown`) run once each, at Nest's phases, with
 * `forRoot` and `forRootAsync` alike (the factory of `forRootAsync` may name classes the module
 * cannot see in advance, so the module creates them itself rather than registering them).
 *
 * To use a provider of your own instead (e.g. to `overrideProvider` it by class in tests):
 * register it under the channel's token, `{ provide: SMS_CHANNEL, useExisting: MySmsChannel }`,
 * and leave `sms` unset (a class that is both named in `sms`/`email` and registered would be two
 * providers' value and get every hook twice, so the module refuses it at boot). In `extra`, a
 * token or a class you registered is used as that provider, and Nest runs its hooks.
 *
 * @example
 * OtpDeliveryModule.forRootAsync({
 *   imports: [SmsGatewayModule],
 *   useFactory: () => ({ channels: { sms: GatewaySmsChannel, extra: [VoiceChannel] } }),
 * })
 */
export class ChannelsOptions {
  /**
   * The SMS channel: the issuer's class instead of the built-in (CM.com Business Messaging), created
   * by the module through DI (its lifecycle hooks run), or `false` to switch SMS off.
   * @default the built-in `SmsChannel`
   * @example MySmsGatewayChannel
   */
  @IsOptional()
  @IsChannelClassOrFalse({ message: 'sms must be a channel class or false' })
  @KeepAsIs()
  sms?: Type<OtpChannel> | false;

  /**
   * The email channel: the issuer's class instead of the built-in (SMTP through nodemailer), created
   * by the module through DI (its lifecycle hooks run), or `false` to switch email off.
   * @default the built-in `EmailChannel`
   * @example MySesEmailChannel
   */
  @IsOptional()
  @IsChannelClassOrFalse({ message: 'email must be a channel class or false' })
  @KeepAsIs()
  email?: Type<OtpChannel> | false;

  /**
   * More channels deliveries can route to by their `name` (voice, push, ...): classes the module
   * creates through DI (their lifecycle hooks run), or tokens of providers you registered yourself
   * (e.g. `getChannelToken('voice')` in `extraProviders`, which `overrideProvider` can then swap
   * in tests).
   * @default []
   * @example [VoiceChannel, getChannelToken('push')]
   */
  @IsOptional()
  @IsArray({ message: 'extra must be an array of channel classes or tokens' })
  @KeepAsIs()
  extra?: Array<Type<OtpChannel> | InjectionToken>;
}
