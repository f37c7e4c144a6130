import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DomainError } from '@hallwatch/core';
import { Database, Queryable } from '@hallwatch/db';
import { Faults, JobOutbox, JobPayloads, OutboxJob, QUEUES } from '@hallwatch/jobs';
import { LivePublisher } from '@hallwatch/live';
import { AlertPlacesRepository } from './alert-places.repository';
import { AlertRulesRepository } from './alert-rules.repository';
import { AlertStateStore } from './alert-state.store';
import { transitionJobId } from './alert-evaluator.service';
import { Alert, AlertsRepository, OpenAlert } from './alerts.repository';
import { Contact, EscalationPolicy, NotificationSettingsRepository } from './notification-settings.repository';
import { NotificationReason, NotificationsRepository } from './notifications.repository';
import { breachSchema, SEVERITIES } from './rules';
import { alertTexts, DEFAULT_LANG, renderAlert, resolutionText } from './text/alert-text';

/** The note on an alert opened again because its condition held after someone resolved it. */
export const REOPENED_NOTE = 'the condition still held after it was resolved by hand';

/** A transition arrived before the open it resolves was applied: retry it later. */
export class TransitionOutOfOrder extends Error {}

/**
 * The alert lifecycle: open (or repeat) → acknowledged → resolved, with every change recorded,
 * pushed to /live, and the notifications and escalations it calls for written to the job outbox in
 * the same transaction as the change (the worker relays them to BullMQ).
 */
@Injectable()
export class AlertLifecycle {
  private readonly logger = new Logger(AlertLifecycle.name);

  constructor(
    private readonly alerts: AlertsRepository,
    private readonly rules: AlertRulesRepository,
    private readonly places: AlertPlacesRepository,
    private readonly states: AlertStateStore,
    private readonly settings: NotificationSettingsRepository,
    private readonly notifications: NotificationsRepository,
    private readonly live: LivePublisher,
    private readonly db: Database,
    private readonly outbox: JobOutbox,
    private readonly faults: Faults,
    @InjectQueue(QUEUES.alerts) private readonly alertsQueue: Queue,
  ) {}

  async applyTransition(payload: JobPayloads['alerts.transition']): Promise<Alert | undefined> {
    const { ruleId, site, target, change } = payload;
    if (change.kind === 'open') {
      const stored = await this.rules.find(ruleId);
      const rule = stored?.rule;
      const breaches = breachSchema.array().parse(change.breaches ?? []);
      const facts = await this.places.factsFor(rule, site, target, breaches, change.reopened ?? false);
      const fallbackTitle = rule?.message ?? rule?.name ?? ruleId;
      // The columns hold the default language's text, for readers that know no other; the API and notifications render from the facts.
      const text = renderAlert(facts, DEFAULT_LANG, fallbackTitle);
      const alert: OpenAlert = {
        ruleId,
        site,
        target,
        severity: rule?.severity ?? 'P3',
        title: text.title,
        detail: breaches.length > 0 ? text.detail : change.detail,
        value: change.value,
        at: change.at,
        facts,
      };
      return this.openOnce(alert, `rule ${ruleId}`, transitionJobId(ruleId, 'open', change.at), change.reopened ?? false);
    }
    const current = await this.alerts.unresolved(ruleId, target);
    if (!current) {
      // Its open may still be waiting in the queue (another worker, a retry): resolve after it.
      const open = await this.alertsQueue.getJob(transitionJobId(ruleId, 'open', change.openedAt));
      if (open && !(await open.isCompleted()) && !(await open.isFailed()))
        throw new TransitionOutOfOrder(`rule ${ruleId}: resolve before its open`);
      return undefined;
    }
    const reason = change.reason ?? 'cleared';
    const notes = {
      'zh-TW': resolutionText(current.facts, reason, change.value, 'zh-TW'),
      en: resolutionText(current.facts, reason, change.value, 'en'),
    };
    return this.close(current.id, `rule ${ruleId}`, new Date(change.at), notes[DEFAULT_LANG], notes);
  }

  async open(alert: OpenAlert, actor: string): Promise<{ alert: Alert; created: boolean }> {
    const policy = await this.settings.policyFor(alert.site);
    const result = await this.db.transaction((tx) => this.openIn(tx, alert, actor, policy));
    this.opened(result.alert);
    return result;
  }

  /**
   * A rule's open transition, applied once however often its job runs (a stalled job run again, a
   * job Redis has forgotten): its key is recorded with the change.
   */
  private async openOnce(alert: OpenAlert, actor: string, transitionKey: string, reopened: boolean): Promise<Alert | undefined> {
    const policy = await this.settings.policyFor(alert.site);
    const result = await this.db.transaction(async (tx) => {
      if (!(await this.alerts.claimTransition(transitionKey, tx))) return undefined;
      const opened = await this.openIn(tx, alert, actor, policy);
      if (reopened) await this.alerts.record(opened.alert.id, actor, 'reopened', { note: REOPENED_NOTE }, tx);
      return opened;
    });
    if (result) this.opened(result.alert);
    return result?.alert;
  }

  private async openIn(tx: Queryable, alert: OpenAlert, actor: string, policy: EscalationPolicy | undefined) {
    const opened = await this.alerts.open(alert, actor, tx);
    // Its escalation commits with it: a crash after the commit cannot lose it (the outbox relays it).
    if (opened.created && policy && SEVERITIES.indexOf(opened.alert.severity) <= SEVERITIES.indexOf(policy.minSeverity))
      await this.outbox.add(tx, [escalation(opened.alert.id, 0, policy.levels[0].afterSeconds * 1000)]);
    return opened;
  }

