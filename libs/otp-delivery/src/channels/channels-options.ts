import type { InjectionToken, Type } from '@nestjs/common';
import { IsArray, IsOptional, ValidateBy, type ValidationOptions } from 'class-validator';
import { KeepAsIs } from '../options/keep-as-is.decorator.js';
import type { OtpChannel } from './otp-channel.interface.js';

/** A class (DI creates it) or `false`. */
function IsChannelClassOrFalse(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isChannelClassOrFalse', validator: { validate: (value) => value === false || typeof value === 'function' } }, options);
}

/**
 * Which class delivers each channel. The issuer can replace the built-ins or add channels; the
 * classes are created by Nest's DI inside the module, so they can inject the issuer's own providers
 * (from `forRootAsync({ imports })`, `extraProviders` or a global module). A class that is also
 * registered as a provider (e.g. in `extraProviders`) is used as that provider, so its lifecycle
 * hooks run and `overrideProvider(TheClass)` swaps it; otherwise Nest creates a private instance.
 *
 * @example
 * OtpDeliveryModule.forRootAsync({
 *   imports: [SmsGatewayModule],
 *   useFactory: () => ({ channels: { sms: GatewaySmsChannel, extra: [VoiceChannel] } }),
 * })
 */
export class ChannelsOptions {
  /**
   * The SMS channel: the issuer's class instead of the built-in (CM.com Business Messaging), or
   * `false` to switch SMS off.
   * @default the built-in `SmsChannel`
   * @example MySmsGatewayChannel
   */
  @IsOptional()
  @IsChannelClassOrFalse({ message: 'sms must be a channel class or false' })
  @KeepAsIs()
  sms?: Type<OtpChannel> | false;

  /**
   * The email channel: the issuer's class instead of the built-in (SMTP through nodemailer), or
   * `false` to switch email off.
   * @default the built-in `EmailChannel`
   * @example MySesEmailChannel
   */
  @IsOptional()
  @IsChannelClassOrFalse({ message: 'email must be a channel class or false' })
  @KeepAsIs()
  email?: Type<OtpChannel> | false;

  /**
   * More channels deliveries can route to by their `name` (voice, push, ...): classes created
   * through DI, or tokens of providers you registered yourself (e.g. `getChannelToken('voice')`
   * in `extraProviders`, which `overrideProvider` can then swap in tests).
   * @default []
   * @example [VoiceChannel, getChannelToken('push')]
   */
  @IsOptional()
  @IsArray({ message: 'extra must be an array of channel classes or tokens' })
  @KeepAsIs()
  extra?: Array<Type<OtpChannel> | InjectionToken>;
}
