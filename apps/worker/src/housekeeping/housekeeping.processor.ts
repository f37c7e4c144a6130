import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { MaintenancePlanner } from '@hallwatch/alerts';
import { QUEUES, takeJob } from '@hallwatch/jobs';
import { NightPatrolTuning } from '../alerts/night-patrol-tuning.service';
import { JobOutcomes } from '../job-outcomes.service';
import { RetentionService } from './retention.service';

/** Slow daily and hourly work (retention, night-patrol tuning, maintenance planning), apart from the alerts queue. */
@Processor(QUEUES.housekeeping, { concurrency: 1 })
export class HousekeepingProcessor extends WorkerHost {
  constructor(
    private readonly retention: RetentionService,
    private readonly tuning: NightPatrolTuning,
    private readonly planner: MaintenancePlanner,
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

  async process(raw: Job): Promise<unknown> {
    const job = takeJob(raw, QUEUES.housekeeping);
    switch (job.name) {
      case 'housekeeping.retention':
        return { deleted: await this.retention.enforce() };
      case 'alerts.tune':
        return { tuned: await this.tuning.tune() };
      case 'maintenance.plan':
        return this.planner.plan(job.data.today);
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.housekeeping}`);
    }
  }
}
