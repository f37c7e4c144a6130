import { Logger } from '@nestjs/common';
import { Job, UnrecoverableError } from 'bullmq';
import { JOB_QUEUE, JOB_SCHEMAS, JobHandlers, JobName, JobsOn, QueueName, TypedJob } from './jobs';

const logger = new Logger('Jobs');

/**
 * A job as taken from `queue`, its payload validated against its name's schema. A job this queue
 * does not carry, or a payload that does not fit, can never succeed: it fails for good
 * (UnrecoverableError, no retries), logged with its id.
 */
export function takeJob(job: Job, queue: QueueName): TypedJob {
  const name = job.name as JobName;
  if (JOB_QUEUE[name] !== queue) return refuse(job, queue, `no handler for job ${job.name} on ${queue}`);
  const parsed = JOB_SCHEMAS[name].safeParse(job.data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(payload)'}: ${issue.message}`).join('; ');
    return refuse(job, queue, `job ${job.name} has an invalid payload: ${problems}`);
  }
  return { name, data: parsed.data } as TypedJob;
}

/** Takes a job from `queue` (validated as above) and runs its handler. */
export function handleJob<Q extends QueueName>(job: Job, queue: Q, handlers: JobHandlers<Q>): Promise<unknown> {
  const taken = takeJob(job, queue);
  const handler = handlers[taken.name as JobsOn<Q>] as (data: unknown, job: Job) => Promise<unknown>;
  return handler(taken.data, job);
}

function refuse(job: Job, queue: QueueName, reason: string): never {
  logger.error(`job ${job.id ?? '?'} on ${queue} failed for good: ${reason}`);
  throw new UnrecoverableError(reason);
}
