import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { MaintenancePlanner } from '@hallwatch/alerts';
import { handleJob, JobHandlers, QUEUES } from '@hallwatch/jobs';
import { NightPatrolTuning } from '../alerts/night-patrol-tuning.service';
import { JobOutcomes } from '../job-outcomes.service';
import { RetentionService } from './retention.service';

/** Slow daily and hourly work (retention, night-patrol tuning, maintenance planning), apart from the alerts queue. */
@Processor(QUEUES.housekeeping, { concurrency: 1 })
export class HousekeepingProcessor extends WorkerHost {
  private readonly handlers: JobHandlers<typeof QUEUES.housekeeping>;

  constructor(
    retention: RetentionService,
    tuning: NightPatrolTuning,
    planner: MaintenancePlanner,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
    this.handlers = {
      'housekeeping.retention': async () => ({ deleted: await retention.enforce() }),
      'alerts.tune': async () => ({ tuned: await tuning.tune() }),
      'maintenance.plan': (data) => planner.plan(data.today),
    };
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.housekeeping, job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.outcomes.record(QUEUES.housekeeping, job, 'failed');
  }

  process(job: Job): Promise<unknown> {
    return handleJob(job, QUEUES.housekeeping, this.handlers);
  }
}
