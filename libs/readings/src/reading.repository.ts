import { Injectable } from '@nestjs/common';
import { Database, Queryable, ReadDatabase } from '@hallwatch/db';
import { bucketStart, Reading, RollupBucket } from '@hallwatch/domain';
import { touchedBuckets } from './rollup-buckets';

const ROLLUP_TABLE: Record<RollupBucket, string> = { '15m': 'rollups_15m', '1h': 'rollups_1h', '1d': 'rollups_1d' };

/** A register step longer than this is a gap: its consumption is kept whole, in the bucket after it, and flagged. */
const GAP_HOURS = 1;

/**
 * A reading inserted before others (late data) changes the register step of the reading after it,
 * which may lie in a later bucket: that bucket is refreshed too.
 */
const FOLLOWERS_SQL = `
  select nx.point_id, nx.ts
  from unnest($1::int[], $2::timestamptz[]) as i (point_id, ts)
  join points p on p.id = i.point_id and p.kind = 'cumulative'
  cross join lateral (select r.point_id, r.ts from readings r where r.point_id = i.point_id and r.ts > i.ts order by r.ts limit 1) nx`;

/**
 * The common case, readings arriving in order: a 15-minute bucket whose new readings all come after
 * its last one is brought up to date from the new readings alone, not re-read whole (a bucket of
 * 1-second data holds 900 readings). Counts, sums, extremes and the last value add up; a register
 * adds its steps, the first from the bucket's last reading; the time-weighted mean takes back the
 * hold of the old last reading past the first new one, and adds the new holds. Buckets this does
 * not apply to (new, out of order, or after a late register reading) are recomputed whole.
 * $1..$4: the stored readings (point, ts, value, 15-minute bucket); $5, $6: buckets to leave to the recompute.
 */
const APPEND_15M_SQL = `
  with n as (
    select n.point_id, n.ts, n.value, n.bucket,
           lag(n.value) over w as prev_value, lag(n.ts) over w as prev_ts, lead(n.ts) over w as next_ts
    from unnest($1::int[], $2::timestamptz[], $3::float8[], $4::timestamptz[]) as n (point_id, ts, value, bucket)
    window w as (partition by n.point_id, n.bucket order by n.ts)
  ),
  steps as (
    select n.point_id, n.bucket, sum(step.delta) as consumption, bit_or(step.flags) as flags
    from n
    join points p on p.id = n.point_id and p.kind = 'cumulative'
    cross join lateral register_step(n.prev_value, n.prev_ts, n.value, n.ts,
      (p.attributes->>'rolloverAt')::float8, (p.attributes->>'maxRatePerHour')::float8, ${GAP_HOURS},
      (select rr.start_value from register_replacements rr
       where rr.point_id = n.point_id and rr.replaced_at > n.prev_ts and rr.replaced_at <= n.ts
       order by rr.replaced_at desc limit 1)) step
    where n.prev_ts is not null
    group by n.point_id, n.bucket
  ),
  agg as (
    select n.point_id, n.bucket, count(*) as count, sum(n.value) as sum, min(n.value) as min, max(n.value) as max,
           min(n.ts) as first_ts, (array_agg(n.value order by n.ts))[1] as first_value,
           max(n.ts) as last_ts, (array_agg(n.value order by n.ts desc))[1] as last_value,
           sum(n.value * h.seconds) as tw_sum, sum(h.seconds) as tw_seconds
    from n
    cross join lateral (
      select extract(epoch from (least(coalesce(n.next_ts, n.bucket + interval '15 minutes'), n.bucket + interval '15 minutes',
                                       n.ts + interval '${GAP_HOURS} hours') - n.ts)) as seconds
    ) h
    group by n.point_id, n.bucket
  )
  update rollups_15m r set
    count = r.count + a.count, sum = r.sum + a.sum, min = least(r.min, a.min), max = greatest(r.max, a.max),
    last_ts = a.last_ts, last_value = a.last_value,
    consumption = case when p.kind = 'cumulative'
      then coalesce(r.consumption, 0) + first_step.delta + coalesce(steps.consumption, 0) else r.consumption end,
    consumption_flags = case when p.kind = 'cumulative'
      then r.consumption_flags | first_step.flags | coalesce(steps.flags, 0) else r.consumption_flags end,
    tw_sum = case when p.kind = 'cumulative' then null
      else coalesce(r.tw_sum, 0) - r.last_value * held.taken_back + a.tw_sum end,
    tw_seconds = case when p.kind = 'cumulative' then null
      else coalesce(r.tw_seconds, 0) - held.taken_back + a.tw_seconds end
  from agg a
  join points p on p.id = a.point_id
  left join steps on steps.point_id = a.point_id and steps.bucket = a.bucket
  cross join lateral (
    select greatest(0, extract(epoch from (least(a.bucket + interval '15 minutes', r2.last_ts + interval '${GAP_HOURS} hours') - a.first_ts))) as taken_back
    from rollups_15m r2 where r2.point_id = a.point_id and r2.bucket = a.bucket
  ) held
  cross join lateral (
    select s.delta, s.flags from rollups_15m r3
    cross join lateral register_step(r3.last_value, r3.last_ts, a.first_value, a.first_ts,
      (p.attributes->>'rolloverAt')::float8, (p.attributes->>'maxRatePerHour')::float8, ${GAP_HOURS},
      (select rr.start_value from register_replacements rr
       where rr.point_id = a.point_id and rr.replaced_at > r3.last_ts and rr.replaced_at <= a.first_ts
       order by rr.replaced_at desc limit 1)) s
    where r3.point_id = a.point_id and r3.bucket = a.bucket
  ) first_step
  where r.point_id = a.point_id and r.bucket = a.bucket and a.first_ts > r.last_ts
    and not exists (select 1 from unnest($5::int[], $6::timestamptz[]) as x (point_id, bucket) where x.point_id = a.point_id and x.bucket = a.bucket)
  returning r.point_id, r.bucket`;

