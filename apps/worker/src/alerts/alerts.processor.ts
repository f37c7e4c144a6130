import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { AlertEvaluator, AlertLifecycle } from '@hallwatch/alerts';
import { QUEUES, takeJob } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';

/**
 * Alert transitions, escalations and repeats, and the tick: quick jobs only, so that an alert
 * never waits behind a slow one (tuning and maintenance planning are housekeeping). One job at a
 * time per worker: transitions of a rule are applied in the order they were found.
 */
@Processor(QUEUES.alerts, { concurrency: 1 })
export class AlertsProcessor extends WorkerHost {
  constructor(
    private readonly lifecycle: AlertLifecycle,
    private readonly evaluator: AlertEvaluator,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.alerts, job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.outcomes.record(QUEUES.alerts, job, 'failed');
  }

  async process(raw: Job): Promise<unknown> {
    const job = takeJob(raw, QUEUES.alerts);
    switch (job.name) {
      case 'alerts.transition': {
        const alert = await this.lifecycle.applyTransition(job.data);
        return { alertId: alert?.id ?? null };
      }
      case 'alerts.escalate':
        return this.lifecycle.escalate(job.data.alertId, job.data.level);
      case 'alerts.repeat':
        return this.lifecycle.repeat(job.data.alertId, job.data.round);
      case 'alerts.tick':
        return { changes: await this.evaluator.tick() };
      default:
        throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.alerts}`);
    }
  }
}
