import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { claimLoggedSpans, InvalidatedSpan, mergeSpans } from './rollup-invalidations';

/** Invalidations taken per pass: a pass is one transaction, so a crash repeats at most this much. */
const CLAIM_LIMIT = 5_000;

/** One refresher at a time, across every ingest instance on the database (and never beside retention). */
const LOCK_KEY = `hashtext('hallwatch:rollup-refresh')`;

/** Holds the rollup lock until the transaction ends: what retention takes before it deletes readings. */
export async function lockRollups(tx: Queryable): Promise<void> {
  await tx.query(`select pg_advisory_xact_lock(${LOCK_KEY})`);
}

async function tryLockRollups(tx: Queryable): Promise<boolean> {
  return (await tx.query<{ locked: boolean }>(`select pg_try_advisory_xact_lock(${LOCK_KEY}) as locked`))[0].locked;
}

const QUARTER = `interval '15 minutes'`;
const bin = (ts: string) => `date_bin(${QUARTER}, ${ts}, timestamptz '2000-01-01 00:00:00+00')`;

/**
 * A reading `r` the rollups may use, given the point's retention `rr`: below the horizon only the
 * anchor counts; anything else there got in after the purge and must not touch a final bucket.
 */
const KEPT = `(rr.purged_before is null or r.ts >= rr.purged_before or r.ts = rr.anchor_ts)`;

/**
 * The 15-minute buckets whose rollups a span of new readings may change (docs/rollups.md): for a
 * register, every bucket the steps into and out of the span overlap (from the reading before it to
 * the reading after it); for other points, the span and the hour its last reading may hold for.
 * The bucket of the span's end is always included: its count changed. Buckets that start before
 * the point's retention horizon are final: their raw readings are gone, so they are never redone.
 */
const BUCKET_RANGES_SQL = `
  select point_id, greatest(b0, final_until) as b0, b1
  from (
    select g.point_id,
           ${bin(`case when p.kind = 'cumulative' then coalesce(before.ts, g.from_ts) else g.from_ts end`)} as b0,
           ${bin(`case when p.kind = 'cumulative' then coalesce(after.ts, g.to_ts) else g.to_ts + interval '1 hour' end`)} + ${QUARTER} as b1,
           coalesce(${bin(`rr.purged_before - interval '1 microsecond'`)} + ${QUARTER}, '-infinity') as final_until
    from unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) as g (point_id, from_ts, to_ts)
    join points p on p.id = g.point_id
    left join raw_retention rr on rr.point_id = g.point_id
    left join lateral (select ts from readings r where r.point_id = g.point_id and r.ts < g.from_ts and ${KEPT} order by r.ts desc limit 1) before
      on p.kind = 'cumulative'
    left join lateral (select ts from readings r where r.point_id = g.point_id and r.ts > g.to_ts and ${KEPT} order by r.ts limit 1) after
      on p.kind = 'cumulative'
  ) ranges
  where b1 > greatest(b0, final_until)`;

/** A register's attributes, with its learned cadence where the registry sets no expected interval (cadence-learner.service.ts). */
const REGISTER_ATTRIBUTES = `case when p.learned_interval_seconds is null or p.attributes ? 'expectedIntervalSeconds' then p.attributes
  else p.attributes || jsonb_build_object('expectedIntervalSeconds', p.learned_interval_seconds) end`;

const RANGES = `unnest($1::int[], $2::timestamptz[], $3::timestamptz[]) as g (point_id, b0, b1)`;

const DELETE_15M_SQL = `delete from rollups_15m r using ${RANGES} where r.point_id = g.point_id and r.bucket >= g.b0 and r.bucket < g.b1`;

/**
 * Each range [b0, b1) of a point recomputed from its readings: the readings inside it, plus the one
 * before (its step or hold reaches in) and the one after (it ends the last step or hold).
 *
 * Shaped for speed: one window pass (each reading with the one before and after it), then one
 * aggregation per bucket of what lies inside a bucket (the readings, a register step between two
 * readings of the bucket, a gauge reading's hold up to the bucket's end). Only what crosses a
 * bucket boundary (a step from one bucket into another, the hold of a bucket's last reading) is
 * split with generate_series: a few rows per point and range instead of one per reading.
 */
