import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { bullmqOptions } from './bullmq-connection';
import { QUEUES } from './jobs';

const queues = BullModule.registerQueue(...Object.values(QUEUES).map((name) => ({ name })));

/** BullMQ on the configured Redis, with every queue registered once for whoever enqueues or processes. */
@Module({
  imports: [BullModule.forRootAsync({ inject: [AppConfig], useFactory: bullmqOptions }), queues],
  exports: [queues],
})
export class JobsModule {}