/** Each rollup level is rebuilt from the level below it; 15 minutes from the readings themselves. */
const REFRESH_SQL: Record<RollupBucket, string> = {
  '15m': `
    insert into rollups_15m (point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
                             consumption, consumption_flags, tw_sum, tw_seconds)
    select t.point_id, t.bucket, agg.count, agg.sum, agg.min, agg.max, agg.first_ts, agg.first_value, agg.last_ts, agg.last_value,
           c.consumption, coalesce(c.flags, 0), tw.tw_sum, tw.tw_seconds
    from unnest($1::int[], $2::timestamptz[]) as t (point_id, bucket)
    join points p on p.id = t.point_id
    -- every lateral runs once per bucket
    cross join lateral (
      select count(*) as count, sum(r.value) as sum, min(r.value) as min, max(r.value) as max,
             min(r.ts) as first_ts, (array_agg(r.value order by r.ts))[1] as first_value,
             max(r.ts) as last_ts, (array_agg(r.value order by r.ts desc))[1] as last_value
      from readings r where r.point_id = t.point_id and r.ts >= t.bucket and r.ts < t.bucket + interval '15 minutes'
    ) agg
    left join lateral (
      -- register steps ending in this bucket, the first from the last reading before it
      select sum(step.delta) as consumption, bit_or(step.flags) as flags
      from (
        select w.ts, w.value, lag(w.value) over (order by w.ts) as prev, lag(w.ts) over (order by w.ts) as prev_ts
        from (
          (select ts, value from readings where point_id = t.point_id and ts < t.bucket order by ts desc limit 1)
          union all
          (select ts, value from readings where point_id = t.point_id and ts >= t.bucket and ts < t.bucket + interval '15 minutes')
        ) w
      ) d
      cross join lateral register_step(d.prev, d.prev_ts, d.value, d.ts,
        (p.attributes->>'rolloverAt')::float8, (p.attributes->>'maxRatePerHour')::float8, ${GAP_HOURS},
        (select rr.start_value from register_replacements rr
         where rr.point_id = t.point_id and rr.replaced_at > d.prev_ts and rr.replaced_at <= d.ts
         order by rr.replaced_at desc limit 1)) step
      where p.kind = 'cumulative' and d.ts >= t.bucket
    ) c on p.kind = 'cumulative'
    left join lateral (
      -- sample and hold: the reading before the bucket carries in, the one after caps the last hold
      select sum(h.value * h.seconds) as tw_sum, sum(h.seconds) as tw_seconds
      from (
        select w.value,
               extract(epoch from (least(coalesce(lead(w.ts) over (order by w.ts), t.bucket + interval '15 minutes'),
                                         t.bucket + interval '15 minutes', w.ts + interval '${GAP_HOURS} hours')
                                   - greatest(w.ts, t.bucket))) as seconds
        from (
          (select ts, value from readings where point_id = t.point_id and ts < t.bucket order by ts desc limit 1)
          union all
          (select ts, value from readings where point_id = t.point_id and ts >= t.bucket and ts < t.bucket + interval '15 minutes')
          union all
          (select ts, value from readings where point_id = t.point_id and ts >= t.bucket + interval '15 minutes' order by ts limit 1)
        ) w
      ) h
      where h.seconds > 0
    ) tw on p.kind <> 'cumulative'
    where agg.count > 0
    on conflict (point_id, bucket) do update set
      count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
      first_ts = excluded.first_ts, first_value = excluded.first_value,
      last_ts = excluded.last_ts, last_value = excluded.last_value,
      consumption = excluded.consumption, consumption_flags = excluded.consumption_flags,
      tw_sum = excluded.tw_sum, tw_seconds = excluded.tw_seconds`,
  '1h': rollupFromLevelBelow('rollups_1h', 'rollups_15m', '1 hour'),
  '1d': rollupFromLevelBelow('rollups_1d', 'rollups_1h', '1 day'),
};