const INSERT_15M_SQL = `
  with ranges as (
    select g.point_id, g.b0, g.b1, p.kind, rr.purged_before, rr.anchor_ts, ${REGISTER_ATTRIBUTES} as attributes
    from ${RANGES} join points p on p.id = g.point_id left join raw_retention rr on rr.point_id = g.point_id
  ),
  seq as (
    select r.point_id, r.b0, r.b1, r.kind, r.attributes, w.ts, w.value, ${bin('w.ts')} as bucket,
           lag(w.ts) over win as prev_ts, lag(w.value) over win as prev_value, lead(w.ts) over win as next_ts
    from ranges r
    cross join lateral (
      (select ts, value from readings
       where point_id = r.point_id and ts < r.b0 and (r.purged_before is null or ts >= r.purged_before or ts = r.anchor_ts)
       order by ts desc limit 1)
      union all
      (select ts, value from readings where point_id = r.point_id and ts >= r.b0 and ts < r.b1)
      union all
      (select ts, value from readings where point_id = r.point_id and ts >= r.b1 order by ts limit 1)
    ) w
    window win as (partition by r.point_id, r.b0 order by w.ts)
  ),
  held as (
    -- other points: a reading holds until the next one, at most an hour (sample and hold)
    select s.*, least(coalesce(s.next_ts, s.ts + interval '1 hour'), s.ts + interval '1 hour') as hold_end
    from seq s where s.kind <> 'cumulative' and s.ts < s.b1
  ),
  agg as (
    -- the readings of each bucket; a bucket's first reading has none before it in the bucket, its last none after
    select point_id, bucket, count(*)::int as count, sum(value) as sum, min(value) as min, max(value) as max,
           min(ts) as first_ts, max(value) filter (where prev_ts is null or prev_ts < bucket) as first_value,
           max(ts) as last_ts, max(value) filter (where next_ts is null or next_ts >= bucket + ${QUARTER}) as last_value
    from seq where ts >= b0 and ts < b1
    group by point_id, bucket
  ),
  holds as (
    -- each held value's seconds within a bucket: its own bucket, then (a bucket's last reading, or
    -- the one before the range) the buckets its hold crosses into
    select point_id, bucket, sum(value * seconds) as tw_sum, sum(seconds) as tw_seconds
    from (
      select h.point_id, h.bucket, h.value, extract(epoch from (least(h.hold_end, h.bucket + ${QUARTER}) - h.ts))::float8 as seconds
      from held h where h.ts >= h.b0
      union all
      select h.point_id, q.bucket, h.value, extract(epoch from (least(h.hold_end, q.bucket + ${QUARTER}) - q.bucket))::float8
      from held h
      cross join lateral generate_series(greatest(h.bucket + ${QUARTER}, h.b0),
                                         least(${bin(`h.hold_end - interval '1 microsecond'`)}, h.b1 - ${QUARTER}), ${QUARTER}) as q (bucket)
      where h.hold_end > h.bucket + ${QUARTER}
    ) pieces
    group by point_id, bucket
  ),
  steps as (
    select s.point_id, s.b0, s.b1, s.prev_ts as t0, s.ts as t1, ${bin('s.prev_ts')} as first_bucket,
           ${bin(`s.ts - interval '1 microsecond'`)} as last_bucket, st.delta, st.flags, st.estimated
    from seq s
    left join lateral (
      select rr.start_value from register_replacements rr
      where rr.point_id = s.point_id and rr.replaced_at > s.prev_ts and rr.replaced_at <= s.ts
      order by rr.replaced_at desc limit 1
    ) replaced on true
    cross join lateral register_step_v2(s.prev_value, s.prev_ts, s.value, s.ts, s.attributes, replaced.start_value) st
    where s.kind = 'cumulative' and s.prev_ts is not null
  ),
  shares as (
    -- a step (t0, t1] split across the buckets it overlaps, in proportion to time: whole when it
    -- lies in one bucket, else share by share
    select point_id, bucket, sum(delta * fraction) as consumption, sum(estimated * fraction) as estimated, bit_or(flags) as flags
    from (
      select st.point_id, st.first_bucket as bucket, st.delta, st.estimated, st.flags, 1::float8 as fraction
      from steps st
      where st.first_bucket = st.last_bucket and st.first_bucket >= st.b0 and st.first_bucket < st.b1
      union all
      select st.point_id, q.bucket, st.delta, st.estimated, st.flags,
             extract(epoch from (least(st.t1, q.bucket + ${QUARTER}) - greatest(st.t0, q.bucket)))::float8
             / extract(epoch from (st.t1 - st.t0))::float8
      from steps st
      cross join lateral generate_series(greatest(st.first_bucket, st.b0), least(st.last_bucket, st.b1 - ${QUARTER}), ${QUARTER}) as q (bucket)
      where st.first_bucket < st.last_bucket
    ) pieces
    where fraction > 0
    group by point_id, bucket
  ),
  buckets as (
    select point_id, bucket from agg union select point_id, bucket from shares union select point_id, bucket from holds
  )
  insert into rollups_15m (point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
                           consumption, consumption_flags, estimated, tw_sum, tw_seconds)
  select b.point_id, b.bucket, coalesce(a.count, 0), coalesce(a.sum, 0), a.min, a.max, a.first_ts, a.first_value, a.last_ts, a.last_value,
         case when p.kind = 'cumulative' then coalesce(sh.consumption, 0) end, coalesce(sh.flags, 0),
         case when p.kind = 'cumulative' then coalesce(sh.estimated, 0) end,
         h.tw_sum, h.tw_seconds
  from buckets b
  join points p on p.id = b.point_id
  left join agg a on a.point_id = b.point_id and a.bucket = b.bucket
  left join shares sh on sh.point_id = b.point_id and sh.bucket = b.bucket
  left join holds h on h.point_id = b.point_id and h.bucket = b.bucket`;

