import { Test } from '@nestjs/testing';
import { OtpDeliveryEvents, OtpDeliveryModule, OtpMetrics } from 'nestjs-otp-delivery';
import { OtpSendControls } from '../../libs/otp-delivery/src/limits/otp-send-controls.service.js';


describe('OtpMetrics in the module', () => {
  it('collects from the module’s own delivery events and send controls when enabled', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [OtpDeliveryModule.forRoot({ metrics: { enabled: true }, limits: { allowedCountries: ['JP'] } })],
    }).compile();
    await moduleRef.init();
    try {
      const metrics = moduleRef.get(OtpMetrics);
      const at = new Date();
      moduleRef.get(OtpDeliveryEvents).emit({ type: 'sent', deliveryId: 'd1', channel: 'email', destinationMasked: 'ta***@example.com', at });
      await expect(moduleRef.get(OtpSendControls).admit({ cardRef: 'c', destination: '+33612345678', channel: 'sms' })).rejects.toThrow();
      const text = await metrics.metrics();
      expect(text).toContain('otp_delivery_deliveries_total{channel="email",outcome="sent"} 1');
      expect(text).toContain('otp_delivery_rate_limit_refusals_total{reason="country-not-allowed"} 1');
      expect(text).toContain('# TYPE otp_delivery_provider_latency_seconds histogram');
    } finally {
      await moduleRef.close();
    }
  });

  it('stays off by default', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [OtpDeliveryModule.forRoot({})] }).compile();
    await moduleRef.init();
    try {
      expect(moduleRef.get(OtpMetrics).enabled).toBe(false);
      expect(await moduleRef.get(OtpMetrics).metrics()).toBe('');
    } finally {
      await moduleRef.close();
    }
  });
});
