import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnApplicationShutdown, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import type { OtpChannel } from './otp-channel.interface.js';

type LifecycleHooks = Partial<OnModuleInit & OnApplicationBootstrap & OnModuleDestroy & BeforeApplicationShutdown & OnApplicationShutdown>;

/**
 * The channels of `channels.extra`, resolved once. Nest runs lifecycle hooks on each provider's own
 * value, and an extra channel the module created from a class is no provider's value (it lives in
 * the channel map), so this provider runs that channel's hooks, at the same phases. A channel
 * that is a provider of its own (a token, a class you registered) gets them from Nest.
 */
export class ExtraChannels implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy, BeforeApplicationShutdown, OnApplicationShutdown {
  constructor(
    /** Every extra channel, in the order of `channels.extra`. */
    readonly channels: readonly OtpChannel[],
    /** Those the module created itself: their hooks are run here. */
    private readonly created: readonly OtpChannel[],
  ) {}

  async onModuleInit(): Promise<void> {
    await this.#run((channel) => channel.onModuleInit?.());
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.#run((channel) => channel.onApplicationBootstrap?.());
  }

  async onModuleDestroy(): Promise<void> {
    await this.#run((channel) => channel.onModuleDestroy?.());
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    await this.#run((channel) => channel.beforeApplicationShutdown?.(signal));
  }

  async onApplicationShutdown(signal?: string): Promise<void> {
    await this.#run((channel) => channel.onApplicationShutdown?.(signal));
  }

  /** Like Nest within one module: the hooks of one phase run concurrently. */
  async #run(hook: (channel: LifecycleHooks) => unknown): Promise<void> {
    await Promise.all(this.created.map(async (channel) => hook(channel as LifecycleHooks)));
  }
}