/**
 * The hours or days (in the site's time zone) that hold each recomputed range of quarter-hours:
 * [lo, hi) per point, to be merged (two ranges can share a day) before they are redone.
 */
const LEVEL_RANGES_SQL: Record<'1h' | '1d', string> = {
  '1h': `
    select g.point_id, local_hour_start(g.b0, s.timezone) as lo, local_hour_start(g.b1 - ${QUARTER}, s.timezone) + interval '1 hour' as hi
    from ${RANGES}
    join points p on p.id = g.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id`,
  '1d': `
    select g.point_id, date_trunc('day', g.b0, s.timezone) as lo,
           local_next_day(date_trunc('day', g.b1 - ${QUARTER}, s.timezone), s.timezone) as hi
    from ${RANGES}
    join points p on p.id = g.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id`,
};

const LEVEL_TABLE = { '1h': 'rollups_1h', '1d': 'rollups_1d' } as const;

/** Where an hour or a day starts, for a quarter-hour `q.bucket` of a site in zone `s.timezone`. */
const LEVEL_START = {
  '1h': 'local_hour_start(q.bucket, s.timezone)',
  '1d': `date_trunc('day', q.bucket, s.timezone)`,
} as const;

function deleteLevelSql(level: '1h' | '1d'): string {
  return `delete from ${LEVEL_TABLE[level]} r using ${RANGES} where r.point_id = g.point_id and r.bucket >= g.b0 and r.bucket < g.b1`;
}