  private opened(alert: Alert): void {
    this.faults.crashAt('crash-after-alert-commit');
    this.publish(alert);
  }

  async acknowledge(id: number, by: string, note?: string): Promise<Alert> {
    const alert = await this.alerts.acknowledge(id, by, note);
    if (!alert) throw await this.cannot(id, 'acknowledge', 'only an open alert can be acknowledged');
    this.publish(alert);
    return alert;
  }

  /**
   * Resolved by someone (or something) other than its rule. If the rule's condition still holds, its
   * next evaluation opens a new alert that says it re-opened: a hand-resolved P1 does not hide a building over its contract.
   */
  async resolve(id: number, by: string, at = new Date(), note?: string): Promise<Alert> {
    const alert = await this.close(id, by, at, note);
    await this.states.markResolvedByHand(alert.ruleId);
    return alert;
  }

  /** Resolved, with the contacts reached told so. */
  private async close(id: number, by: string, at: Date, note?: string, notes?: Record<string, string>): Promise<Alert> {
    const reached = await this.contacts(await this.notifications.contactsReached(id));
    const alert = await this.db.transaction(async (tx) => {
      const resolved = await this.alerts.resolve(id, by, at, note, tx, notes);
      if (resolved) await this.notify(tx, resolved, reached, 'resolved', resolved.escalationLevel, 'resolved');
      return resolved;
    });
    if (!alert) throw await this.cannot(id, 'resolve', 'it is resolved already');
    this.publish(alert);
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
    const contacts = await this.contacts(step.contacts);
    await this.db.transaction(async (tx) => {
      // The history says it before anyone is told, so a crew member who follows a notification finds it there.
      await this.alerts.setEscalationLevel(alertId, level, tx);
      if (level > 0) await this.alerts.record(alertId, 'escalation', 'escalated', { level, contacts: step.contacts }, tx);
      await this.notify(tx, alert, contacts, level === 0 ? 'opened' : 'escalated', level, `escalate-${level}`);
      const next = policy.levels[level + 1];
      const later: OutboxJob[] = [];
      if (next) later.push(escalation(alertId, level + 1, (next.afterSeconds - step.afterSeconds) * 1000));
      if (level === 0 && policy.repeatSeconds) later.push(reminder(alertId, 1, policy.repeatSeconds * 1000));
      await this.outbox.add(tx, later);
    });
  }

  /** Reminds everyone reached so far, while nobody has acknowledged. */
  async repeat(alertId: number, round: number): Promise<void> {
    const alert = await this.alerts.find(alertId);
    if (!alert || !needsAttention(alert)) return;
    const policy = await this.settings.policyFor(alert.site);
    if (!policy?.repeatSeconds) return;
    const repeatSeconds = policy.repeatSeconds;
    const contacts = await this.contacts(policy.levels.slice(0, alert.escalationLevel + 1).flatMap((level) => level.contacts));
    await this.db.transaction(async (tx) => {
      await this.notify(tx, alert, contacts, 'repeat', alert.escalationLevel, `repeat-${round}`);
      await this.outbox.add(tx, [reminder(alertId, round + 1, repeatSeconds * 1000)]);
    });
  }

  private async contacts(ids: string[]): Promise<Contact[]> {
    return (await this.settings.contacts()).filter((contact) => ids.includes(contact.id));
  }

  /**
   * Notifications for one occasion of an alert (`escalate-0`, `repeat-3`, `resolved`), each with
   * its delivery job, in the caller's transaction. Contacts told of this occasion before are not
   * told again, whichever job (a retry, a duplicate) asks.
   */
  private async notify(tx: Queryable, alert: Alert, contacts: Contact[], reason: NotificationReason, level: number, occasion: string) {
    const created = await this.notifications.create(
      tx,
      contacts.map((contact) => ({
        alertId: alert.id,
        contactId: contact.id,
        channel: contact.channel,
        reason,
        level,
        dedupeKey: `alert-${alert.id}-${occasion}-${contact.id}`,
      })),
    );
    await this.outbox.add(
      tx,
      created.map((notification) => ({ name: 'notifications.deliver', data: { notificationId: notification.id }, key: notification.id })),
    );
    if (created.length > 0) this.logger.log(`alert ${alert.id}: ${reason} to ${created.map((n) => n.contactId).join(', ')}`);
  }

  /** Live, with its texts in both languages: each dashboard shows its reader's. */
  private publish(alert: Alert): void {
    this.live.publishAlert(alert.site, { ...alert, ...(alert.facts ? { texts: alertTexts(alert.facts, alert.title) } : {}) });
  }

  private async cannot(id: number, action: string, why: string): Promise<DomainError> {
    const alert = await this.alerts.find(id);
    return alert ? new DomainError('conflict', `Cannot ${action} alert ${id}: ${why}`) : new DomainError('not-found', `No alert ${id}`);
  }
}

const escalation = (alertId: number, level: number, delayMs: number): OutboxJob => ({
  name: 'alerts.escalate',
  data: { alertId, level },
  key: `escalate-${alertId}-${level}`,
  delayMs,
});

const reminder = (alertId: number, round: number, delayMs: number): OutboxJob => ({
  name: 'alerts.repeat',
  data: { alertId, round },
  key: `repeat-${alertId}-${round}`,
  delayMs,
});

function needsAttention(alert: Alert): boolean {
  return alert.state === 'open' && !(alert.shelvedUntil && Date.parse(alert.shelvedUntil) > Date.now());
}