function rollupFromLevelBelow(target: string, source: string, width: string): string {
  return `
    insert into ${target} (point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
                           consumption, consumption_flags, tw_sum, tw_seconds)
    select s.point_id, t.bucket, sum(s.count), sum(s.sum), min(s.min), max(s.max),
           min(s.first_ts), (array_agg(s.first_value order by s.first_ts))[1],
           max(s.last_ts), (array_agg(s.last_value order by s.last_ts desc))[1],
           sum(s.consumption), bit_or(s.consumption_flags), sum(s.tw_sum), sum(s.tw_seconds)
    from unnest($1::int[], $2::timestamptz[]) as t (point_id, bucket)
    join ${source} s on s.point_id = t.point_id and s.bucket >= t.bucket and s.bucket < t.bucket + interval '${width}'
    group by s.point_id, t.bucket
    on conflict (point_id, bucket) do update set
      count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max,
      first_ts = excluded.first_ts, first_value = excluded.first_value,
      last_ts = excluded.last_ts, last_value = excluded.last_value,
      consumption = excluded.consumption, consumption_flags = excluded.consumption_flags,
      tw_sum = excluded.tw_sum, tw_seconds = excluded.tw_seconds`;
}

export interface RollupRow {
  ts: number;
  /** cumulative points: what the register counted in the bucket (kWh, m3); otherwise null */
  consumption: number | null;
  consumptionFlags: number;
  mean: number;
  /** Each reading weighted by how long it held (until the next one, at most an hour): the mean for irregular sampling. Null for registers. */
  twMean: number | null;
  min: number;
  max: number;
  count: number;
  sum: number;
  first: number;
  last: number;
}

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

/** Readings and their rollups: batched writes, bucketed reads. */
@Injectable()
export class ReadingRepository {
  constructor(
    private readonly db: Database,
    private readonly readDb: ReadDatabase,
  ) {}

  /**
   * Stores a batch in one transaction and brings every rollup it touches up to date. Returns the
   * readings that were new; re-delivered ones (same point and time) are left as they were.
   */
  async insertBatch(readings: readonly Reading[]): Promise<Reading[]> {
    if (readings.length === 0) return [];
    return this.db.transaction((tx) => this.insertWithin(tx, readings));
  }

  /** The same, inside a transaction the caller holds (to store dead letters and the ledger with it). */
  async insertWithin(tx: Queryable, readings: readonly Reading[]): Promise<Reading[]> {
    if (readings.length === 0) return [];
    const inserted = await tx.query<{ point_id: number; ts: Date; value: number; flags: number }>(
      `insert into readings (point_id, ts, value, flags)
       select * from unnest($1::int[], $2::timestamptz[], $3::float8[], $4::int2[])
       on conflict (point_id, ts) do nothing
       returning point_id, ts, value, flags`,
      [
        readings.map((reading) => reading.pointId),
        readings.map((reading) => new Date(reading.ts)),
        readings.map((reading) => reading.value),
        readings.map((reading) => reading.flags),
      ],
    );
    const stored = inserted.map((row) => ({ pointId: row.point_id, ts: row.ts.getTime(), value: row.value, flags: row.flags }));
    await this.refreshRollups(tx, stored);
    return stored;
  }

