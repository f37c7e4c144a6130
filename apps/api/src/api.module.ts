import { Module } from '@nestjs/common';
import { AuthModule } from '@hallwatch/auth';
import { CoreModule } from '@hallwatch/core';
import { ReadingsModule } from '@hallwatch/readings';
import { RegistryModule } from '@hallwatch/registry';
import { ConsumptionController } from './consumption/consumption.controller';
import { ConsumptionService } from './consumption/consumption.service';
import { DashboardModule } from './dashboard.module';
import { DeadLetterReplay } from './ingest/dead-letter-replay.service';
import { DeadLettersController } from './ingest/dead-letters.controller';
import { LiveGateway } from './live/live.gateway';
import { ReadingsController } from './readings/readings.controller';
import { ReadingsService } from './readings/readings.service';
import { SitesController } from './sites/sites.controller';
import { SitesService } from './sites/sites.service';

/** REST (OpenAPI), the /live socket, and the dashboard's static files. */
@Module({
  imports: [CoreModule, AuthModule, RegistryModule, ReadingsModule, DashboardModule.register()],
  controllers: [SitesController, ReadingsController, ConsumptionController, DeadLettersController],
  providers: [SitesService, ReadingsService, ConsumptionService, LiveGateway, DeadLetterReplay],
})
export class ApiModule {}
