import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Counter } from 'prom-client';
import { MetricsService } from '@hallwatch/core';
import { Job, UnrecoverableError } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { RetentionService } from './retention.service';

@Processor(QUEUES.housekeeping)
export class HousekeepingProcessor extends WorkerHost {
  private readonly jobs: Counter<string>;

  constructor(
    private readonly retention: RetentionService,
    metrics: MetricsService,
  ) {
    super();
    this.jobs = metrics.counter({ name: 'hallwatch_jobs_total', help: 'BullMQ jobs by outcome', labelNames: ['queue', 'name', 'outcome'] });
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.jobs.inc({ queue: QUEUES.housekeeping, name: job.name, outcome: 'completed' });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.jobs.inc({ queue: QUEUES.housekeeping, name: job?.name ?? 'unknown', outcome: 'failed' });
  }

  async process(job: Job<JobPayloads[JobName], unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case 'housekeeping.retention':
        return { deleted: await this.retention.enforce() };
      default:
        throw new UnrecoverableError(`no handler for job ${String(job.name)} on ${QUEUES.housekeeping}`);
    }
  }
}
