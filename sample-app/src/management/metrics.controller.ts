import { Controller, Get, Header, Inject, Res } from '@nestjs/common';
import { MANAGEMENT_OPTIONS, type ManagementOptions } from './management-options.js';

/**
 * Prometheus scrape endpoint: the whole registry the library and the app fill (deliveries,
 * provider latency, refusals, status reports, dependency gauges, Node's default metrics).
 */
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(MANAGEMENT_OPTIONS) private readonly options: ManagementOptions) {}

  @Get()
  @Header('cache-control', 'no-store')
  async scrape(@Res({ passthrough: true }) response: { setHeader(name: string, value: string): void }): Promise<string> {
    response.setHeader('content-type', this.options.registry.contentType);
    return this.options.registry.metrics();
  }
}
