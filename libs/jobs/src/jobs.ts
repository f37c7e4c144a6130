import { Job, JobsOptions } from 'bullmq';
import { z } from 'zod';

/**
 * Every BullMQ queue and job of Hallwatch, named, typed and validated in one place. Each job has
 * exactly one handler (JobHandlers, checked by the compiler); payloads are validated when taken.
 *
 * Queues are cut by how long their jobs take, so that an alert never waits behind a slow job:
 * `alerts` (transitions, escalations, repeats, the tick) and `notifications` are quick; `reports`
 * and `housekeeping` (tuning, maintenance planning, retention) may take minutes.
 */
export const QUEUES = {
  alerts: 'alerts',
  notifications: 'notifications',
  reports: 'reports',
  housekeeping: 'housekeeping',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

const correlated = z.object({ correlationId: z.string().min(1) });
/** A controlled "today" (ISO date, for every site), only in tests. */
const today = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional();

export const JOB_SCHEMAS = {
  /** Deletes raw readings past RETENTION_RAW_DAYS where TimescaleDB's retention policy is absent. */
  'housekeeping.retention': correlated,
  /** Renders one requested report run (report_runs.id) and stores the file. */
  'reports.generate': z.object({ runId: z.string().uuid(), correlationId: z.string().min(1) }),
  /** Hourly: produces the reports of schedules whose period ended on their site's calendar, and e-mails them. */
  'reports.due': correlated.extend({ today }),
  /** A rule opened or resolved (found by an evaluator on the ingest stream or on a tick). */
  'alerts.transition': z.object({
    ruleId: z.string().min(1),
    site: z.string().min(1),
    target: z.string().min(1),
    change: z.object({
      kind: z.enum(['open', 'resolve']),
      at: z.number().finite(),
      openedAt: z.number().finite(),
      value: z.number().nullable(),
      detail: z.string(),
      /** What the conditions found (libs/alerts breachSchema), for the alert's text in each language. */
      breaches: z.array(z.object({}).passthrough()).optional(),
      reopened: z.boolean().optional(),
      reason: z.enum(['cleared', 'not-running', 'unoccupied', 'outside-schedule']).optional(),
    }),
  }),
  /** Notify an escalation level's contacts of an alert still unacknowledged, then schedule the next level. */
  'alerts.escalate': z.object({ alertId: z.number().int().positive(), level: z.number().int().min(0) }),
  /** Remind everyone reached so far while an alert stays unacknowledged. */
  'alerts.repeat': z.object({ alertId: z.number().int().positive(), round: z.number().int().min(1) }),
  /** Advance every rule to now: silence (no data) and schedules. */
  'alerts.tick': correlated,
  /** Re-learn self-tuning thresholds (the night patrol's base load) from recent history. */
  'alerts.tune': correlated,
  /** Create due maintenance work items and alert on overdue ones, on each site's calendar. */
  'maintenance.plan': correlated.extend({ today }),
  /** Deliver one notification (webhook, chat or e-mail); retried with backoff. */
  'notifications.deliver': z.object({ notificationId: z.string().uuid() }),
} as const;

export type JobName = keyof typeof JOB_SCHEMAS;
export type JobPayloads = { [N in JobName]: z.infer<(typeof JOB_SCHEMAS)[N]> };
/** A job as its handler sees it: the name decides the payload's type. */
export type TypedJob = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];

export const JOB_QUEUE = {
  'housekeeping.retention': QUEUES.housekeeping,
  'reports.generate': QUEUES.reports,
  'reports.due': QUEUES.reports,
  'alerts.transition': QUEUES.alerts,
  'alerts.escalate': QUEUES.alerts,
  'alerts.repeat': QUEUES.alerts,
  'alerts.tick': QUEUES.alerts,
  'alerts.tune': QUEUES.housekeeping,
  'maintenance.plan': QUEUES.housekeeping,
  'notifications.deliver': QUEUES.notifications,
} as const satisfies Record<JobName, QueueName>;

/** The jobs a queue carries. */
export type JobsOn<Q extends QueueName> = { [N in JobName]: (typeof JOB_QUEUE)[N] extends Q ? N : never }[JobName];
/** A queue's processor: one handler for each of its jobs, no more, no less (the compiler checks). */
export type JobHandlers<Q extends QueueName> = { [N in JobsOn<Q>]: (data: JobPayloads[N], job: Job) => Promise<unknown> };

/**
 * Finished jobs are kept a day (at most 1,000) and failed ones a week (at most 5,000) for
 * inspection, then Redis forgets them. Nothing relies on them for de-duplication: that is the
 * database's job (unique keys on the outbox and on notifications).
 */
export const FINISHED_JOBS = {
  removeOnComplete: { age: 86_400, count: 1000 },
  removeOnFail: { age: 7 * 86_400, count: 5000 },
} as const satisfies Pick<JobsOptions, 'removeOnComplete' | 'removeOnFail'>;

/** Retries of the jobs that are relayed from the outbox. */
export const JOB_RETRIES: Partial<Record<JobName, Pick<JobsOptions, 'attempts' | 'backoff'>>> = {
  'alerts.escalate': { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  'alerts.repeat': { attempts: 10, backoff: { type: 'exponential', delay: 1000 } },
  'notifications.deliver': { attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
  'reports.generate': { attempts: 3, backoff: { type: 'exponential', delay: 5000 } },
};
