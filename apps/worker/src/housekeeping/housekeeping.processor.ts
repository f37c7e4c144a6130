import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobName, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { RetentionService } from './retention.service';

@Processor(QUEUES.housekeeping)
export class HousekeepingProcessor extends WorkerHost {
  constructor(private readonly retention: RetentionService) {
    super();
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
