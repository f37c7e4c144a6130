import { Injectable } from '@nestjs/common';
import { z } from 'zod';
import { Database, isoDates } from '@hallwatch/db';
import { DEFAULT_TIME_ZONE } from '@hallwatch/domain';
import { RollupRepository } from '@hallwatch/readings';
import { RECURRENCES } from './rules';

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const maintenanceTaskSchema = z
  .object({
    site: z.string().min(1),
    asset: z.string().min(1),
    name: z.string().min(1),
    recurrence: z.enum(RECURRENCES).nullable().default(null),
    anchor: isoDate.nullable().default(null),
    everyRunHours: z.number().positive().nullable().default(null),
    runPoint: z.string().min(1).nullable().default(null),
    graceDays: z.number().int().min(0).default(0),
  })
  .refine((t) => (t.recurrence !== null && t.anchor !== null) !== (t.everyRunHours !== null && t.runPoint !== null), {
    message: 'a task is either on the calendar (recurrence and anchor) or on running hours (everyRunHours and runPoint)',
  });
export type MaintenanceTaskInput = z.infer<typeof maintenanceTaskSchema>;
export interface MaintenanceTask extends MaintenanceTaskInput {
  id: string;
  lastDoneRunHours: number;
  /** Made from this alert: done once, never planned again. */
  alertId: number | null;
  /** The site's time zone: a task falls due on the site's own calendar. */
  timezone: string;
}

export interface WorkItem {
  id: number;
  taskId: string;
  taskName: string;
  site: string;
  asset: string;
  dueOn: string;
  state: 'open' | 'done';
  dueAtRunHours: number | null;
  completedAt: string | null;
  completedBy: string | null;
  note: string | null;
}

const TASK_COLUMNS = `t.id, t.site, t.asset, t.name, t.recurrence, to_char(t.anchor, 'YYYY-MM-DD') as anchor, t.every_run_hours as "everyRunHours",
  t.run_point as "runPoint", t.grace_days as "graceDays", t.last_done_run_hours as "lastDoneRunHours", t.alert_id::int as "alertId", coalesce(s.timezone, $2) as timezone`;
const ITEM_COLUMNS = `w.id::int, w.task_id as "taskId", t.name as "taskName", t.site, t.asset, to_char(w.due_on, 'YYYY-MM-DD') as "dueOn", w.state,
  w.due_at_run_hours as "dueAtRunHours", w.completed_at as "completedAt", w.completed_by as "completedBy", w.note`;

export interface WorkItemFilter {
  state?: WorkItem['state'];
  site?: string;
  taskId?: string;
  /** Only these sites (a caller scoped to some sites). */
  sites?: string[];
}

/** Where a page of work items stopped: due date (YYYY-MM-DD), id. */
export type WorkItemListKey = [dueOn: string, id: string];

/** Maintenance tasks per asset and the work items they produce. */
@Injectable()
export class MaintenanceRepository {
  constructor(
    private readonly db: Database,
    private readonly rollups: RollupRepository,
  ) {}

  async tasks(site?: string): Promise<MaintenanceTask[]> {
    return this.db.query<MaintenanceTask>(
      `select ${TASK_COLUMNS} from maintenance_tasks t left join sites s on s.key = t.site where $1::text is null or t.site = $1 order by t.id`,
      [site ?? null, DEFAULT_TIME_ZONE],
    );
  }

  async task(id: string): Promise<MaintenanceTask | undefined> {
    const [task] = await this.db.query<MaintenanceTask>(
      `select ${TASK_COLUMNS} from maintenance_tasks t left join sites s on s.key = t.site where t.id = $1`,
      [id, DEFAULT_TIME_ZONE],
    );
    return task;
  }

  async putTask(id: string, task: MaintenanceTaskInput, by: string): Promise<void> {
    await this.db.query(
      `insert into maintenance_tasks (id, site, asset, name, recurrence, anchor, every_run_hours, run_point, grace_days, updated_by)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (id) do update set site = excluded.site, asset = excluded.asset, name = excluded.name, recurrence = excluded.recurrence,
         anchor = excluded.anchor, every_run_hours = excluded.every_run_hours, run_point = excluded.run_point,
         grace_days = excluded.grace_days, updated_by = excluded.updated_by, updated_at = now()`,
      [id, task.site, task.asset, task.name, task.recurrence, task.anchor, task.everyRunHours, task.runPoint, task.graceDays, by],
    );
  }

  async removeTask(id: string): Promise<boolean> {
    return (await this.db.query('delete from maintenance_tasks where id = $1 returning id', [id])).length > 0;
  }

