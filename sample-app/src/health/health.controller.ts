import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { OtpDeliveryHealthIndicator } from 'nestjs-otp-delivery';

/** Kubernetes-style probes: liveness is the process alone, readiness checks the dependencies. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly otp: OtpDeliveryHealthIndicator,
  ) {}

  /** Readiness: CM.com reachable with the token accepted, SMTP, the store (each with a timeout, cached). */
  @Get()
  @HealthCheck()
  readiness() {
    return this.health.check([() => this.otp.checkCm(), () => this.otp.checkSmtp(), () => this.otp.checkStore()]);
  }

  /** Liveness: answers while the event loop runs; no dependency may restart the pod. */
  @Get('live')
  @HealthCheck()
  liveness() {
    return this.health.check([]);
  }
}
