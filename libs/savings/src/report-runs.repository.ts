import { Injectable } from '@nestjs/common';
import { Database, isoDates, Queryable } from '@hallwatch/db';
import { SavingsRequest } from './savings-request';
import { RenderedReport } from './report-renderer.service';

export type ReportRunState = 'queued' | 'running' | 'done' | 'failed';

export interface ReportRun {
  id: string;
  kind: 'savings';
  params: SavingsRequest;
  state: ReportRunState;
  progress: number;
  fileName: string | null;
  contentType: string | null;
  error: string | null;
  requestedBy: string;
  scheduleId: number | null;
  emailedAt: string | null;
  createdAt: string;
  finishedAt: string | null;
}

export interface ReportSchedule {
  id: number;
  params: Omit<SavingsRequest, 'from' | 'to'>;
  cadence: 'monthly' | 'half-yearly';
  recipients: string[];
  createdBy: string;
  createdAt: string;
  enabled: boolean;
}

const RUN_COLUMNS = `id, kind, params, state, progress, file_name as "fileName", content_type as "contentType", error,
  requested_by as "requestedBy", schedule_id as "scheduleId", emailed_at as "emailedAt", created_at as "createdAt", finished_at as "finishedAt"`;
const SCHEDULE_COLUMNS = `id, params, cadence, recipients, created_by as "createdBy", created_at as "createdAt", enabled`;

/** Report runs and their files, kept in the database so any api instance can serve a download. */
@Injectable()
export class ReportRunsRepository {
  constructor(private readonly db: Database) {}

  async create(
    id: string,
    params: SavingsRequest,
    requestedBy: string,
    scheduleId: number | null = null,
    tx: Queryable = this.db,
  ): Promise<ReportRun> {
    const [row] = await tx.query<ReportRun>(
      `insert into report_runs (id, kind, params, requested_by, schedule_id) values ($1, 'savings', $2, $3, $4) returning ${RUN_COLUMNS}`,
      [id, JSON.stringify(params), requestedBy, scheduleId],
    );
    return isoDates(row);
  }

  async find(id: string): Promise<ReportRun | undefined> {
    const [row] = await this.db.query<ReportRun>(`select ${RUN_COLUMNS} from report_runs where id = $1`, [id]);
    return row && isoDates(row);
  }

  async list(limit = 50): Promise<ReportRun[]> {
    const rows = await this.db.query<ReportRun>(`select ${RUN_COLUMNS} from report_runs order by created_at desc limit $1`, [limit]);
    return rows.map(isoDates);
  }

  async progress(id: string, state: ReportRunState, progress: number): Promise<void> {
    await this.db.query('update report_runs set state = $2, progress = $3 where id = $1', [id, state, progress]);
  }

  async finish(id: string, file: RenderedReport): Promise<void> {
    await this.db.query(
      `update report_runs set state = 'done', progress = 100, file_name = $2, content_type = $3, content = $4, error = null, finished_at = now() where id = $1`,
      [id, file.fileName, file.contentType, file.content],
    );
  }

  async fail(id: string, error: string): Promise<void> {
    await this.db.query(`update report_runs set state = 'failed', error = $2, finished_at = now() where id = $1`, [id, error]);
  }

  async file(id: string): Promise<RenderedReport | undefined> {
    const [row] = await this.db.query<{ fileName: string; contentType: string; content: Buffer | Uint8Array }>(
      `select file_name as "fileName", content_type as "contentType", content from report_runs where id = $1 and state = 'done'`,
      [id],
    );
    return row && { fileName: row.fileName, contentType: row.contentType, content: Buffer.from(row.content) };
  }

  /** The run a schedule made for the period starting `from`, if any. */
  async scheduledRun(scheduleId: number, from: string): Promise<ReportRun | undefined> {
    const [row] = await this.db.query<ReportRun>(
      `select ${RUN_COLUMNS} from report_runs where schedule_id = $1 and params->>'from' = $2 order by created_at desc limit 1`,
      [scheduleId, from],
    );
    return row && isoDates(row);
  }

  async markEmailed(id: string): Promise<void> {
    await this.db.query('update report_runs set emailed_at = now() where id = $1', [id]);
  }

  async createSchedule(schedule: Pick<ReportSchedule, 'params' | 'cadence' | 'recipients'>, by: string): Promise<ReportSchedule> {
    const [row] = await this.db.query<ReportSchedule>(
      `insert into report_schedules (params, cadence, recipients, created_by) values ($1, $2, $3, $4) returning ${SCHEDULE_COLUMNS}`,
      [JSON.stringify(schedule.params), schedule.cadence, schedule.recipients, by],
    );
    return isoDates(row);
  }

  async schedules(enabledOnly = false): Promise<ReportSchedule[]> {
    const rows = await this.db.query<ReportSchedule>(
      `select ${SCHEDULE_COLUMNS} from report_schedules where enabled or not $1 order by id`,
      [enabledOnly],
    );
    return rows.map(isoDates);
  }

  async schedule(id: number): Promise<ReportSchedule | undefined> {
    const [row] = await this.db.query<ReportSchedule>(`select ${SCHEDULE_COLUMNS} from report_schedules where id = $1`, [id]);
    return row && isoDates(row);
  }

  async disableSchedule(id: number): Promise<boolean> {
    return (await this.db.query('update report_schedules set enabled = false where id = $1 returning id', [id])).length > 0;
  }
}
