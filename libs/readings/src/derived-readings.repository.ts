import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { claimLoggedSpans, InvalidatedSpan } from './rollup-invalidations';
import { lockRollups } from './rollup-refresher.service';

/** A stored value of a point. */
export interface StoredSample {
  ts: number;
  value: number;
}

const SPANS = `unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) as g (point_id, from_ts, to_ts)`;

const spanParams = (spans: readonly InvalidatedSpan[]) => [
  spans.map((span) => span.pointId),
  spans.map((span) => new Date(span.from)),
  spans.map((span) => new Date(span.to)),
];

/**
 * Logs the spans of readings a writer stored for the derived pass, in the writer's transaction
 * (beside rollup_invalidations): the derived pass takes them from here, never from the rollup log.
 */
export async function logDerivedInvalidations(tx: Queryable, spans: readonly InvalidatedSpan[]): Promise<void> {
  if (spans.length === 0) return;
  await tx.query(`insert into derived_invalidations (point_id, from_ts, to_ts) select * from ${SPANS}`, spanParams(spans));
}

/**
 * The derived pass's reads and writes (apps/ingest/src/derived): the spans writers logged, the
 * stored input readings, and the derived readings made equal to their definition. Every method
 * runs inside the transaction of `locked`, so a pass commits all of it or nothing.
 */
@Injectable()
export class DerivedReadingRepository {
  constructor(private readonly db: Database) {}

  /**
   * One pass in one transaction under the rollup lock: one derived pass at a time across every
   * instance, and never beside a rollup refresh or a retention purge.
   */
  async locked<T>(work: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction(async (tx) => {
      await lockRollups(tx);
      return work(tx);
    });
  }

  /** Takes (deletes) the oldest logged spans (claimLoggedSpans: at most `limit` and a month of point-time). */
  claim(tx: Queryable, limit: number): Promise<InvalidatedSpan[]> {
    return claimLoggedSpans(tx, 'derived_invalidations', limit);
  }

  /** The retention horizon (epoch ms) of those of the points that have one. */
  async horizons(tx: Queryable, pointIds: readonly number[]): Promise<Map<number, number>> {
    if (pointIds.length === 0) return new Map();
    const rows = await tx.query<{ point_id: number; purged_before: Date }>(
      'select point_id, purged_before from raw_retention where point_id = any($1::int[])',
      [pointIds],
    );
    return new Map(rows.map((row) => [row.point_id, row.purged_before.getTime()]));
  }

  /**
   * Each point's stored readings in its spans [from, to], with the latest one before each span if
   * it is at most `lookbackMs` older than the span's start (what holds into it). Below a point's
   * retention horizon only its anchor counts, as for the rollups. Sorted by time, per point.
   */
  async samples(tx: Queryable, spans: readonly InvalidatedSpan[], lookbackMs: number): Promise<Map<number, StoredSample[]>> {
    const byPoint = new Map<number, StoredSample[]>();
    if (spans.length === 0) return byPoint;
    const rows = await tx.query<{ point_id: number; ts: Date; value: number }>(
      `select g.point_id, w.ts, w.value
       from ${SPANS}
       left join raw_retention rr on rr.point_id = g.point_id
       cross join lateral (
         (select ts, value from readings r
          where r.point_id = g.point_id and r.ts < g.from_ts and r.ts >= g.from_ts - $4::float8 * interval '1 millisecond'
            and (rr.purged_before is null or r.ts >= rr.purged_before or r.ts = rr.anchor_ts)
          order by r.ts desc limit 1)
         union all
         (select ts, value from readings r where r.point_id = g.point_id and r.ts >= g.from_ts and r.ts <= g.to_ts)
       ) w
       order by g.point_id, w.ts`,
      [...spanParams(spans), lookbackMs],
    );
    for (const row of rows) {
      const list = byPoint.get(row.point_id) ?? [];
      const ts = row.ts.getTime();
      // the reading before one span may lie inside the span before it
      if (list.at(-1)?.ts !== ts) list.push({ ts, value: row.value });
      byPoint.set(row.point_id, list);
    }
    return byPoint;
  }

  /**
   * Makes the stored readings of derived points in `windows` (inclusive) exactly `values`: the ones
   * not in `values` are deleted, the others inserted or updated where they differ. Returns what
   * changed: the readings written (new or different) and the times of those deleted.
   */
  async replace(
    tx: Queryable,
    windows: readonly InvalidatedSpan[],
    values: readonly Reading[],
  ): Promise<{ stored: Reading[]; removed: Array<Pick<Reading, 'pointId' | 'ts'>> }> {
    if (windows.length === 0) return { stored: [], removed: [] };
    // In key order, as writers insert, so that a writer storing a device's value of a derived point
    // and this pass take their row locks in the same order.
    const ordered = [...values].sort((a, b) => a.pointId - b.pointId || a.ts - b.ts);
    const removed = await tx.query<{ point_id: number; ts: Date }>(
      `delete from readings r using ${SPANS}
       where r.point_id = g.point_id and r.ts >= g.from_ts and r.ts <= g.to_ts
         and not exists (select 1 from unnest($4::int[], $5::timestamptz[]) as v (point_id, ts) where v.point_id = r.point_id and v.ts = r.ts)
       returning r.point_id, r.ts`,
      [...spanParams(windows), ordered.map((reading) => reading.pointId), ordered.map((reading) => new Date(reading.ts))],
    );
    const stored = ordered.length
      ? await tx.query<{ point_id: number; ts: Date; value: number; flags: number }>(
          `insert into readings (point_id, ts, value, flags)
           select * from unnest($1::int[], $2::timestamptz[], $3::float8[], $4::int2[])
           on conflict (point_id, ts) do update set value = excluded.value, flags = excluded.flags
             where (readings.value, readings.flags) is distinct from (excluded.value, excluded.flags)
           returning point_id, ts, value, flags`,
          [
            ordered.map((reading) => reading.pointId),
            ordered.map((reading) => new Date(reading.ts)),
            ordered.map((reading) => reading.value),
            ordered.map((reading) => reading.flags),
          ],
        )
      : [];
    return {
      stored: stored.map((row) => ({ pointId: row.point_id, ts: row.ts.getTime(), value: row.value, flags: row.flags })),
      removed: removed.map((row) => ({ pointId: row.point_id, ts: row.ts.getTime() })),
    };
  }

  /**
   * Logs where the pass changed derived readings: for the rollup refresher, and, for derived points
   * that are inputs of others, for the next derived pass.
   */
  async logChanges(tx: Queryable, rollups: readonly InvalidatedSpan[], derived: readonly InvalidatedSpan[]): Promise<void> {
    if (rollups.length > 0) {
      await tx.query(`insert into rollup_invalidations (point_id, from_ts, to_ts) select * from ${SPANS}`, spanParams(rollups));
    }
    await logDerivedInvalidations(tx, derived);
  }
}
