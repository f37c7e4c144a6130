import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, HealthIndicatorResult } from '@nestjs/terminus';
import { AllSites } from './all-sites.decorator';
import { Public } from './public.decorator';
import { HealthRegistry } from './health-registry.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly registry: HealthRegistry,
  ) {}

  /**
   * 200 when every connection of this process is up, 503 when one is not: each connection's name
   * and up or down, nothing more (no addresses, no error texts). No token needed.
   */
  @Public()
  @Get()
  @HealthCheck()
  async check(): Promise<HealthCheckResult> {
    try {
      return statusesOnly(await this.details());
    } catch (error) {
      if (error instanceof ServiceUnavailableException)
        throw new ServiceUnavailableException(statusesOnly(error.getResponse() as HealthCheckResult));
      throw error;
    }
  }

  /**
   * Liveness: 200 while this process answers, whatever its dependencies do. An orchestrator restarts
   * a process whose liveness fails, so a database or broker outage must not fail it: an ingest
   * restarted then would only lose its in-memory state. Readiness is `GET /health`.
   */
  @Public()
  @Get('live')
  live(): { status: 'ok'; uptimeSeconds: number } {
    return { status: 'ok', uptimeSeconds: Math.round(process.uptime()) };
  }

  /** Each connection's details (backend, broker, endpoints, sources offline) and why it is down: a token of every site. */
  @ApiBearerAuth()
  @AllSites()
  @Get('details')
  @HealthCheck()
  details(): Promise<HealthCheckResult> {
    return this.health.check(this.registry.indicators());
  }
}

function statusesOnly(result: HealthCheckResult): HealthCheckResult {
  const only = (part: Partial<HealthIndicatorResult> | undefined): HealthIndicatorResult =>
    Object.fromEntries(Object.entries(part ?? {}).map(([name, indicator]) => [name, { status: indicator!.status }]));
  return { status: result.status, info: only(result.info), error: only(result.error), details: only(result.details) };
}
