import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { randomUUID } from 'node:crypto';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';

/** Looks for due scheduled reports every hour (idempotent across workers). */
@Injectable()
export class ReportsScheduler implements OnApplicationBootstrap {
  constructor(@InjectQueue(QUEUES.reports) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    const data: JobPayloads['reports.due'] = { correlationId: randomUUID() };
    await this.queue.upsertJobScheduler(
      'reports-due-hourly',
      { every: 3_600_000 },
      { name: 'reports.due', data, opts: { attempts: 5, backoff: { type: 'exponential', delay: 60_000 } } },
    );
  }
}
