import { AlertLifecycle } from './alert-lifecycle.service';
import { AlertsRepository } from './alerts.repository';
import { MaintenancePlanner } from './maintenance-planner.service';
import { MaintenanceRepository, MaintenanceTask, WorkItem } from './maintenance.repository';

/** A weekly task anchored on Monday 10 March 2025 at a hall in each zone, and the work items planning makes. */
function planner(tasks: MaintenanceTask[], open: WorkItem[] = []) {
  const added: Array<{ taskId: string; dueOn: string }> = [];
  const opened: Array<{ site: string; detail: string }> = [];
  const maintenance = {
    tasks: async () => tasks,
    workItems: async () => open,
    addWorkItems: async (items: Array<{ taskId: string; dueOn: string }>) => {
      added.push(...items.map(({ taskId, dueOn }) => ({ taskId, dueOn })));
      return items.length;
    },
  } as unknown as MaintenanceRepository;
  const alerts = { unresolved: async () => undefined } as unknown as AlertsRepository;
  const lifecycle = {
    open: async (alert: { site: string; detail: string }) => {
      opened.push({ site: alert.site, detail: alert.detail });
      return { alert, created: true };
    },
  } as unknown as AlertLifecycle;
  return { planner: new MaintenancePlanner(maintenance, alerts, lifecycle), added, opened };
}

const task = (site: string, timezone: string): MaintenanceTask => ({
  id: `${site}-weekly`,
  site,
  asset: 'chiller-1',
  name: 'Weekly check',
  recurrence: 'weekly',
  anchor: '2025-03-10',
  everyRunHours: null,
  runPoint: null,
  graceDays: 0,
  lastDoneRunHours: 0,
  alertId: null,
  timezone,
});

describe("MaintenancePlanner on each site's calendar", () => {
  // 02:00 UTC on Tuesday 11 March 2025: still Monday 10 March (22:00) in New York, Tuesday 10:00 in Taipei.
  const now = Date.parse('2025-03-11T02:00:00Z');

  it('plans from the local date of each site: New York still has Monday, Taipei is on Tuesday', async () => {
    const { planner: plan, added } = planner([task('ny', 'America/New_York'), task('tp', 'Asia/Taipei')]);
    await plan.plan(undefined, now);
    // The next 8 days from each site's today: New York's include Monday the 10th.
    expect(added).toEqual([
      { taskId: 'ny-weekly', dueOn: '2025-03-10' },
      { taskId: 'ny-weekly', dueOn: '2025-03-17' },
      { taskId: 'tp-weekly', dueOn: '2025-03-17' },
    ]);
  });

  it('never plans again a task made from an alert: it is done once', async () => {
    const { planner: plan, added } = planner([{ ...task('tp', 'Asia/Taipei'), id: 'alert-7', alertId: 7 }]);
    await plan.plan(undefined, now);
    expect(added).toEqual([]);
  });

  it("calls an item overdue only once the site's own day after it has begun", async () => {
    const item = (taskId: string, site: string): WorkItem => ({
      id: 1,
      taskId,
      taskName: 'Weekly check',
      site,
      asset: 'chiller-1',
      dueOn: '2025-03-10',
      state: 'open',
      dueAtRunHours: null,
      completedAt: null,
      completedBy: null,
      note: null,
    });
    const { planner: plan, opened } = planner(
      [task('ny', 'America/New_York'), task('tp', 'Asia/Taipei')],
      [item('ny-weekly', 'ny'), item('tp-weekly', 'tp')],
    );
    await plan.plan(undefined, now);
    expect(opened).toEqual([{ site: 'tp', detail: 'due 2025-03-10, still open on 2025-03-11' }]);
  });

  it('takes a given date for every site (tests, catching up a day)', async () => {
    const { planner: plan, added } = planner([task('ny', 'America/New_York'), task('tp', 'Asia/Taipei')]);
    await plan.plan('2025-03-10', now);
    expect(added.map((entry) => entry.dueOn)).toEqual(['2025-03-10', '2025-03-17', '2025-03-10', '2025-03-17']);
  });
});
