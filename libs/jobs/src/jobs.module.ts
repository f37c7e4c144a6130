import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions } from './bullmq-connection';
import { Faults } from './faults';
import { JobOutbox } from './job-outbox.repository';
import { FINISHED_JOBS, QUEUES } from './jobs';

const queues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name, defaultJobOptions: FINISHED_JOBS })));

/**
 * BullMQ on the configured Redis, with every queue registered once for whoever enqueues or
 * processes, and the outbox that jobs are written to inside a transaction.
 */
@Module({
  imports: [BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullmqOptions }), queues],
  providers: [JobOutbox, Faults],
  exports: [queues, JobOutbox, Faults],
})
export class JobsModule {}
