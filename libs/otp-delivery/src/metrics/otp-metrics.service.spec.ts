import { Registry } from 'prom-client';
import { OtpDeliveryEvents } from '../delivery/otp-delivery.events.js';
import { MemoryOtpStore } from '../store/memory-otp.store.js';
import { OtpSendControls } from '../limits/otp-send-controls.service.js';
import { OtpMetrics } from './otp-metrics.service.js';
import { resolveMetricsOptions } from './metrics-options.js';
import { resolveOtpDeliveryOptions } from '../options/resolve-options.js';

describe('OtpMetrics', () => {
  it('is a no-op and exposes nothing when disabled (the default)', async () => {
    const metrics = new OtpMetrics(resolveMetricsOptions(undefined), new OtpDeliveryEvents());
    await metrics.onModuleInit();
    metrics.recordRefusal('rate-limited');
    expect(metrics.enabled).toBe(false);
    expect(await metrics.metrics()).toBe('');
  });

  it('counts deliveries, latency and status reports from delivery events', async () => {
    const events = new OtpDeliveryEvents();
    const metrics = new OtpMetrics(resolveMetricsOptions({ enabled: true }), events);
    await metrics.onModuleInit();
    const at = new Date('2026-01-01T00:00:00.000Z');
    const later = (ms: number) => new Date(at.getTime() + ms);
    const base = { channel: 'sms', destinationMasked: '********5678' };
    events.emit({ ...base, type: 'requested', deliveryId: 'd1', at });
    events.emit({ ...base, type: 'sent', deliveryId: 'd1', at: later(300) });
    events.emit({ ...base, type: 'requested', deliveryId: 'd2', at });
    events.emit({ ...base, type: 'failed', deliveryId: 'd2', reason: 'timeout', at: later(4000) });
    events.emit({ ...base, type: 'delivered', deliveryId: 'd1', at: later(9000) });
    events.emit({ ...base, type: 'undelivered', deliveryId: 'd2', at: later(9000) });
    const text = await metrics.metrics();
    expect(text).toContain('otp_delivery_deliveries_total{channel="sms",outcome="sent"} 1');
    expect(text).toContain('otp_delivery_deliveries_total{channel="sms",outcome="failed"} 1');
    expect(text).toContain('otp_delivery_status_reports_total{status="delivered"} 1');
    expect(text).toContain('otp_delivery_status_reports_total{status="undelivered"} 1');
    expect(text).toContain('otp_delivery_provider_latency_seconds_bucket{le="0.5",channel="sms"} 1');
    expect(text).toContain('otp_delivery_provider_latency_seconds_bucket{le="5",channel="sms"} 2');
    expect(text).toContain('otp_delivery_provider_latency_seconds_sum{channel="sms"} 4.3');
    expect(text).not.toContain('5678');
    metrics.onApplicationShutdown();
  });

  it('counts refusals reported by OtpSendControls, in the registry and with the prefix given', async () => {
    const registry = new Registry();
    const options = resolveOtpDeliveryOptions({ metrics: { enabled: true, prefix: 'bank_otp_', registry }, limits: { perCard: { max: 1, windowSeconds: 60 } } });
    const metrics = new OtpMetrics(options.metrics);
    await metrics.onModuleInit();
    const store = new MemoryOtpStore();
    const controls = new OtpSendControls(store, options.limits, options.store, metrics);
    await controls.admit({ cardRef: 'c', destination: '+819012345678', channel: 'sms' });
    await expect(controls.admit({ cardRef: 'c', destination: '+819012345678', channel: 'sms' })).rejects.toThrow('rate-limited');
    await expect(controls.admit({ cardRef: 'd', destination: '+449098765432', channel: 'sms' })).rejects.toThrow('premium-rate');
    store.onApplicationShutdown();
    const text = await registry.metrics();
    expect(text).toContain('bank_otp_rate_limit_refusals_total{reason="rate-limited"} 1');
    expect(text).toContain('bank_otp_rate_limit_refusals_total{reason="premium-rate"} 1');
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it('refuses at boot a registry that is no prom-client Registry, which once failed in a TypeError when the metrics were made', () => {
    const problem = 'metrics.registry must be a prom-client Registry (contentType, metrics(), getSingleMetric(), registerMetric())';
    for (const registry of ['junk', {}, { contentType: 'text/plain', metrics: async () => '' }]) {
      expect(() => resolveOtpDeliveryOptions({ metrics: { enabled: true, registry } })).toThrow(problem);
    }
    expect(() => resolveOtpDeliveryOptions({ metrics: { enabled: true, registry: new Registry() } })).not.toThrow();
  });
});
