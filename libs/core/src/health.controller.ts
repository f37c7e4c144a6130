import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from './public.decorator';
import { HealthRegistry } from './health-registry.service';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly registry: HealthRegistry,
  ) {}

  /** 200 when every connection of this process is up, 503 naming the ones that are not. No token needed. */
  @Public()
  @Get()
  @HealthCheck()
  check() {
    return this.health.check(this.registry.indicators());
  }
}
