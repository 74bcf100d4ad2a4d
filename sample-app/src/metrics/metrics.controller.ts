import { Controller, Get, Header, Res } from '@nestjs/common';
import { OtpMetrics } from 'nestjs-otp-delivery';

/** Prometheus scrape endpoint: deliveries, provider latency, rate-limit refusals, status reports. */
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: OtpMetrics) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }): Promise<string> {
    response.setHeader('content-type', this.metrics.contentType);
    return this.metrics.metrics();
  }
}
