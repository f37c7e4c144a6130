import { Queryable } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';

/** Where a point's rollups may have changed: its new readings lie in [from, to] (epoch ms). */
export interface InvalidatedSpan {
  pointId: number;
  from: number;
  to: number;
}

/**
 * Readings of one point closer together than this share one logged span; farther apart (a late
 * reading beside live ones) they get spans of their own, so the refresher does not recompute the
 * whole time between them.
 */
const SPAN_JOIN_MS = 60 * 60_000;

/** The spans a batch of stored readings invalidated, per point. */
export function invalidatedSpans(readings: readonly Pick<Reading, 'pointId' | 'ts'>[]): InvalidatedSpan[] {
  const byPoint = new Map<number, number[]>();
  for (const { pointId, ts } of readings) {
    const list = byPoint.get(pointId);
    if (list) list.push(ts);
    else byPoint.set(pointId, [ts]);
  }
  const spans: InvalidatedSpan[] = [];
  for (const [pointId, times] of byPoint) {
    times.sort((a, b) => a - b);
    let span: InvalidatedSpan = { pointId, from: times[0], to: times[0] };
    for (const ts of times.slice(1)) {
      if (ts - span.to <= SPAN_JOIN_MS) span.to = ts;
      else {
        spans.push(span);
        span = { pointId, from: ts, to: ts };
      }
    }
    spans.push(span);
  }
  return spans;
}

/** Overlapping or touching spans of the same point become one; the result is sorted by point and time. */
export function mergeSpans(spans: readonly InvalidatedSpan[]): InvalidatedSpan[] {
  const sorted = [...spans].sort((a, b) => a.pointId - b.pointId || a.from - b.from);
  const merged: InvalidatedSpan[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && last.pointId === span.pointId && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/**
 * A pass takes at most this much point-time (the sum of its logged spans, each counted as at least
 * a quarter-hour): a bulk load logs spans of months, and one pass over all of them would hold the
 * embedded database (one connection) for minutes.
 */
const CLAIM_SPAN_SECONDS = 31 * 86_400;

/**
 * Takes (deletes) the oldest spans of a log: at most `limit`, and at most CLAIM_SPAN_SECONDS of
 * point-time together, but always the first. A writer's span is visible only once its readings are
 * committed, so the reads that follow in the same pass see those readings.
 */
export async function claimLoggedSpans(
  tx: Queryable,
  log: 'rollup_invalidations' | 'derived_invalidations',
  limit: number,
): Promise<InvalidatedSpan[]> {
  const rows = await tx.query<{ point_id: number; from_ts: Date; to_ts: Date }>(
    `delete from ${log} where id in (
       select id from (
         select id, sum(greatest(extract(epoch from (to_ts - from_ts)), 900)) over (order by id) as point_seconds,
                row_number() over (order by id) as n
         from (select id, from_ts, to_ts from ${log} order by id limit $1) oldest
       ) taken
       where n = 1 or point_seconds <= $2)
     returning point_id, from_ts, to_ts`,
    [limit, CLAIM_SPAN_SECONDS],
  );
  return rows.map((row) => ({ pointId: row.point_id, from: row.from_ts.getTime(), to: row.to_ts.getTime() }));
}
