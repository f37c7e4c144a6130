import { Queryable } from '@hallwatch/db';
import { InvalidatedSpan } from './rollup-invalidations';
import { CONSUMPTION_KINDS_SQL } from '@hallwatch/domain';
import { bin, HELD, intervalLength, QUARTER, readingBucket, REGISTER_ATTRIBUTES, REPLACEMENT_IN_STEP } from './rollup-sql';

/**
 * The append path of the rollup refresher (docs/rollups.md, "Appending"). A point's mark says its
 * stored rollups account for every reading up to `through_ts` and nothing newer: the newest of them
 * still holds its value for the full hour, and no register step leaves it. New readings after the
 * mark then change the stored rows only by what they add, so the rows are extended instead of
 * recomputed from every reading of the quarter being written:
 * - the new readings' count, sum, min, max and last value are merged into their buckets' rows;
 * - register steps from the mark's reading through the new ones are split across buckets and added;
 * - an interval point's new amounts are split across the buckets of their intervals and added;
 * - a gauge's mark reading held a full hour; the next reading cuts that hold short, so its value is
 *   taken off the seconds it no longer holds, and the new readings' holds are added.
 *
 * Merging gives the same rows as recomputing them (the property tests in test/storage compare both
 * with a reference), and the mark moves to the newest reading taken, in the same statement, so it
 * never claims more than the rows account for.
 */
const APPEND_SQL = `
  with marks as (
    select m.point_id, m.through_ts as w_ts, m.through_value as w_value, g.cutoff, p.kind, ${REGISTER_ATTRIBUTES} as attributes
    from unnest($1::int[], $2::timestamptz[]) as g (point_id, cutoff)
    join rollup_marks m on m.point_id = g.point_id
    join points p on p.id = g.point_id and p.kind = m.kind
  ),
  seq as (
    select m.point_id, m.kind, m.attributes, m.w_ts, w.ts, w.value, ${readingBucket('m.kind', 'w.ts')} as bucket,
           lag(w.ts) over win as prev_ts, lag(w.value) over win as prev_value, lead(w.ts) over win as next_ts,
           lag(${readingBucket('m.kind', 'w.ts')}) over win as prev_bucket, lead(${readingBucket('m.kind', 'w.ts')}) over win as next_bucket
    from marks m
    cross join lateral (
      select m.w_ts as ts, m.w_value as value
      union all
      (select ts, value from readings where point_id = m.point_id and ts > m.w_ts and ts <= m.cutoff)
    ) w
    window win as (partition by m.point_id order by w.ts)
  ),
  agg as (
    -- the new readings of each bucket; a bucket's first reading has none before it in the bucket, its last none after
    select point_id, bucket, count(*)::int as count, sum(value) as sum, min(value) as min, max(value) as max,
           min(ts) as first_ts, max(value) filter (where prev_bucket < bucket) as first_value,
           max(ts) as last_ts, max(value) filter (where next_bucket is null or next_bucket > bucket) as last_value
    from seq where ts > w_ts
    group by point_id, bucket
  ),
  hold_spans as (
    -- other points hold each reading until the next one, at most an hour; the mark's reading held
    -- the full hour in the stored rows, so that hold is taken off (sign -1) and its new one added
    select point_id, ts, value, bucket, least(coalesce(next_ts, ts + interval '1 hour'), ts + interval '1 hour') as hold_end, 1::float8 as sign
    from seq where ${HELD('kind')}
    union all
    select point_id, ts, value, bucket, ts + interval '1 hour', -1::float8
    from seq where ${HELD('kind')} and ts = w_ts
  ),
  holds as (
    select point_id, bucket, sum(sign * value * seconds) as tw_sum, sum(sign * seconds) as tw_seconds
    from (
      select point_id, bucket, sign, value, extract(epoch from (least(hold_end, bucket + ${QUARTER}) - ts))::float8 as seconds
      from hold_spans
      union all
      select h.point_id, q.bucket, h.sign, h.value, extract(epoch from (least(h.hold_end, q.bucket + ${QUARTER}) - q.bucket))::float8
      from hold_spans h
      cross join lateral generate_series(h.bucket + ${QUARTER}, ${bin(`h.hold_end - interval '1 microsecond'`)}, ${QUARTER}) as q (bucket)
      where h.hold_end > h.bucket + ${QUARTER}
    ) pieces
    group by point_id, bucket
  ),
  steps as (
    select s.point_id, s.prev_ts as t0, s.ts as t1, ${bin('s.prev_ts')} as first_bucket,
           ${bin(`s.ts - interval '1 microsecond'`)} as last_bucket, st.delta, st.flags, st.estimated
    from seq s
    ${REPLACEMENT_IN_STEP}
    cross join lateral register_step_v2(s.prev_value, s.prev_ts, s.value, s.ts, s.attributes, replaced.start_value) st
    where s.kind = 'cumulative' and s.prev_ts is not null
    union all
    -- interval points: each new amount over its own interval (which may reach back before the mark's bucket)
    select s.point_id, s.ts - ${intervalLength('s.attributes')}, s.ts, ${bin(`s.ts - ${intervalLength('s.attributes')}`)},
           ${bin(`s.ts - interval '1 microsecond'`)}, s.value, 0, 0::float8
    from seq s where s.kind = 'interval' and s.ts > s.w_ts
  ),
  shares as (
    select point_id, bucket, sum(delta * fraction) as consumption, sum(estimated * fraction) as estimated, bit_or(flags) as flags
    from (
      select point_id, first_bucket as bucket, delta, estimated, flags, 1::float8 as fraction
      from steps where first_bucket = last_bucket
      union all
      select st.point_id, q.bucket, st.delta, st.estimated, st.flags,
             extract(epoch from (least(st.t1, q.bucket + ${QUARTER}) - greatest(st.t0, q.bucket)))::float8
             / extract(epoch from (st.t1 - st.t0))::float8
      from steps st
      cross join lateral generate_series(st.first_bucket, st.last_bucket, ${QUARTER}) as q (bucket)
      where st.first_bucket < st.last_bucket
    ) pieces
    where fraction > 0
    group by point_id, bucket
  ),
  buckets as (
    select point_id, bucket from agg union select point_id, bucket from shares union select point_id, bucket from holds
  ),
  merged as (
    insert into rollups_15m as r (point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
                                  consumption, consumption_flags, estimated, tw_sum, tw_seconds)
    select b.point_id, b.bucket, coalesce(a.count, 0), coalesce(a.sum, 0), a.min, a.max, a.first_ts, a.first_value, a.last_ts, a.last_value,
           case when m.kind in ${CONSUMPTION_KINDS_SQL} then coalesce(sh.consumption, 0) end, coalesce(sh.flags, 0),
           case when m.kind in ${CONSUMPTION_KINDS_SQL} then coalesce(sh.estimated, 0) end,
           h.tw_sum, h.tw_seconds
    from buckets b
    join marks m on m.point_id = b.point_id
    left join agg a on a.point_id = b.point_id and a.bucket = b.bucket
    left join shares sh on sh.point_id = b.point_id and sh.bucket = b.bucket
    left join holds h on h.point_id = b.point_id and h.bucket = b.bucket
    on conflict (point_id, bucket) do update set
      count = r.count + excluded.count,
      sum = r.sum + excluded.sum,
      min = least(r.min, excluded.min),
      max = greatest(r.max, excluded.max),
      first_ts = coalesce(r.first_ts, excluded.first_ts),
      first_value = case when r.first_ts is null then excluded.first_value else r.first_value end,
      last_ts = coalesce(excluded.last_ts, r.last_ts),
      last_value = case when excluded.last_ts is null then r.last_value else excluded.last_value end,
      consumption = ${addNullable('consumption')},
      consumption_flags = r.consumption_flags | excluded.consumption_flags,
      estimated = ${addNullable('estimated')},
      tw_sum = ${addNullable('tw_sum')},
      tw_seconds = ${addNullable('tw_seconds')}
    returning r.point_id, r.bucket
  ),
  moved as (
    update rollup_marks m set through_ts = newest.ts, through_value = newest.value
    from (select distinct on (point_id) point_id, ts, value from seq where ts > w_ts order by point_id, ts desc) newest
    where m.point_id = newest.point_id
    returning m.point_id
  )
  select point_id, min(bucket) as b0, max(bucket) + ${QUARTER} as b1, (select count(*) from moved)::int as moved
  from merged group by point_id`;

