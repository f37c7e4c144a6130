import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Job, UnrecoverableError } from 'bullmq';
import { handleJob, JOB_SCHEMAS, JobHandlers, QUEUES } from '@hallwatch/jobs';
import { JobOutcomes } from '../job-outcomes.service';
import { NotificationDelivery, NothingToDeliver } from './notification-delivery.service';

/** Deliveries, four at a time: a slow receiver does not hold up the others. */
@Processor(QUEUES.notifications, { concurrency: 4 })
export class NotificationsProcessor extends WorkerHost {
  private readonly handlers: JobHandlers<typeof QUEUES.notifications> = {
    'notifications.deliver': async (data) => {
      try {
        return await this.delivery.deliver(data.notificationId);
      } catch (error) {
        throw error instanceof NothingToDeliver ? new UnrecoverableError(error.message) : error;
      }
    },
  };

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

  process(job: Job): Promise<unknown> {
    return handleJob(job, QUEUES.notifications, this.handlers);
  }
}
