import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { JobName, JobPayloads } from './jobs';

/** A job to enqueue once the transaction that writes it commits. */
export type OutboxJob = {
  [N in JobName]: {
    name: N;
    data: JobPayloads[N];
    /** The BullMQ job id, derived from what the job is about (a row id, an alert and a level). */
    key: string;
    /** Run no earlier than this many milliseconds after the commit. */
    delayMs?: number;
  };
}[JobName];

export interface OutboxRow {
  id: number;
  key: string;
  name: JobName;
  data: unknown;
  runAt: Date;
}

/** The transactional outbox (job_outbox): written with the change, relayed to BullMQ by the worker. */
@Injectable()
export class JobOutbox {
  constructor(private readonly db: Database) {}

  /** Inside the caller's transaction. A key written before is not written again. */
  async add(tx: Queryable, jobs: readonly OutboxJob[]): Promise<void> {
    if (jobs.length === 0) return;
    await tx.query(
      `insert into job_outbox (job_key, name, data, run_at)
       select key, name, data, now() + make_interval(secs => delay_ms / 1000.0)
       from unnest($1::text[], $2::text[], $3::jsonb[], $4::int[]) as j(key, name, data, delay_ms)
       on conflict (job_key) do nothing`,
      [
        jobs.map((job) => job.key),
        jobs.map((job) => job.name),
        jobs.map((job) => JSON.stringify(job.data)),
        jobs.map((job) => job.delayMs ?? 0),
      ],
    );
  }

  /**
   * Hands up to `limit` unrelayed rows to `send`, and marks them relayed when it returns. The rows
   * stay locked meanwhile (other relays skip them); if the process dies before the commit they are
   * sent again, under the same job ids.
   */
  async relay(limit: number, send: (rows: OutboxRow[]) => Promise<void>): Promise<number> {
    return this.db.transaction(async (tx) => {
      const rows = await tx.query<OutboxRow>(
        `select id::int, job_key as key, name, data, run_at as "runAt" from job_outbox
         where relayed_at is null order by id limit $1 for update skip locked`,
        [limit],
      );
      if (rows.length === 0) return 0;
      await send(rows);
      await tx.query('update job_outbox set relayed_at = now() where id = any($1::bigint[])', [rows.map((row) => row.id)]);
      return rows.length;
    });
  }

  /** Forgets rows relayed before `before`. */
  async purge(before: Date): Promise<number> {
    const rows = await this.db.query('delete from job_outbox where relayed_at < $1 returning id', [before]);
    return rows.length;
  }

  async unrelayed(): Promise<number> {
    const [row] = await this.db.query<{ count: number }>('select count(*)::int as count from job_outbox where relayed_at is null');
    return row.count;
  }
}
