import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { AlertEvaluator, AlertLifecycle } from '@hallwatch/alerts';
import { handleJob, JobHandlers, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';

/**
 * Alert transitions, escalations and repeats, and the tick: quick jobs only, so that an alert
 * never waits behind a slow one (tuning and maintenance planning are housekeeping). One job at a
 * time per worker: transitions of a rule are applied in the order they were found.
 */
@Processor(QUEUES.alerts, { concurrency: 1 })
export class AlertsProcessor extends WorkerHost {
  private readonly handlers: JobHandlers<typeof QUEUES.alerts>;

  constructor(
    lifecycle: AlertLifecycle,
    evaluator: AlertEvaluator,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
    this.handlers = {
      'alerts.transition': async (data) => ({ alertId: (await lifecycle.applyTransition(data))?.id ?? null }),
      'alerts.escalate': (data) => lifecycle.escalate(data.alertId, data.level),
      'alerts.repeat': (data) => lifecycle.repeat(data.alertId, data.round),
      'alerts.tick': async () => ({ changes: await evaluator.tick() }),
    };
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.alerts, job, 'completed');
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined): void {
    this.outcomes.record(QUEUES.alerts, job, 'failed');
  }

  process(job: Job): Promise<unknown> {
    return handleJob(job, QUEUES.alerts, this.handlers);
  }
}
