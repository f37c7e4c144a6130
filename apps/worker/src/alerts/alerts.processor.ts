import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { AlertEvaluator, AlertLifecycle, MaintenancePlanner } from '@hallwatch/alerts';
import { JobName, JobPayloads, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';
import { NightPatrolTuning } from './night-patrol-tuning.service';

type AlertJobName = 'alerts.transition' | 'alerts.escalate' | 'alerts.repeat' | 'alerts.tick' | 'alerts.tune' | 'maintenance.plan';

/**
 * Alert transitions, escalations and repeats, the tick, tuning and maintenance planning. One job
 * at a time per worker: transitions of a rule are applied in the order they were found.
 */
@Processor(QUEUES.alerts, { concurrency: 1 })
export class AlertsProcessor extends WorkerHost {
  constructor(
    private readonly lifecycle: AlertLifecycle,
    private readonly evaluator: AlertEvaluator,
    private readonly planner: MaintenancePlanner,
    private readonly tuning: NightPatrolTuning,
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

  async process(job: Job<JobPayloads[AlertJobName], unknown, JobName>): Promise<unknown> {
    switch (job.name) {
      case 'alerts.transition': {
        const alert = await this.lifecycle.applyTransition(job.data as JobPayloads['alerts.transition']);
        return { alertId: alert?.id ?? null };
      }
      case 'alerts.escalate': {
        const { alertId, level } = job.data as JobPayloads['alerts.escalate'];
        return this.lifecycle.escalate(alertId, level);
      }
      case 'alerts.repeat': {
        const { alertId, round } = job.data as JobPayloads['alerts.repeat'];
        return this.lifecycle.repeat(alertId, round);
      }
      case 'alerts.tick':
        return { changes: await this.evaluator.tick() };
      case 'alerts.tune':
        return { tuned: await this.tuning.tune() };
      case 'maintenance.plan':
        return this.planner.plan((job.data as JobPayloads['maintenance.plan']).today);
      default:
        throw new UnrecoverableError(`no handler for job ${String(job.name)} on ${QUEUES.alerts}`);
    }
  }
}
