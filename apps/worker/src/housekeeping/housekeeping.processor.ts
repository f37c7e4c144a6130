import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';
import { RetentionService } from './retention.service';

@Processor(QUEUES.housekeeping)
export class HousekeepingProcessor extends WorkerHost {
  constructor(
    private readonly retention: RetentionService,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.housekeeping, job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.outcomes.record(QUEUES.housekeeping, job, 'failed');
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
