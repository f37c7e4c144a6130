import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';

/** Schedules housekeeping once per installation (a job scheduler is idempotent across workers). */
@Injectable()
export class HousekeepingScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.housekeeping) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: JobPayloads['housekeeping.retention'] = { correlationId: randomUUID() };
    await this.queue.upsertJobScheduler('retention-hourly', { every: 3_600_000 }, { name: 'housekeeping.retention', data });
  }
}
