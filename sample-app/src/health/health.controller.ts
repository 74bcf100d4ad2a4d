import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';

/** Kubernetes-style probes: liveness is the process alone, readiness checks the dependencies. */
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthCheckService) {}

  /** Readiness: CM.com, SMTP and the store. */
  @Get()
  @HealthCheck()
  readiness() {
    return this.health.check([]);
  }

  /** Liveness: answers while the event loop runs; no dependency may restart the pod. */
  @Get('live')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }
}