  private async refreshRollups(tx: Queryable, readings: Reading[]): Promise<void> {
    if (readings.length === 0) return;
    const followers = (
      await tx.query<{ point_id: number; ts: Date }>(FOLLOWERS_SQL, [
        readings.map((reading) => reading.pointId),
        readings.map((reading) => new Date(reading.ts)),
      ])
    ).map((row) => ({ pointId: row.point_id, ts: row.ts.getTime() }));
    const followerBuckets = touchedBuckets(followers, '15m');
    const appended = await tx.query<{ point_id: number; bucket: Date }>(APPEND_15M_SQL, [
      readings.map((reading) => reading.pointId),
      readings.map((reading) => new Date(reading.ts)),
      readings.map((reading) => reading.value),
      readings.map((reading) => new Date(bucketStart(reading.ts, '15m'))),
      followerBuckets.pointIds,
      followerBuckets.starts.map((start) => new Date(start)),
    ]);
    const done = new Set(appended.map((row) => `${row.point_id}:${row.bucket.getTime()}`));
    const affected = [...readings, ...followers];
    const quarters = touchedBuckets(affected, '15m');
    const rest = quarters.pointIds
      .map((pointId, i) => ({ pointId, ts: quarters.starts[i] }))
      .filter((q) => !done.has(`${q.pointId}:${q.ts}`));
    if (rest.length > 0) await tx.query(REFRESH_SQL['15m'], [rest.map((q) => q.pointId), rest.map((q) => new Date(q.ts))]);
    for (const bucket of ['1h', '1d'] as const) {
      const touched = touchedBuckets(affected, bucket);
      await tx.query(REFRESH_SQL[bucket], [touched.pointIds, touched.starts.map((start) => new Date(start))]);
    }
  }

  /**
   * A meter was replaced at `at` and its register starts at `startValue`: recorded, and the rollups
   * of the step across the replacement (the bucket of the first reading after it) recomputed.
   */
  async recordReplacement(pointId: number, at: Date, startValue: number, note: string | null, by: string): Promise<RegisterReplacement> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.query<{ id: string; replaced_at: Date; start_value: number; note: string | null; created_by: string }>(
        `insert into register_replacements (point_id, replaced_at, start_value, note, created_by) values ($1, $2, $3, $4, $5)
         on conflict (point_id, replaced_at) do update set start_value = excluded.start_value, note = excluded.note, created_by = excluded.created_by
         returning id, replaced_at, start_value, note, created_by`,
        [pointId, at, startValue, note, by],
      );
      const next = await tx.query<{ ts: Date }>('select ts from readings where point_id = $1 and ts >= $2 order by ts limit 1', [
        pointId,
        at,
      ]);
      if (next.length > 0) await this.refreshRollups(tx, [{ pointId, ts: next[0].ts.getTime(), value: 0, flags: 0 }]);
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

  async raw(pointId: number, from: Date, to: Date, limit: number): Promise<RawRow[]> {
    const rows = await this.readDb.query<{ ts: Date; value: number; flags: number }>(
      `select ts, value, flags from readings
       where point_id = $1 and ts >= $2 and ts < $3
       order by ts limit $4`,
      [pointId, from, to, limit],
    );
    return rows.map((row) => ({ ts: row.ts.getTime(), value: row.value, flags: row.flags }));
  }

  async rollups(pointId: number, bucket: RollupBucket, from: Date, to: Date, limit: number): Promise<RollupRow[]> {
    const rows = await this.readDb.query<{
      bucket: Date;
      count: number;
      sum: number;
      min: number;
      max: number;
      first_value: number;
      last_value: number;
      consumption: number | null;
      consumption_flags: number;
      tw_sum: number | null;
      tw_seconds: number | null;
    }>(
      `select bucket, count, sum, min, max, first_value, last_value, consumption, consumption_flags, tw_sum, tw_seconds from ${ROLLUP_TABLE[bucket]}
       where point_id = $1 and bucket >= $2 and bucket < $3
       order by bucket limit $4`,
      [pointId, from, to, limit],
    );
    return rows.map((row) => ({
      ts: row.bucket.getTime(),
      mean: row.sum / row.count,
      twMean: row.tw_seconds ? row.tw_sum! / row.tw_seconds : null,
      min: row.min,
      max: row.max,
      count: row.count,
      sum: row.sum,
      first: row.first_value,
      last: row.last_value,
      consumption: row.consumption,
      consumptionFlags: row.consumption_flags,
    }));
  }

  /** The newest reading of each point, for dashboards that open mid-stream. */
  async latest(pointIds: readonly number[]): Promise<Array<{ pointId: number; ts: number; value: number }>> {
    if (pointIds.length === 0) return [];
    const rows = await this.readDb.query<{ point_id: number; ts: Date; value: number }>(
      `select p.id as point_id, r.ts, r.value
       from unnest($1::int[]) as p (id)
       cross join lateral (select ts, value from readings where point_id = p.id order by ts desc limit 1) r`,
      [pointIds],
    );
    return rows.map((row) => ({ pointId: row.point_id, ts: row.ts.getTime(), value: row.value }));
  }
}
