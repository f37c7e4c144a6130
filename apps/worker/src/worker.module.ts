import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { AuthModule } from '@hallwatch/auth';
import { CoreModule } from '@hallwatch/core';
import { bullmqOptions, QUEUES } from '@hallwatch/jobs';
import { HousekeepingProcessor } from './housekeeping/housekeeping.processor';
import { HousekeepingScheduler } from './housekeeping/housekeeping.scheduler';
import { RetentionService } from './housekeeping/retention.service';

/** BullMQ processors: work that must survive a crash and be retried. */
@Module({
  imports: [
    CoreModule,
    AuthModule,
    BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullmqOptions }),
    BullModule.registerQueue({ name: QUEUES.housekeeping }),
  ],
  providers: [RetentionService, HousekeepingProcessor, HousekeepingScheduler],
})
export class WorkerModule {}
