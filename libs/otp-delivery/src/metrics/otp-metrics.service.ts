import { Inject, Injectable, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import type { Counter, Histogram, Registry } from 'prom-client';
import { OtpDeliveryConfigError } from '../options/otp-delivery-config.error.js';
import { OtpDeliveryEvents } from '../delivery/otp-delivery.events.js';
import type { OtpDeliveryEvent } from '../delivery/otp-delivery-event.interface.js';
import type { ResolvedMetricsOptions } from './metrics-options.js';
import { METRICS_OPTIONS } from './metrics.constants.js';

/** Outcome label of `deliveries_total`. */
export type OtpDeliveryOutcome = 'sent' | 'failed';

interface Instruments {
  readonly registry: Registry;
  readonly deliveries: Counter<'channel' | 'outcome'>;
  readonly refusals: Counter<'reason'>;
  readonly statusReports: Counter<'status'>;
  readonly latency: Histogram<'channel'>;
  readonly callbackAnswers: Counter<'callback' | 'status' | 'response_code'>;
  readonly storeErrors: Counter<'operation'>;
  readonly idempotentRepeats: Counter<'callback'>;
}

/** Requests waiting for their sent/failed event, for the latency histogram; oldest forgotten first. */
const PENDING_LIMIT = 10_000;

/**
 * Prometheus metrics of the module, fed by `OtpDeliveryEvents.events$` (deliveries, provider
 * latency, status reports) and by `OtpSendControls` (refusals):
 * - `<prefix>deliveries_total{channel,outcome}` (`outcome`: `sent` | `failed`)
 * - `<prefix>rate_limit_refusals_total{reason}` (the `OtpSendRefusedError` reasons)
 * - `<prefix>status_reports_total{status}` (`delivered` | `undelivered`)
 * - `<prefix>provider_latency_seconds{channel}` (from `requested` to `sent`/`failed`)
 * - `<prefix>callback_answers_total{callback,status,response_code}`: every answer of a tokenization
 *   callback (`sendOTP`, `notifyVirtualCardChange`, `d1ConsumerInfo`, `d1DeliverOtp`, `statusReports`),
 *   921 and refusals included (`response_code` is `none` for answers without one); not a body the
 *   parser refused before routing (`MalformedBodyFilter`'s 112 / 413)
 * - `<prefix>store_errors_total{operation}`: store commands that failed (Redis down, unreachable, too slow)
 * - `<prefix>idempotent_repeats_total{callback}`: repeated callbacks answered from the first one's outcome
 * Labels never hold a destination, a card or a code. With `metrics.enabled` false (the default)
 * every method is a no-op and prom-client is never loaded.
 *
 * @example
 * // the app's metrics controller
 * @Get('metrics') async metrics(@Res() res: Response) {
 *   res.type(this.otpMetrics.contentType).send(await this.otpMetrics.metrics());
 * }
 */
@Injectable()
export class OtpMetrics implements OnModuleInit, OnApplicationShutdown {
  private readonly options: ResolvedMetricsOptions;
  private instruments?: Instruments;
  private subscription?: Subscription;
  private readonly pending = new Map<string, number>();

  /** @internal Created by Nest's DI. */
  constructor(
    @Inject(METRICS_OPTIONS) options: ResolvedMetricsOptions,
    @Optional() private readonly events?: OtpDeliveryEvents,
  ) {
    this.options = options;
  }

  /** Loads prom-client (only when enabled), registers the metrics and subscribes to delivery events. */
  async onModuleInit(): Promise<void> {
    if (!this.options.enabled || this.instruments) return;
    const prom = await loadPromClient();
    // The option is typed structurally (see MetricsRegistry); it is a prom-client Registry.
    const registry = (this.options.registry as Registry | undefined) ?? new prom.Registry();
    const name = (metric: string) => `${this.options.prefix}${metric}`;
    this.instruments = {
      registry,
      deliveries: existing(registry, name('deliveries_total')) ??
        new prom.Counter({ name: name('deliveries_total'), help: 'OTP deliveries by channel and outcome', labelNames: ['channel', 'outcome'], registers: [registry] }),
      refusals: existing(registry, name('rate_limit_refusals_total')) ??
        new prom.Counter({ name: name('rate_limit_refusals_total'), help: 'OTP sends refused by the fraud and rate controls, by reason', labelNames: ['reason'], registers: [registry] }),
      statusReports: existing(registry, name('status_reports_total')) ??
        new prom.Counter({ name: name('status_reports_total'), help: 'Delivery status reports received, by status', labelNames: ['status'], registers: [registry] }),
      latency: existing(registry, name('provider_latency_seconds')) ??
        new prom.Histogram({
          name: name('provider_latency_seconds'),
          help: 'Time from a delivery request to the provider accepting or refusing it',
          labelNames: ['channel'],
          buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
          registers: [registry],
        }),
      callbackAnswers: existing(registry, name('callback_answers_total')) ??
        new prom.Counter({
          name: name('callback_answers_total'),
          help: 'Answers of the tokenization callbacks, by callback, HTTP status and Thales responseCode',
          labelNames: ['callback', 'status', 'response_code'],
          registers: [registry],
        }),
      storeErrors: existing(registry, name('store_errors_total')) ??
        new prom.Counter({ name: name('store_errors_total'), help: 'Store commands that failed (down, unreachable, too slow), by operation', labelNames: ['operation'], registers: [registry] }),
      idempotentRepeats: existing(registry, name('idempotent_repeats_total')) ??
        new prom.Counter({ name: name('idempotent_repeats_total'), help: "Repeated callbacks answered from the first one's outcome, by callback", labelNames: ['callback'], registers: [registry] }),
    };
    this.subscription = this.events?.events$.subscribe((event) => this.onEvent(event));
  }

  /** Unsubscribes once the HTTP server has drained, so deliveries finished during shutdown are counted. */
  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }

  /** Whether metrics are collected (`metrics.enabled` and initialised). */
  get enabled(): boolean {
    return this.instruments !== undefined;
  }

  /** The `Content-Type` of `metrics()`'s answer. */
  get contentType(): string {
    return this.instruments?.registry.contentType ?? 'text/plain; version=0.0.4; charset=utf-8';
  }

  /** The registry's text exposition for a `/metrics` route; empty when metrics are disabled. */
  async metrics(): Promise<string> {
    return this.instruments ? this.instruments.registry.metrics() : '';
  }

  /** @internal Counts one delivery outcome (called for you from delivery events). */
  recordDelivery(channel: string, outcome: OtpDeliveryOutcome): void {
    this.instruments?.deliveries.inc({ channel, outcome });
  }

  /** @internal Counts one refused send (`OtpSendControls` calls it). */
  recordRefusal(reason: string): void {
    this.instruments?.refusals.inc({ reason });
  }

  /** @internal Counts one status report (called for you from delivered/undelivered events). */
  recordStatusReport(status: string): void {
    this.instruments?.statusReports.inc({ status });
  }

  /** @internal Counts one answer of a tokenization callback (the callbacks call it). */
  recordCallbackAnswer(callback: string, status: number, responseCode?: number): void {
    this.instruments?.callbackAnswers.inc({ callback, status: String(status), response_code: responseCode === undefined ? 'none' : String(responseCode) });
  }

  /** @internal Counts one failed store command (the store calls it). */
  recordStoreError(operation: string): void {
    this.instruments?.storeErrors.inc({ operation });
  }

  /** @internal Counts one repeated callback answered from the first one's outcome (the callbacks call it). */
  recordIdempotentRepeat(callback: string): void {
    this.instruments?.idempotentRepeats.inc({ callback });
  }

  /** @internal Observes one provider round trip (called for you from delivery events). */
  observeProviderLatency(channel: string, seconds: number): void {
    this.instruments?.latency.observe({ channel }, seconds);
  }

  private onEvent(event: OtpDeliveryEvent): void {
    switch (event.type) {
      case 'requested':
        if (this.pending.size >= PENDING_LIMIT) this.pending.delete(this.pending.keys().next().value as string);
        this.pending.set(event.deliveryId, event.at.getTime());
        return;
      case 'sent':
      case 'failed': {
        this.recordDelivery(event.channel, event.type);
        const started = this.pending.get(event.deliveryId);
        if (started !== undefined) {
          this.pending.delete(event.deliveryId);
          this.observeProviderLatency(event.channel, Math.max(0, event.at.getTime() - started) / 1000);
        }
        return;
      }
      case 'delivered':
      case 'undelivered':
        this.recordStatusReport(event.type);
        return;
    }
  }
}

type PromClient = typeof import('prom-client');

/** prom-client is an optional peer: loaded on demand, with a clear message when it is missing. */
async function loadPromClient(): Promise<PromClient> {
  try {
    const loaded = (await import('prom-client')) as PromClient & { default?: PromClient };
    return loaded.default ?? loaded;
  } catch {
    throw new OtpDeliveryConfigError(['metrics.enabled needs the prom-client package: npm install prom-client']);
  }
}

/** A metric already registered under this name (a second app instance sharing the registry). */
function existing<T>(registry: Registry, name: string): T | undefined {
  return registry.getSingleMetric(name) as T | undefined;
}
