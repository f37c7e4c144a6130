import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';
import { NotificationDelivery, NothingToDeliver } from './notification-delivery.service';

@Processor(QUEUES.notifications, { concurrency: 4 })
export class NotificationsProcessor extends WorkerHost {
  constructor(
    private readonly delivery: NotificationDelivery,
    private readonly outcomes: JobOutcomes,
  ) {
    super();
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.outcomes.record(QUEUES.notifications, job, 'completed');
  }

  @OnWorkerEvent('failed')
  async onFailed(job: Job<JobPayloads['notifications.deliver']> | undefined, error: Error): Promise<void> {
    this.outcomes.record(QUEUES.notifications, job, 'failed');
    const final = job && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1));
    if (final) await this.delivery.giveUp(job.data.notificationId, error);
  }

  async process(job: Job<JobPayloads['notifications.deliver'], unknown, 'notifications.deliver'>): Promise<unknown> {
    if (job.name !== 'notifications.deliver')
      throw new UnrecoverableError(`no handler for job ${String(job.name)} on ${QUEUES.notifications}`);
    try {
      return await this.delivery.deliver(job.data.notificationId);
    } catch (error) {
      throw error instanceof NothingToDeliver ? new UnrecoverableError(error.message) : error;
    }
  }
}
