import { Controller, Get, Inject } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { MANAGEMENT_OPTIONS, type ManagementOptions } from './management-options.js';

/**
 * Terminus' decorator without its OpenAPI part: with swagger documentation on, it loads
 * `@nestjs/swagger` when the app starts, and the management routes are not in the document anyway.
 */
const HEALTH_CHECK = { noCache: true, swaggerDocumentation: false };

/**
 * Kubernetes probes. Each answers within `HEALTH_TIMEOUT_MS` (below 1 s by default):
 * - liveness: the process alone; no dependency may restart the pod;
 * - readiness: what this replica needs to answer callbacks, its store (per `STORE_FAIL_MODE`:
 *   down with `closed`, degraded but 200 with `open`), and not shutting down. CM.com and SMTP are
 *   left out on purpose: a provider outage is every replica's, and taking them all out of the load
 *   balancer would also stop `notifyVirtualCardChange` and D1 consumer info, which need neither;
 * - dependencies: CM.com, SMTP and the store, 503 when one is down: for dashboards and alerts,
 *   never for a probe.
 */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(MANAGEMENT_OPTIONS) private readonly options: ManagementOptions,
  ) {}

  /** Readiness, also at `/health`. */
  @Get()
  @HealthCheck(HEALTH_CHECK)
  readinessAlias() {
    return this.readiness();
  }

  @Get('ready')
  @HealthCheck(HEALTH_CHECK)
  readiness() {
    return this.health.check([() => this.serving(), () => this.options.health.checkStore()]);
  }

  @Get('live')
  @HealthCheck(HEALTH_CHECK)
  liveness() {
    return this.health.check([]);
  }

  @Get('dependencies')
  @HealthCheck(HEALTH_CHECK)
  dependencies() {
    const otp = this.options.health;
    return this.health.check([() => otp.checkCm(), () => otp.checkSmtp(), () => otp.checkStore()]);
  }

  /** Down from SIGTERM on, so the load balancer stops sending while the callbacks drain. */
  private serving() {
    const check = this.indicators.check('callbacks');
    return this.options.shutdown.draining ? check.down({ reason: 'shutting down' }) : check.up();
  }
}
