import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_SCHEMAS, QUEUES, takeJob } from '@hallwatch/jobs';
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
  async onFailed(job: Job | undefined, error: Error): Promise<void> {
    this.outcomes.record(QUEUES.notifications, job, 'failed');
    const final = job && (error instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1));
    const notificationId = job && JOB_SCHEMAS['notifications.deliver'].safeParse(job.data).data?.notificationId;
    if (final && notificationId) await this.delivery.giveUp(notificationId, error);
  }

  async process(raw: Job): Promise<unknown> {
    const job = takeJob(raw, QUEUES.notifications);
    if (job.name !== 'notifications.deliver') throw new UnrecoverableError(`no handler for job ${job.name} on ${QUEUES.notifications}`);
    try {
      return await this.delivery.deliver(job.data.notificationId);
    } catch (error) {
      throw error instanceof NothingToDeliver ? new UnrecoverableError(error.message) : error;
    }
  }
}
