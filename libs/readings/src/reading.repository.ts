import { Injectable } from '@nestjs/common';
import { Database, Queryable, ReadDatabase } from '@hallwatch/db';
import { Reading, ReadingFlags } from '@hallwatch/domain';
import { logDerivedInvalidations } from './derived-readings.repository';
import { invalidatedSpans } from './rollup-invalidations';

/** A meter replaced, with the start of the new register. */
export interface RegisterReplacement {
  id: number;
  replacedAt: string;
  startValue: number;
  note: string | null;
  createdBy: string;
}

export interface RawRow {
  ts: number;
  value: number;
  flags: number;
}

export interface ReadingCorrection {
  id: number;
  ts: string;
  action: 'correct' | 'void';
  originalValue: number;
  value: number | null;
  reason: string;
  correctedBy: string;
  correctedAt: string;
}

interface CorrectionRow {
  id: string;
  ts: Date;
  action: 'correct' | 'void';
  original_value: number;
  value: number | null;
  reason: string;
  corrected_by: string;
  corrected_at: Date;
}

const CORRECTION_COLUMNS = 'id, ts, action, original_value, value, reason, corrected_by, corrected_at';

const toCorrection = (row: CorrectionRow): ReadingCorrection => ({
  id: Number(row.id),
  ts: row.ts.toISOString(),
  action: row.action,
  originalValue: row.original_value,
  value: row.value,
  reason: row.reason,
  correctedBy: row.corrected_by,
  correctedAt: row.corrected_at.toISOString(),
});

async function logInvalidations(tx: Queryable, spans: ReturnType<typeof invalidatedSpans>): Promise<void> {
  if (spans.length === 0) return;
  await tx.query(
    `insert into rollup_invalidations (point_id, from_ts, to_ts)
     select * from unnest($1::int[], $2::timestamptz[], $3::timestamptz[])`,
    [spans.map((span) => span.pointId), spans.map((span) => new Date(span.from)), spans.map((span) => new Date(span.to))],
  );
  // The derived pass keeps its own log: the rollup refresher consumes this one (apps/ingest/src/derived).
  await logDerivedInvalidations(tx, spans);
}

/** Readings: batched writes (the rollups follow through RollupRefresher; RollupRepository reads them), corrections, raw reads. */
@Injectable()
export class ReadingRepository {
  constructor(
    private readonly db: Database,
    private readonly readDb: ReadDatabase,
  ) {}

  /**
   * Stores a batch in one transaction and logs the spans it invalidated, for the rollup refresher.
   * Returns the readings that were new; re-delivered ones (same point and time) are left as they were.
   */
  async insertBatch(readings: readonly Reading[]): Promise<Reading[]> {
    if (readings.length === 0) return [];
    return this.db.transaction((tx) => this.insertWithin(tx, readings));
  }

  /** The same, inside a transaction the caller holds (to store dead letters and the ledger with it). */
  async insertWithin(tx: Queryable, readings: readonly Reading[]): Promise<Reading[]> {
    if (readings.length === 0) return [];
    // In key order, so that writers storing overlapping batches (re-deliveries to two instances)
    // take their row locks in the same order and cannot deadlock.
    const ordered = [...readings].sort((a, b) => a.pointId - b.pointId || a.ts - b.ts);
    // Times go both ways as epoch milliseconds: formatting and parsing thousands of Dates in the
    // driver was a tenth of ingest's time in a back-fill, on the thread live readings wait for.
    const inserted = await tx.query<{ point_id: number; ts_ms: number; value: number; flags: number }>(
      `insert into readings (point_id, ts, value, flags)
       select r.point_id, timestamptz 'epoch' + r.ts_ms * interval '1 millisecond', r.value, r.flags
         from unnest($1::int[], $2::float8[], $3::float8[], $4::int2[]) as r (point_id, ts_ms, value, flags)
       -- a reading someone voided stays void when the device sends it again
       where not exists (
         select 1 from reading_corrections c
          where c.point_id = r.point_id and c.ts = timestamptz 'epoch' + r.ts_ms * interval '1 millisecond' and c.action = 'void'
       )
       on conflict (point_id, ts) do nothing
       returning point_id, (extract(epoch from ts) * 1000)::float8 as ts_ms, value, flags`,
      [
        ordered.map((reading) => reading.pointId),
        ordered.map((reading) => reading.ts),
        ordered.map((reading) => reading.value),
        ordered.map((reading) => reading.flags),
      ],
    );
    const stored = inserted.map((row) => ({ pointId: row.point_id, ts: row.ts_ms, value: row.value, flags: row.flags }));
    await logInvalidations(tx, invalidatedSpans(stored));
    return stored;
  }

  /**
   * Corrects (a value) or voids (null) the stored reading of a point at `ts`, keeping the original
   * in reading_corrections; the span is logged so the rollups and derived points follow. Null when
   * there is no such reading.
   */
  async correct(pointId: number, ts: Date, value: number | null, reason: string, by: string): Promise<ReadingCorrection | null> {
    return this.db.transaction(async (tx) => {
      const [original] = await tx.query<{ value: number; flags: number }>(
        'select value, flags from readings where point_id = $1 and ts = $2 for update',
        [pointId, ts],
      );
      if (!original) return null;
      if (value === null) await tx.query('delete from readings where point_id = $1 and ts = $2', [pointId, ts]);
      else {
        await tx.query('update readings set value = $3, flags = flags | $4 where point_id = $1 and ts = $2', [
          pointId,
          ts,
          value,
          ReadingFlags.corrected,
        ]);
      }
      const [row] = await tx.query<CorrectionRow>(
        `insert into reading_corrections (point_id, ts, action, original_value, original_flags, value, reason, corrected_by)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         returning ${CORRECTION_COLUMNS}`,
        [pointId, ts, value === null ? 'void' : 'correct', original.value, original.flags, value, reason, by],
      );
      await logInvalidations(tx, [{ pointId, from: ts.getTime(), to: ts.getTime() }]);
      return toCorrection(row);
    });
  }

