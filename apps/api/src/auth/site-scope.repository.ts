import { Injectable } from '@nestjs/common';
import { SiteOwned } from '@hallwatch/auth';
import { Database } from '@hallwatch/db';

const SITE_OF: Record<SiteOwned, { sql: string; id: RegExp }> = {
  alert: { sql: 'select site from alerts where id = $1::bigint', id: /^\d{1,18}$/ },
  'alert-rule': { sql: 'select site from alert_rules where id = $1', id: /^.+$/ },
  'maintenance-task': { sql: 'select site from maintenance_tasks where id = $1', id: /^.+$/ },
  'work-item': {
    sql: 'select t.site from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id where w.id = $1::bigint',
    id: /^\d{1,18}$/,
  },
  'report-run': {
    sql: `select params->>'site' as site from report_runs where id = $1::uuid`,
    id: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
  },
  'report-schedule': { sql: `select params->>'site' as site from report_schedules where id = $1::int`, id: /^\d{1,9}$/ },
};

/** The query site scoping needs: the site of a thing addressed by id. */
@Injectable()
export class SiteScopeRepository {
  constructor(private readonly db: Database) {}

  /** Undefined when there is no such thing (the route answers 404 or 400 itself). */
  async siteOf(kind: SiteOwned, id: string): Promise<string | undefined> {
    const { sql, id: pattern } = SITE_OF[kind];
    if (!pattern.test(id)) return undefined;
    const [row] = await this.db.query<{ site: string | null }>(sql, [id]);
    return row?.site ?? undefined;
  }
}
