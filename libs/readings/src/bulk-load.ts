import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Database, PgliteDatabase, Transaction } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { logDerivedInvalidations } from './derived-readings.repository';
import { LATE_AFTER_MS } from './ingest-ledger';
import { addLedgerCounts } from './ingest-store.service';
import { InvalidatedSpan } from './rollup-invalidations';

/** What a bulk load did: the ingest ledger's outcomes, and how fast. */
export interface BulkLoadResult {
  received: number;
  stored: number;
  duplicate: number;
  late: number;
  /** not numbers (rejected:bad-value), or older than the point's raw-retention horizon (rejected:older-than-retention) */
  rejected: number;
  ms: number;
  /** stored and duplicate readings per second of the load */
  readingsPerSecond: number;
}

/** Readings a batch holds at most: bounded, so that each transaction is short and live ingest goes between them. */
export const BULK_BATCH = 5_000;

/**
 * History at the speed of the database (#19 item 7): readings COPY'd into a temporary staging
 * table, then `insert into readings ... select ... on conflict do nothing` (a duplicate is counted,
 * never a failure), with the ingest ledger's counts (received, stored, duplicate, late, rejected)
 * and the rollup invalidation log in the same transaction, so the rollups and derived points
 * follow through the normal refresher. Each batch of at most `BULK_BATCH` is a transaction of
 * its own, and the loader yields between batches.
 *
 * The bulk lane never holds live ingest up: on PostgreSQL it loads over a connection of its own
 * (`databaseUrl`), outside the pool live ingest writes through; on the embedded database (one
 * connection, statements serialised) live batches go between its bounded batches.
 */
export class BulkLoader {
  private client?: Client;

  private readonly batchSize: number;

  constructor(
    private readonly db: Database,
    private readonly databaseUrl?: string,
    options: { batchSize?: number } = {},
  ) {
    this.batchSize = options.batchSize ?? BULK_BATCH;
  }

  /** Loads `readings` for the ledger's `source`; readings of a non-finite value are rejected (counted, not stored). */
  async load(readings: readonly Reading[], source: string, receivedAt = Date.now()): Promise<BulkLoadResult> {
    const started = Date.now();
    const total: BulkLoadResult = { received: 0, stored: 0, duplicate: 0, late: 0, rejected: 0, ms: 0, readingsPerSecond: 0 };
    for (let i = 0; i < readings.length; i += this.batchSize) {
      const batch = readings.slice(i, i + this.batchSize);
      const valid = batch.filter(
        (reading) => Number.isFinite(reading.value) && Number.isFinite(reading.ts) && Number.isInteger(reading.pointId),
      );
      const rejected = batch.length - valid.length;
      const { stored, tooOld, late } =
        valid.length === 0
          ? { stored: 0, tooOld: 0, late: 0 }
          : await this.batch(valid, async (tx) =>
              this.finish(tx, source, { valid: valid.length, lateBefore: receivedAt - LATE_AFTER_MS, rejected }),
            );
      if (valid.length === 0 && rejected > 0) await this.db.transaction((tx) => this.ledger(tx, source, { received: rejected, rejected }));
      total.received += batch.length;
      total.stored += stored;
      total.duplicate += valid.length - tooOld - stored;
      total.late += late;
      total.rejected += rejected + tooOld;
      // Let whatever waits (a live batch, a request) run before the next batch.
      await new Promise((resolve) => setImmediate(resolve));
    }
    total.ms = Date.now() - started;
    total.readingsPerSecond = Math.round(((total.stored + total.duplicate) / Math.max(1, total.ms)) * 1000);
    return total;
  }

  async close(): Promise<void> {
    await this.client?.end();
    this.client = undefined;
  }