function addNullable(column: string): string {
  return `case when r.${column} is null and excluded.${column} is null then null else coalesce(r.${column}, 0) + coalesce(excluded.${column}, 0) end`;
}

/** A point whose new readings after its mark, up to `cutoff` (epoch ms), are to be appended. */
export interface AppendTarget {
  pointId: number;
  cutoff: number;
}

/** Appends each target's new readings to its stored 15-minute rows; returns the quarter-hours changed, per point. */
export async function appendToRollups(tx: Queryable, targets: readonly AppendTarget[]): Promise<InvalidatedSpan[]> {
  if (targets.length === 0) return [];
  const rows = await tx.query<{ point_id: number; b0: Date; b1: Date }>(APPEND_SQL, [
    targets.map((target) => target.pointId),
    targets.map((target) => new Date(target.cutoff)),
  ]);
  return rows.map((row) => ({ pointId: row.point_id, from: row.b0.getTime(), to: row.b1.getTime() }));
}

/** The points whose new spans may be appended: a mark of the same kind, not below the point's retention horizon. */
export async function appendableMarks(tx: Queryable, pointIds: readonly number[]): Promise<Map<number, number>> {
  if (pointIds.length === 0) return new Map();
  const rows = await tx.query<{ point_id: number; through_ts: Date }>(
    `select m.point_id, m.through_ts
     from rollup_marks m
     join points p on p.id = m.point_id and p.kind = m.kind
     left join raw_retention rr on rr.point_id = m.point_id
     where m.point_id = any($1::int[]) and (rr.purged_before is null or m.through_ts >= rr.purged_before)`,
    [pointIds],
  );
  return new Map(rows.map((row) => [row.point_id, row.through_ts.getTime()]));
}

/**
 * After the points were recomputed: their marks are dropped, and set again (to their newest reading)
 * for each point with nothing left in the log, whose rollups then account for all its readings.
 * The refresher's transaction sees one snapshot, so "nothing left" and "newest" agree.
 */
export async function remarkRecomputed(tx: Queryable, pointIds: readonly number[]): Promise<void> {
  if (pointIds.length === 0) return;
  await tx.query('delete from rollup_marks where point_id = any($1::int[])', [pointIds]);
  await tx.query(
    `insert into rollup_marks (point_id, kind, through_ts, through_value)
     select p.id, p.kind, newest.ts, newest.value
     from points p
     cross join lateral (select ts, value from readings where point_id = p.id order by ts desc limit 1) newest
     where p.id = any($1::int[])
       and not exists (select 1 from rollup_invalidations i where i.point_id = p.id)`,
    [pointIds],
  );
}