/** An hour or a day adds up its quarter-hours (docs/rollups.md, "Which rows exist"). */
function insertLevelSql(level: '1h' | '1d'): string {
  return `
    insert into ${LEVEL_TABLE[level]} (point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
                                       consumption, consumption_flags, estimated, tw_sum, tw_seconds)
    select q.point_id, ${LEVEL_START[level]}, sum(q.count), sum(q.sum), min(q.min), max(q.max),
           min(q.first_ts), (array_agg(q.first_value order by q.first_ts) filter (where q.first_ts is not null))[1],
           max(q.last_ts), (array_agg(q.last_value order by q.last_ts desc) filter (where q.last_ts is not null))[1],
           sum(q.consumption), bit_or(q.consumption_flags), sum(q.estimated), sum(q.tw_sum), sum(q.tw_seconds)
    from ${RANGES}
    join points p on p.id = g.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
    join rollups_15m q on q.point_id = g.point_id and q.bucket >= g.b0 and q.bucket < g.b1
    group by q.point_id, ${LEVEL_START[level]}`;
}

/**
 * Brings the rollups up to date with the readings stored since the last pass, from the log that
 * writers append to in their own transaction (docs/rollups.md). Every pass is one transaction under
 * an advisory lock: the log entries it takes are deleted only if the recomputed rollups commit.
 */
@Injectable()
export class RollupRefresher {
  constructor(private readonly db: Database) {}

  /**
   * One pass over at most CLAIM_LIMIT log entries and a month of point-time (claimLoggedSpans). `wait: false` returns at once (0) when another
   * refresher holds the lock. Returns how many log entries the pass took.
   */
  async refreshPending({ wait = true }: { wait?: boolean } = {}): Promise<number> {
    return this.db.transaction(async (tx) => {
      if (wait) await lockRollups(tx);
      else if (!(await tryLockRollups(tx))) return 0;
      const claimed = await claimLoggedSpans(tx, 'rollup_invalidations', CLAIM_LIMIT);
      if (claimed.length === 0) return 0;
      await recompute(tx, await bucketRanges(tx, mergeSpans(claimed)));
      return claimed.length;
    });
  }

  /** Refreshes until the log is empty (tests, back-fills and shutdown). */
  async drain(): Promise<void> {
    while ((await this.refreshPending()) > 0);
  }

  /** How far the rollups are behind: the age of the oldest log entry, in seconds (0 when none). */
  async lagSeconds(): Promise<number> {
    const [row] = await this.db.query<{ lag: number | null }>(
      'select extract(epoch from (now() - min(created_at)))::float8 as lag from rollup_invalidations',
    );
    return Math.max(0, row.lag ?? 0);
  }
}

async function bucketRanges(tx: Queryable, spans: InvalidatedSpan[]): Promise<InvalidatedSpan[]> {
  const rows = await tx.query<{ point_id: number; b0: Date; b1: Date }>(BUCKET_RANGES_SQL, [
    spans.map((span) => span.pointId),
    spans.map((span) => new Date(span.from)),
    spans.map((span) => new Date(span.to)),
  ]);
  return mergeSpans(rows.map((row) => ({ pointId: row.point_id, from: row.b0.getTime(), to: row.b1.getTime() })));
}

async function recompute(tx: Queryable, ranges: InvalidatedSpan[]): Promise<void> {
  if (ranges.length === 0) return;
  const params = [
    ranges.map((range) => range.pointId),
    ranges.map((range) => new Date(range.from)),
    ranges.map((range) => new Date(range.to)),
  ];
  await tx.query(DELETE_15M_SQL, params);
  await tx.query(INSERT_15M_SQL, params);
  for (const level of ['1h', '1d'] as const) {
    const rows = await tx.query<{ point_id: number; lo: Date; hi: Date }>(LEVEL_RANGES_SQL[level], params);
    const levelRanges = mergeSpans(rows.map((row) => ({ pointId: row.point_id, from: row.lo.getTime(), to: row.hi.getTime() })));
    const levelParams = [
      levelRanges.map((range) => range.pointId),
      levelRanges.map((range) => new Date(range.from)),
      levelRanges.map((range) => new Date(range.to)),
    ];
    await tx.query(deleteLevelSql(level), levelParams);
    await tx.query(insertLevelSql(level), levelParams);
  }
}
