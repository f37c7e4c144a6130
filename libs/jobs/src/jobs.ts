/**
 * Every BullMQ queue and job of Hallwatch, named and typed in one place. Each job has exactly one
 * handler (the worker checks this at start-up); payloads are validated when consumed.
 */
export const QUEUES = { housekeeping: 'housekeeping' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Deletes raw readings past RETENTION_RAW_DAYS where TimescaleDB's retention policy is absent. */
  'housekeeping.retention': { correlationId: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'housekeeping.retention': QUEUES.housekeeping,
};