  /** One batch in its own transaction: staged by COPY, inserted, then `finish` (the ledger and invalidations). */
  private async batch<T>(readings: readonly Reading[], finish: (tx: Transaction) => Promise<T>): Promise<T> {
    const rows = readings.map((r) => `${r.pointId}\t${new Date(r.ts).toISOString()}\t${r.value}\t${r.flags}\n`).join('');
    const stage = `create temp table if not exists bulk_staging (point_id int, ts timestamptz, value float8, flags int2) on commit delete rows`;
    if (this.db instanceof PgliteDatabase) {
      return this.db.client.transaction(async (tx) => {
        await tx.exec(stage);
        await tx.query(`copy bulk_staging (point_id, ts, value, flags) from '/dev/blob'`, [], { blob: new Blob([rows]) });
        return finish({
          query: async <Row>(sql: string, params: readonly unknown[] = []) => (await tx.query<Row>(sql, params as unknown[])).rows,
          exec: async (sql: string) => {
            await tx.exec(sql);
          },
        });
      });
    }
    if (!this.databaseUrl) {
      // No URL for a connection of its own: the same statements through the pool, rows as parameters.
      return this.db.transaction(async (tx) => {
        await tx.exec(stage);
        await tx.query(`insert into bulk_staging select * from unnest($1::int[], $2::timestamptz[], $3::float8[], $4::int2[])`, [
          readings.map((r) => r.pointId),
          readings.map((r) => new Date(r.ts)),
          readings.map((r) => r.value),
          readings.map((r) => r.flags),
        ]);
        return finish(tx);
      });
    }
    const client = await this.connection();
    await client.query('begin');
    try {
      await client.query(stage);
      await pipeline(Readable.from([rows]), client.query(copyFrom('copy bulk_staging (point_id, ts, value, flags) from stdin')));
      const stored = await finish({
        query: async <Row>(sql: string, params: readonly unknown[] = []) => (await client.query(sql, params as unknown[])).rows as Row[],
        exec: async (sql: string) => {
          await client.query(sql);
        },
      });
      await client.query('commit');
      return stored;
    } catch (error) {
      await client.query('rollback').catch(() => undefined);
      throw error;
    }
  }

  /** From the staging table into readings; the invalidation log and the ledger; returns how many were new. */
  private async finish(
    tx: Transaction,
    source: string,
    counts: { valid: number; lateBefore: number; rejected: number },
  ): Promise<{ stored: number; tooOld: number; late: number }> {
    // As ingest does: a reading older than its point's raw-retention horizon is refused (its buckets are final).
    const [old] = await tx.query<{ n: number }>(
      `with gone as (
         delete from bulk_staging s using raw_retention h where h.point_id = s.point_id and s.ts < h.purged_before returning 1
       )
       select count(*)::int as n from gone`,
    );
    const tooOld = Number(old.n);
    // Late as ingest counts it: stamped more than LATE_AFTER_MS before it was received.
    const [lateRow] = await tx.query<{ n: number }>('select count(*)::int as n from bulk_staging where ts < $1', [
      new Date(counts.lateBefore),
    ]);
    const late = Number(lateRow.n);
    const spans = await tx.query<{ point_id: number; from_ts: Date; to_ts: Date; stored: string }>(
      `with inserted as (
         insert into readings (point_id, ts, value, flags)
         select point_id, ts, value, flags from bulk_staging s
         -- as ingest does: a reading someone voided stays void when it is loaded again
         where not exists (select 1 from reading_corrections c where c.point_id = s.point_id and c.ts = s.ts and c.action = 'void')
         order by point_id, ts
         on conflict (point_id, ts) do nothing
         returning point_id, ts
       )
       select point_id, min(ts) as from_ts, max(ts) as to_ts, count(*) as stored from inserted group by point_id order by point_id`,
    );
    const invalidated: InvalidatedSpan[] = spans.map((span) => ({
      pointId: Number(span.point_id),
      from: new Date(span.from_ts).getTime(),
      to: new Date(span.to_ts).getTime(),
    }));
    if (invalidated.length > 0) {
      await tx.query(
        `insert into rollup_invalidations (point_id, from_ts, to_ts)
         select * from unnest($1::int[], $2::timestamptz[], $3::timestamptz[])`,
        [
          invalidated.map((span) => span.pointId),
          invalidated.map((span) => new Date(span.from)),
          invalidated.map((span) => new Date(span.to)),
        ],
      );
      await logDerivedInvalidations(tx, invalidated);
    }
    const stored = spans.reduce((sum, span) => sum + Number(span.stored), 0);
    await this.ledger(tx, source, {
      received: counts.valid + counts.rejected,
      stored,
      duplicate: counts.valid - tooOld - stored,
      late,
      rejected: counts.rejected,
      tooOld,
    });
    return { stored, tooOld, late };
  }

  private async ledger(
    tx: Transaction,
    source: string,
    counts: Partial<Record<'received' | 'stored' | 'duplicate' | 'late' | 'rejected' | 'tooOld', number>>,
  ) {
    const outcomes: Record<string, string> = { rejected: 'rejected:bad-value', tooOld: 'rejected:older-than-retention' };
    const entries = Object.entries(counts)
      .filter(([, count]) => (count ?? 0) > 0)
      .map(([outcome, count]) => ({ source, outcome: outcomes[outcome] ?? outcome, count: count ?? 0 }))
      .sort((a, b) => a.outcome.localeCompare(b.outcome));
    await addLedgerCounts(tx, entries);
  }

  private async connection(): Promise<Client> {
    if (!this.client) {
      const client = new Client({ connectionString: this.databaseUrl, application_name: 'hallwatch-bulk' });
      client.on('error', () => undefined);
      await client.connect();
      this.client = client;
    }
    return this.client;
  }
}