  /** Adds work items; one per task and due date, so planning twice changes nothing. */
  async addWorkItems(items: Array<{ taskId: string; dueOn: string; dueAtRunHours: number | null }>): Promise<number> {
    if (items.length === 0) return 0;
    const rows = await this.db.query(
      `insert into maintenance_work_items (task_id, due_on, due_at_run_hours)
       select * from unnest($1::text[], $2::date[], $3::float8[]) on conflict (task_id, due_on) do nothing returning id`,
      [items.map((i) => i.taskId), items.map((i) => i.dueOn), items.map((i) => i.dueAtRunHours)],
    );
    return rows.length;
  }

  /** Every work item of the filter, by due date. */
  async workItems(filter: WorkItemFilter = {}): Promise<WorkItem[]> {
    return this.queryWorkItems(filter, null, null);
  }

  /** A page by due date then id after `after`, and the key of its last row when more follow. */
  async workItemPage(
    filter: WorkItemFilter & { after?: WorkItemListKey; limit: number },
  ): Promise<{ items: WorkItem[]; next: WorkItemListKey | null }> {
    const rows = await this.queryWorkItems(filter, filter.after ?? null, filter.limit + 1);
    const items = rows.slice(0, filter.limit);
    const last = items.at(-1);
    return { items, next: rows.length > filter.limit && last ? [last.dueOn, String(last.id)] : null };
  }

  private async queryWorkItems(filter: WorkItemFilter, after: WorkItemListKey | null, limit: number | null): Promise<WorkItem[]> {
    const rows = await this.db.query<WorkItem>(
      `select ${ITEM_COLUMNS} from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id
       where ($1::text is null or w.state = $1) and ($2::text is null or t.site = $2) and ($3::text is null or w.task_id = $3)
         and ($4::text[] is null or t.site = any($4::text[])) and ($5::date is null or (w.due_on, w.id) > ($5::date, $6::bigint))
       order by w.due_on, w.id limit $7`,
      [filter.state ?? null, filter.site ?? null, filter.taskId ?? null, filter.sites ?? null, ...(after ?? [null, null]), limit],
    );
    return rows.map(isoDates);
  }

  async workItem(id: number): Promise<WorkItem | undefined> {
    const [row] = await this.db.query<WorkItem>(
      `select ${ITEM_COLUMNS} from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id where w.id = $1`,
      [id],
    );
    return row && isoDates(row);
  }

  async complete(id: number, by: string, note: string | null, runHours: number | null): Promise<WorkItem | undefined> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ taskId: string }>(
        `update maintenance_work_items set state = 'done', completed_at = now(), completed_by = $2, note = $3
         where id = $1 and state = 'open' returning task_id as "taskId"`,
        [id, by, note],
      );
      if (!row) return undefined;
      if (runHours !== null) await tx.query('update maintenance_tasks set last_done_run_hours = $2 where id = $1', [row.taskId, runHours]);
      const [item] = await tx.query<WorkItem>(
        `select ${ITEM_COLUMNS} from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id where w.id = $1`,
        [id],
      );
      return isoDates(item);
    });
  }

  /**
   * A one-off task for an alert's asset with its work item due today on the site's calendar; the
   * same alert asked twice gives the same item.
   */
  async addAlertWorkItem(alert: { id: number; site: string; target: string; title: string }, by: string): Promise<WorkItem> {
    return this.db.transaction(async (tx) => {
      const taskId = `alert-${alert.id}`;
      await tx.query(
        `insert into maintenance_tasks (id, site, asset, name, recurrence, anchor, alert_id, updated_by)
         select $1, $2, $3, $4, 'annual', (now() at time zone coalesce((select timezone from sites where key = $2), $7))::date, $5, $6
         on conflict (id) do nothing`,
        [taskId, alert.site, alert.target, alert.title, alert.id, by, DEFAULT_TIME_ZONE],
      );
      await tx.query(
        `insert into maintenance_work_items (task_id, due_on) select id, anchor from maintenance_tasks where id = $1
         on conflict (task_id, due_on) do nothing`,
        [taskId],
      );
      const [item] = await tx.query<WorkItem>(
        `select ${ITEM_COLUMNS} from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id where w.task_id = $1 order by w.id limit 1`,
        [taskId],
      );
      return isoDates(item);
    });
  }

  /** Running hours of a status point from its hourly rollups. */
  async runHours(site: string, asset: string, point: string): Promise<number> {
    return this.rollups.runHours(site, asset, point);
  }
}