  /** A point's corrections, newest first. */
  async corrections(pointId: number, limit: number): Promise<ReadingCorrection[]> {
    const rows = await this.readDb.query<CorrectionRow>(
      `select ${CORRECTION_COLUMNS} from reading_corrections where point_id = $1 order by corrected_at desc, id desc limit $2`,
      [pointId, limit],
    );
    return rows.map(toCorrection);
  }

  /**
   * A meter was replaced at `at` and its register starts at `startValue`: recorded, and the step
   * across the replacement logged for the rollup refresher.
   */
  async recordReplacement(pointId: number, at: Date, startValue: number, note: string | null, by: string): Promise<RegisterReplacement> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string; replaced_at: Date; start_value: number; note: string | null; created_by: string }>(
        `insert into register_replacements (point_id, replaced_at, start_value, note, created_by) values ($1, $2, $3, $4, $5)
         on conflict (point_id, replaced_at) do update set start_value = excluded.start_value, note = excluded.note, created_by = excluded.created_by
         returning id, replaced_at, start_value, note, created_by`,
        [pointId, at, startValue, note, by],
      );
      // The refresher widens the span to the readings on either side: the step across the replacement.
      await logInvalidations(tx, [{ pointId, from: at.getTime(), to: at.getTime() }]);
      return {
        id: Number(row.id),
        replacedAt: row.replaced_at.toISOString(),
        startValue: row.start_value,
        note: row.note,
        createdBy: row.created_by,
      };
    });
  }

  async replacements(pointId: number): Promise<RegisterReplacement[]> {
    const rows = await this.readDb.query<{ id: string; replaced_at: Date; start_value: number; note: string | null; created_by: string }>(
      'select id, replaced_at, start_value, note, created_by from register_replacements where point_id = $1 order by replaced_at',
      [pointId],
    );
    return rows.map((row) => ({
      id: Number(row.id),
      replacedAt: row.replaced_at.toISOString(),
      startValue: row.start_value,
      note: row.note,
      createdBy: row.created_by,
    }));
  }

  /**
   * The median step between each point's last `recent` + 1 readings, in seconds, for the points
   * with at least `atLeast` steps: the cadence its device reports at.
   */
  async medianSteps(pointIds: readonly number[], recent: number, atLeast: number): Promise<{ pointId: number; seconds: number }[]> {
    if (pointIds.length === 0) return [];
    return this.db.query<{ pointId: number; seconds: number }>(
      `with steps as (
         select p.id as point_id, extract(epoch from (r.ts - lag(r.ts) over (partition by p.id order by r.ts)))::float8 as seconds
         from unnest($1::int[]) as p (id)
         cross join lateral (select ts from readings where point_id = p.id order by ts desc limit $2::int + 1) r
       )
       select point_id as "pointId", percentile_cont(0.5) within group (order by seconds) as seconds
       from steps where seconds is not null
       group by point_id having count(*) >= $3`,
      [pointIds, recent, atLeast],
    );
  }

  /**
   * Logs each point's whole history, first reading to last, for the rollup refresher, inside a
   * transaction the caller holds; returns the points that had readings to log.
   */
  async logHistoryWithin(tx: Queryable, pointIds: readonly number[]): Promise<number[]> {
    if (pointIds.length === 0) return [];
    const rows = await tx.query<{ point_id: number }>(
      `insert into rollup_invalidations (point_id, from_ts, to_ts)
       select c.id, first.ts, last.ts
       from unnest($1::int[]) as c (id)
       cross join lateral (select ts from readings where point_id = c.id order by ts limit 1) first
       cross join lateral (select ts from readings where point_id = c.id order by ts desc limit 1) last
       returning point_id`,
      [pointIds],
    );
    return rows.map((row) => row.point_id);
  }

  /** The newest stored value of each point that has one. */
  async latestValues(pointIds: readonly number[]): Promise<Map<number, number>> {
    if (pointIds.length === 0) return new Map();
    const rows = await this.db.query<{ point_id: number; value: number }>(
      `select p.id as point_id, r.value
         from unnest($1::int[]) as p (id)
         cross join lateral (select value from readings where point_id = p.id order by ts desc limit 1) r`,
      [pointIds],
    );
    return new Map(rows.map((row) => [row.point_id, Number(row.value)]));
  }

  async raw(pointId: number, from: Date, to: Date, limit: number): Promise<RawRow[]> {
    const rows = await this.readDb.query<{ ts: Date; value: number; flags: number }>(
      `select ts, value, flags from readings
       where point_id = $1 and ts >= $2 and ts < $3
       order by ts limit $4`,
      [pointId, from, to, limit],
    );
    return rows.map((row) => ({ ts: row.ts.getTime(), value: row.value, flags: row.flags }));
  }
}
