import { Module } from '@nestjs/common';
import { AlertsModule } from '@hallwatch/alerts';
import { AuthModule } from '@hallwatch/auth';
import { CoreModule } from '@hallwatch/core';
import { JobsModule } from '@hallwatch/jobs';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { SavingsModule } from '@hallwatch/savings';
import { AlertRulesController } from './alerts/alert-rules.controller';
import { AlertRulesService } from './alerts/alert-rules.service';
import { AlertsController } from './alerts/alerts.controller';
import { MaintenanceController } from './alerts/maintenance.controller';
import { NotificationSettingsController } from './alerts/notification-settings.controller';
import { ConsumptionController } from './consumption/consumption.controller';
import { ConsumptionService } from './consumption/consumption.service';
import { DashboardModule } from './dashboard.module';
import { DeadLetterReplay } from './ingest/dead-letter-replay.service';
import { DeadLettersController } from './ingest/dead-letters.controller';
import { LiveGateway } from './live/live.gateway';
import { OpcuaBrowseController } from './opcua/opcua-browse.controller';
import { OpcuaBrowseService } from './opcua/opcua-browse.service';
import { ReadingsController } from './readings/readings.controller';
import { ReadingsService } from './readings/readings.service';
import { ReportsController } from './reports/reports.controller';
import { ReportsService } from './reports/reports.service';
import { SavingsAnnotationsService } from './savings/savings-annotations.service';
import { SavingsController } from './savings/savings.controller';
import { SitesController } from './sites/sites.controller';
import { SitesService } from './sites/sites.service';

/** REST (OpenAPI), the /live socket, and the dashboard's static files. */
@Module({
  imports: [CoreModule, AuthModule, RegistryModule, ReadingsModule, SavingsModule, JobsModule, AlertsModule, DashboardModule.register()],
  controllers: [
    SitesController,
    ReadingsController,
    ConsumptionController,
    DeadLettersController,
    ReportsController,
    SavingsController,
    AlertsController,
    AlertRulesController,
    NotificationSettingsController,
    MaintenanceController,
    OpcuaBrowseController,
  ],
  providers: [
    SitesService,
    ReadingsService,
    ConsumptionService,
    LiveGateway,
    DeadLetterReplay,
    ReportsService,
    SavingsAnnotationsService,
    AlertRulesService,
    OpcuaBrowseService,
  ],
})
export class ApiModule {}
