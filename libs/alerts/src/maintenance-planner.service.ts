import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '@hallwatch/core';
import { addDays, localDate } from '@hallwatch/domain';
import { AlertLifecycle } from './alert-lifecycle.service';
import { AlertsRepository } from './alerts.repository';
import { MaintenanceRepository, MaintenanceTask, WorkItem } from './maintenance.repository';
import { dueDatesBetween, runHourTaskDue } from './rules';

/** Work items appear this many days before they are due. */
const LOOKAHEAD_DAYS = 7;
const overdueRule = (taskId: string) => `maintenance:${taskId}`;
const overdueTarget = (item: WorkItem) => `work-item-${item.id}`;

/**
 * Turns maintenance tasks into dated work items (calendar recurrences, and running hours from the
 * status points), raises an alert for each overdue item, and resolves it when the item is done.
 */
@Injectable()
export class MaintenancePlanner {
  private readonly logger = new Logger(MaintenancePlanner.name);

  constructor(
    private readonly maintenance: MaintenanceRepository,
    private readonly alerts: AlertsRepository,
    private readonly lifecycle: AlertLifecycle,
  ) {}

  /**
   * Plans every task on its site's calendar: today is the site's local date at `now`, unless a
   * date is given (tests, catching up a given day).
   */
  async plan(date?: string, now = Date.now()): Promise<{ created: number; overdue: number }> {
    const todayOf = (task: MaintenanceTask) => date ?? localDate(now, task.timezone);
    const items: Array<{ taskId: string; dueOn: string; dueAtRunHours: number | null }> = [];
    const open = await this.maintenance.workItems({ state: 'open' });
    for (const task of await this.maintenance.tasks()) {
      const today = todayOf(task);
      if (task.alertId !== null) continue;
      if (task.recurrence && task.anchor) {
        for (const dueOn of dueDatesBetween(task.recurrence, task.anchor, today, addDays(today, LOOKAHEAD_DAYS + 1)))
          items.push({ taskId: task.id, dueOn, dueAtRunHours: null });
      } else if (task.everyRunHours && task.runPoint && !open.some((item) => item.taskId === task.id)) {
        const hours = await this.maintenance.runHours(task.site, task.asset, task.runPoint);
        if (runHourTaskDue({ everyHours: task.everyRunHours, lastDoneAtHours: task.lastDoneRunHours }, hours).due) {
          items.push({ taskId: task.id, dueOn: today, dueAtRunHours: hours });
        }
      }
    }
    const created = await this.maintenance.addWorkItems(items);
    const tasks = new Map((await this.maintenance.tasks()).map((task) => [task.id, task]));
    let overdue = 0;
    for (const item of await this.maintenance.workItems({ state: 'open' })) {
      const task = tasks.get(item.taskId);
      if (!task) continue;
      const today = todayOf(task);
      if (addDays(item.dueOn, task.graceDays) >= today) continue;
      overdue += 1;
      if (await this.alerts.unresolved(overdueRule(item.taskId), overdueTarget(item))) continue;
      await this.lifecycle.open(
        {
          ruleId: overdueRule(item.taskId),
          site: item.site,
          target: overdueTarget(item),
          severity: 'P3',
          title: `保養逾期 Maintenance overdue: ${item.taskName} (${item.asset})`,
          detail: `due ${item.dueOn}, still open on ${today}`,
          value: null,
          at: Date.now(),
        },
        'maintenance planner',
      );
    }
    if (created > 0 || overdue > 0) this.logger.log(`maintenance ${date ?? 'today'}: ${created} new work items, ${overdue} overdue`);
    return { created, overdue };
  }

  /** An alert becomes a work item for its asset, due today; the alert's history says so. */
  async fromAlert(alertId: number, by: string, note: string | null): Promise<WorkItem> {
    const alert = await this.alerts.find(alertId);
    if (!alert) throw new DomainError('not-found', `No alert ${alertId}`);
    const item = await this.maintenance.addAlertWorkItem(alert, by);
    await this.alerts.record(alertId, by, 'work-item', { workItem: item.id, ...(note ? { note } : {}) });
    return item;
  }

  async complete(id: number, by: string, note: string | null): Promise<WorkItem> {
    const item = await this.maintenance.workItem(id);
    if (!item) throw new DomainError('not-found', `No work item ${id}`);
    const task = await this.maintenance.task(item.taskId);
    const runHours = task?.everyRunHours && task.runPoint ? await this.maintenance.runHours(task.site, task.asset, task.runPoint) : null;
    const done = await this.maintenance.complete(id, by, note, runHours);
    if (!done) throw new DomainError('conflict', `Work item ${id} is done already`);
    const alert = await this.alerts.unresolved(overdueRule(item.taskId), overdueTarget(item));
    if (alert) await this.lifecycle.resolve(alert.id, by, new Date(), `work item done: ${note ?? ''}`.trim());
    return done;
  }
}
