import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { ThrottlerModule } from '@nestjs/throttler';
import { AlertsModule } from '@hallwatch/alerts';
import { AuthModule, signInThrottleOptions } from '@hallwatch/auth';
import { AppConfig } from '@hallwatch/config';
import { CoreModule, RedisService } from '@hallwatch/core';
import { JobsModule } from '@hallwatch/jobs';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { SavingsModule } from '@hallwatch/savings';
import { AlertRulesController } from './alerts/alert-rules.controller';
import { AlertRulesService } from './alerts/alert-rules.service';
import { AlertsController } from './alerts/alerts.controller';
import { AlertsService } from './alerts/alerts.service';
import { AuditController } from './auth/audit.controller';
import { AuditLogService } from './auth/audit-log.service';
import { AuditInterceptor } from './auth/audit.interceptor';
import { AuthController } from './auth/auth.controller';
import { SiteScopeInterceptor } from './auth/site-scope.interceptor';
import { SiteOfService } from './auth/site-of.service';
import { TokensController } from './auth/tokens.controller';
import { UsersController } from './auth/users.controller';
import { MaintenanceController } from './alerts/maintenance.controller';
import { MaintenanceService } from './alerts/maintenance.service';
import { NotificationSettingsController } from './alerts/notification-settings.controller';
import { NotificationSettingsService } from './alerts/notification-settings.service';
import { ConsumptionController } from './consumption/consumption.controller';
import { ConsumptionService } from './consumption/consumption.service';
import { CoverageRepository } from './consumption/coverage.repository';
import { DemoHistoryRepository } from './consumption/demo-history.repository';
import { OverviewService } from './consumption/overview.service';
import { DashboardModule } from './dashboard.module';
import { DeadLetterReplay } from './ingest/dead-letter-replay.service';
import { DeadLettersController } from './ingest/dead-letters.controller';
import { DeadLettersService } from './ingest/dead-letters.service';
import { LiveGateway } from './live/live.gateway';
import { OpcuaBrowseController } from './opcua/opcua-browse.controller';
import { OpcuaBrowseService } from './opcua/opcua-browse.service';
import { ReadingsController } from './readings/readings.controller';
import { CorrectionsController } from './readings/corrections.controller';
import { ReadingsService } from './readings/readings.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SavingsAnnotationsService } from './savings/savings-annotations.service';
import { SavingsController } from './savings/savings.controller';
import { SitesController } from './sites/sites.controller';
import { SitesService } from './sites/sites.service';
import { FloorPlansController } from './floor-plans/floor-plans.controller';
import { FloorPlansRepository } from './floor-plans/floor-plans.repository';
import { FloorPlansService } from './floor-plans/floor-plans.service';
import { HaystackModule } from './haystack/haystack.module';

/** REST (OpenAPI), the /live socket, and the dashboard's static files. */
@Module({
  imports: [
    CoreModule,
    AuthModule,
    ThrottlerModule.forRootAsync({ inject: [AppConfig, RedisService], useFactory: signInThrottleOptions }),
    RegistryModule,
    ReadingsModule,
    SavingsModule,
    JobsModule,
    AlertsModule,
    DashboardModule.register(),
    HaystackModule,
  ],
  controllers: [
    AuthController,
    UsersController,
    TokensController,
    AuditController,
    SitesController,
    ReadingsController,
    CorrectionsController,
    ConsumptionController,
    DeadLettersController,
    ReportsController,
    SavingsController,
    AlertsController,
    AlertRulesController,
    NotificationSettingsController,
    MaintenanceController,
    OpcuaBrowseController,
    FloorPlansController,
  ],
  providers: [
    SitesService,
    ReadingsService,
    ConsumptionService,
    OverviewService,
    CoverageRepository,
    DemoHistoryRepository,
    LiveGateway,
    DeadLetterReplay,
    DeadLettersService,
    AuditLogService,
    ReportsService,
    SavingsAnnotationsService,
    AlertRulesService,
    AlertsService,
    NotificationSettingsService,
    MaintenanceService,
    OpcuaBrowseService,
    SiteOfService,
    FloorPlansService,
    FloorPlansRepository,
    // Audit outside scope: a change refused for its site is on record as a failed attempt.
    { provide: APP_INTERCEPTOR, useClass: AuditInterceptor },
    { provide: APP_INTERCEPTOR, useClass: SiteScopeInterceptor },
  ],
})
export class ApiModule {}
