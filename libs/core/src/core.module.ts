import { Global, Module, OnModuleInit } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ConfigModule } from '@hallwatch/config';
import { Database, DatabaseModule } from '@hallwatch/db';
import { AllSitesInterceptor } from './all-sites.interceptor';
import { HealthController } from './health.controller';
import { HealthRegistry } from './health-registry.service';
import { HttpMetricsInterceptor } from './http-metrics.interceptor';
import { LoggerModule } from './logger.module';
import { MetricsController } from './metrics.controller';
import { MetricsService } from './metrics.service';
import { RedisService } from './redis.service';

/**
 * What every Hallwatch process has: configuration, logs, the database, Redis, metrics and health.
 * Each app's root module imports it; composed into standalone it exists once.
 */
@Global()
@Module({
  imports: [ConfigModule, LoggerModule, DatabaseModule, TerminusModule],
  controllers: [HealthController, MetricsController],
  providers: [
    HealthRegistry,
    MetricsService,
    RedisService,
    { provide: APP_INTERCEPTOR, useClass: HttpMetricsInterceptor },
    { provide: APP_INTERCEPTOR, useClass: AllSitesInterceptor },
  ],
  exports: [HealthRegistry, MetricsService, RedisService],
})
export class CoreModule implements OnModuleInit {
  constructor(
    private readonly health: HealthRegistry,
    private readonly db: Database,
  ) {}

  onModuleInit(): void {
    this.health.register({
      name: 'database',
      check: async () => {
        await this.db.query('select 1');
        return { backend: this.db.backend, timescaledb: this.db.capabilities.timescaledb };
      },
    });
  }
}
