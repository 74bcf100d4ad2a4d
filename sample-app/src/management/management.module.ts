import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { SandboxConsoleModule } from '../sandbox-console/index.js';
import { DependencyMonitor } from './dependency-monitor.service.js';
import { HealthController } from './health.controller.js';
import { MANAGEMENT_OPTIONS, type ManagementOptions } from './management-options.js';
import { MetricsController } from './metrics.controller.js';

/**
 * The management app, on `MANAGEMENT_PORT` (plain HTTP, for the cluster network): probes
 * (`/health/live`, `/health/ready`, `/health/dependencies`), `/metrics`, and the sandbox console
 * while sandboxes run. The OpenAPI document is added by `serveOpenApiOnDemand`. Nothing here is reachable
 * on the callback port.
 *
 * @example
 * const management = await NestFactory.create(ManagementModule.register({ health: app.get(OtpDeliveryHealthIndicator), ... }));
 */
@Module({})
export class ManagementModule {
  static register(options: ManagementOptions): DynamicModule {
    return {
      module: ManagementModule,
      // Probes fail often by design (a provider outage): the dependency monitor logs each change once instead.
      imports: [TerminusModule.forRoot({ logger: false }), ...(options.sandboxConsole ? [SandboxConsoleModule.register(options.sandboxConsole)] : [])],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: MANAGEMENT_OPTIONS, useValue: options }, DependencyMonitor],
    };
  }
}
