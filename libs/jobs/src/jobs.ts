/**
 * Every BullMQ queue and job of Hallwatch, named and typed in one place. Each job has exactly one
 * handler (the worker checks this at start-up); payloads are validated when consumed.
 */
export const QUEUES = { housekeeping: 'housekeeping', reports: 'reports', alerts: 'alerts', notifications: 'notifications' } as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export interface JobPayloads {
  /** Deletes raw readings past RETENTION_RAW_DAYS where TimescaleDB's retention policy is absent. */
  'housekeeping.retention': { correlationId: string };
  /** Renders one requested report run (report_runs.id) and stores the file. */
  'reports.generate': { runId: string; correlationId: string };
  /** Hourly: produces the reports of schedules whose period ended on their site's calendar, and e-mails them. `today` (ISO date, for every site) only in tests. */
  'reports.due': { correlationId: string; today?: string };
  /** A rule opened or resolved (found by an evaluator on the ingest stream or on a tick). */
  'alerts.transition': {
    ruleId: string;
    site: string;
    target: string;
    change: { kind: 'open' | 'resolve'; at: number; openedAt: number; value: number | null; detail: string };
  };
  /** Notify an escalation level's contacts of an alert still unacknowledged, then schedule the next level. */
  'alerts.escalate': { alertId: number; level: number };
  /** Remind everyone reached so far while an alert stays unacknowledged. */
  'alerts.repeat': { alertId: number; round: number };
  /** Advance every rule to now: silence (no data) and schedules. */
  'alerts.tick': { correlationId: string };
  /** Re-learn self-tuning thresholds (the night patrol's base load) from recent history. */
  'alerts.tune': { correlationId: string };
  /** Create due maintenance work items and alert on overdue ones, on each site's calendar. `today` (ISO date, for every site) only in tests. */
  'maintenance.plan': { correlationId: string; today?: string };
  /** Deliver one notification (webhook, chat or e-mail); retried with backoff. */
  'notifications.deliver': { notificationId: string };
}
export type JobName = keyof JobPayloads;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  'housekeeping.retention': QUEUES.housekeeping,
  'reports.generate': QUEUES.reports,
  'reports.due': QUEUES.reports,
  'alerts.transition': QUEUES.alerts,
  'alerts.escalate': QUEUES.alerts,
  'alerts.repeat': QUEUES.alerts,
  'alerts.tick': QUEUES.alerts,
  'alerts.tune': QUEUES.alerts,
  'maintenance.plan': QUEUES.alerts,
  'notifications.deliver': QUEUES.notifications,
};
