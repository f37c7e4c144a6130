import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DomainError } from '@hallwatch/core';
import { JobPayloads, QUEUES } from '@hallwatch/jobs';
import { LivePublisher } from '@hallwatch/live';
import { AlertRulesRepository } from './alert-rules.repository';
import { transitionJobId } from './alert-evaluator.service';
import { Alert, AlertsRepository, OpenAlert } from './alerts.repository';
import { NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationReason, NotificationsRepository } from './notifications.repository';
import { SEVERITIES } from './rules';

/** A transition arrived before the open it resolves was applied: retry it later. */
export class TransitionOutOfOrder extends Error {}

/**
 * The alert lifecycle: open (or repeat) → acknowledged → resolved, with every change recorded,
 * pushed to /live, and the notifications and escalations it calls for queued as BullMQ jobs.
 */
@Injectable()
export class AlertLifecycle {
  private readonly logger = new Logger(AlertLifecycle.name);

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly rules: AlertRulesRepository,
    private readonly settings: NotificationSettingsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly live: LivePublisher,
    @InjectQueue(QUEUES.alerts) private readonly alertsQueue: Queue,
    @InjectQueue(QUEUES.notifications) private readonly notificationsQueue: Queue,
  ) {}

  async applyTransition(payload: JobPayloads['alerts.transition']): Promise<Alert | undefined> {
    const { ruleId, site, target, change } = payload;
    if (change.kind === 'open') {
      const stored = await this.rules.find(ruleId);
      const rule = stored?.rule;
      return (
        await this.open(
          {
            ruleId,
            site,
            target,
            severity: rule?.severity ?? 'P3',
            title: rule?.message ?? rule?.name ?? ruleId,
            detail: change.detail,
            value: change.value,
            at: change.at,
          },
          `rule ${ruleId}`,
        )
      ).alert;
    }
    const current = await this.alerts.unresolved(ruleId, target);
    if (!current) {
      // Its open may still be waiting in the queue (another worker, a retry): resolve after it.
      const open = await this.alertsQueue.getJob(transitionJobId(ruleId, 'open', change.openedAt));
      if (open && !(await open.isCompleted()) && !(await open.isFailed()))
        throw new TransitionOutOfOrder(`rule ${ruleId}: resolve before its open`);
      return undefined;
    }
    return this.resolve(current.id, `rule ${ruleId}`, new Date(change.at), change.detail);
  }

  async open(alert: OpenAlert, actor: string): Promise<{ alert: Alert; created: boolean }> {
    const result = await this.alerts.open(alert, actor);
    this.publish(result.alert);
    if (result.created) await this.startEscalation(result.alert);
    return result;
  }

  async acknowledge(id: number, by: string, note?: string): Promise<Alert> {
    const alert = await this.alerts.acknowledge(id, by, note);
    if (!alert) throw await this.cannot(id, 'acknowledge', 'only an open alert can be acknowledged');
    this.publish(alert);
    return alert;
  }

  async resolve(id: number, by: string, at = new Date(), note?: string): Promise<Alert> {
    const alert = await this.alerts.resolve(id, by, at, note);
    if (!alert) throw await this.cannot(id, 'resolve', 'it is resolved already');
    this.publish(alert);
    const reached = await this.notifications.contactsReached(id);
    await this.notify(alert, reached, 'resolved', alert.escalationLevel);
    return alert;
  }

  async assign(id: number, by: string, assignee: string): Promise<Alert> {
    const alert = await this.alerts.assign(id, by, assignee);
    if (!alert) throw await this.cannot(id, 'assign', 'it is resolved');
    this.publish(alert);
    return alert;
  }

  async shelve(id: number, by: string, minutes: number | null): Promise<Alert> {
    const alert = await this.alerts.shelve(id, by, minutes === null ? null : new Date(Date.now() + minutes * 60_000));
    if (!alert) throw await this.cannot(id, minutes === null ? 'unshelve' : 'shelve', 'it is resolved');
    this.publish(alert);
    return alert;
  }

  async comment(id: number, by: string, text: string) {
    const event = await this.alerts.comment(id, by, text);
    if (!event) throw new DomainError('not-found', `No alert ${id}`);
    return event;
  }

  /** Level n of the site's policy, if the alert still needs someone: not acknowledged, resolved or shelved. */
  async escalate(alertId: number, level: number): Promise<void> {
    const alert = await this.alerts.find(alertId);
    if (!alert || !needsAttention(alert)) return;
    const policy = await this.settings.policyFor(alert.site);
    const step = policy?.levels[level];
    if (!policy || !step) return;
    // The history says it before anyone is told, so a crew member who follows a notification finds it there.
    await this.alerts.setEscalationLevel(alertId, level);
    if (level > 0) await this.alerts.record(alertId, 'escalation', 'escalated', { level, contacts: step.contacts });
    await this.notify(alert, step.contacts, level === 0 ? 'opened' : 'escalated', level);
    const next = policy.levels[level + 1];
    if (next)
      await this.schedule(
        'alerts.escalate',
        { alertId, level: level + 1 },
        (next.afterSeconds - step.afterSeconds) * 1000,
        `escalate-${alertId}-${level + 1}`,
      );
    if (level === 0 && policy.repeatSeconds)
      await this.schedule('alerts.repeat', { alertId, round: 1 }, policy.repeatSeconds * 1000, `repeat-${alertId}-1`);
  }

  /** Reminds everyone reached so far, while nobody has acknowledged. */
  async repeat(alertId: number, round: number): Promise<void> {
    const alert = await this.alerts.find(alertId);
    if (!alert || !needsAttention(alert)) return;
    const policy = await this.settings.policyFor(alert.site);
    if (!policy?.repeatSeconds) return;
    const contacts = policy.levels.slice(0, alert.escalationLevel + 1).flatMap((level) => level.contacts);
    await this.notify(alert, [...new Set(contacts)], 'repeat', alert.escalationLevel);
    await this.schedule('alerts.repeat', { alertId, round: round + 1 }, policy.repeatSeconds * 1000, `repeat-${alertId}-${round + 1}`);
  }

  private async startEscalation(alert: Alert): Promise<void> {
    const policy = await this.settings.policyFor(alert.site);
    if (!policy) return;
    if (SEVERITIES.indexOf(alert.severity) > SEVERITIES.indexOf(policy.minSeverity)) return;
    await this.schedule('alerts.escalate', { alertId: alert.id, level: 0 }, policy.levels[0].afterSeconds * 1000, `escalate-${alert.id}-0`);
  }

  private async schedule<N extends 'alerts.escalate' | 'alerts.repeat'>(
    name: N,
    data: JobPayloads[N],
    delay: number,
    jobId: string,
  ): Promise<void> {
    await this.alertsQueue.add(name, data, { delay, jobId, attempts: 10, backoff: { type: 'exponential', delay: 1000 } });
  }

  private async notify(alert: Alert, contactIds: string[], reason: NotificationReason, level: number): Promise<void> {
    const contacts = (await this.settings.contacts()).filter((contact) => contactIds.includes(contact.id));
    const created = await this.notifications.create(
      contacts.map((contact) => ({ alertId: alert.id, contactId: contact.id, channel: contact.channel, reason, level })),
    );
    await this.notificationsQueue.addBulk(
      created.map((notification) => {
        const data: JobPayloads['notifications.deliver'] = { notificationId: notification.id };
        return {
          name: 'notifications.deliver',
          data,
          opts: { jobId: notification.id, attempts: 6, backoff: { type: 'exponential', delay: 1000 } },
        };
      }),
    );
    if (created.length > 0) this.logger.log(`alert ${alert.id}: ${reason} to ${created.map((n) => n.contactId).join(', ')}`);
  }

  private publish(alert: Alert): void {
    this.live.publishAlert(alert.site, { ...alert });
  }

  private async cannot(id: number, action: string, why: string): Promise<DomainError> {
    const alert = await this.alerts.find(id);
    return alert ? new DomainError('conflict', `Cannot ${action} alert ${id}: ${why}`) : new DomainError('not-found', `No alert ${id}`);
  }
}

function needsAttention(alert: Alert): boolean {
  return alert.state === 'open' && !(alert.shelvedUntil && Date.parse(alert.shelvedUntil) > Date.now());
}
