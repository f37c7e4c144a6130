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
 * A pass takes at most this much point-time: a bulk load logs spans of months, and one pass over
 * all of them would hold the embedded database (one connection) for minutes.
 *
 * A span's point-time is what it adds to its point's work in the pass. A span near its point's
 * previous one in the log (within a quarter-hour of it) adds only how far it reaches past that one:
 * under live load every stored batch logs a span per point a second or less apart, and all of them
 * are one stretch of work. Any other span (a point's first, a late reading far from the live ones)
 * counts at least a quarter-hour, the least a recomputation takes.
 */
const CLAIM_SPAN_SECONDS = 31 * 86_400;
/** The least a recomputation takes, and how near a span must be to its point's previous one to extend it. */
const QUARTER_SECONDS = 900;
const NEAR = `interval '${QUARTER_SECONDS} seconds'`;

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
         select id, sum(point_seconds) over (order by id) as claimed_seconds, row_number() over (order by id) as n
         from (
           select id,
                  case when from_ts between previous_from - ${NEAR} and previous_to + ${NEAR}
                       then greatest(extract(epoch from (to_ts - previous_to)), 0)
                       else greatest(extract(epoch from (to_ts - from_ts)), ${QUARTER_SECONDS}) end as point_seconds
           from (
             select id, from_ts, to_ts,
                    lag(from_ts) over (partition by point_id order by id) as previous_from,
                    lag(to_ts) over (partition by point_id order by id) as previous_to
             from (select id, point_id, from_ts, to_ts from ${log} order by id limit $1) oldest
           ) beside_previous
         ) costed
       ) taken
       where n = 1 or claimed_seconds <= $2)
     returning point_id, from_ts, to_ts`,
    [limit, CLAIM_SPAN_SECONDS],
  );
  return rows.map((row) => ({ pointId: row.point_id, from: row.from_ts.getTime(), to: row.to_ts.getTime() }));
}
