import { Injectable } from '@nestjs/common';
import { Database, Queryable } from '@hallwatch/db';
import { appendableMarks, appendToRollups, AppendTarget, remarkRecomputed } from './rollup-append';
import { claimLoggedSpans, InvalidatedSpan, mergeSpans } from './rollup-invalidations';
import { CONSUMPTION_KINDS_SQL } from '@hallwatch/domain';
import { bin, HELD, intervalLength, QUARTER, readingBucket, REGISTER_ATTRIBUTES, REPLACEMENT_IN_STEP } from './rollup-sql';

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

/**
 * A reading `r` the rollups may use, given the point's retention `rr`: below the horizon only the
 * anchor counts; anything else there got in after the purge and must not touch a final bucket.
 */
const KEPT = `(rr.purged_before is null or r.ts >= rr.purged_before or r.ts = rr.anchor_ts)`;

/**
 * The 15-minute buckets whose rollups a span of new readings may change (docs/rollups.md): for a
 * register, every bucket the steps into and out of the span overlap (from the reading before it to
 * the reading after it); for an interval point, the intervals its amounts cover; for other points,
 * the span and the hour its last reading may hold for.
 * The bucket of the span's end is always included: its count changed. Buckets that start before
 * the point's retention horizon are final: their raw readings are gone, so they are never redone.
 */
const BUCKET_RANGES_SQL = `
  select point_id, greatest(b0, final_until) as b0, b1
  from (
    select g.point_id,
           ${bin(`case p.kind when 'cumulative' then coalesce(before.ts, g.from_ts)
                                when 'interval' then g.from_ts - ${intervalLength('p.attributes')} else g.from_ts end`)} as b0,
           ${bin(`case p.kind when 'cumulative' then coalesce(after.ts, g.to_ts)
                                when 'interval' then g.to_ts else g.to_ts + interval '1 hour' end`)} + ${QUARTER} as b1,
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
    select g.point_id, g.b0, g.b1, p.kind, rr.purged_before, rr.anchor_ts, ${REGISTER_ATTRIBUTES} as attributes,
           ${intervalLength('p.attributes')} as span
    from ${RANGES} join points p on p.id = g.point_id left join raw_retention rr on rr.point_id = g.point_id
  ),
  seq as (
    select r.point_id, r.b0, r.b1, r.kind, r.attributes, w.ts, w.value, ${readingBucket('r.kind', 'w.ts')} as bucket,
           lag(w.ts) over win as prev_ts, lag(w.value) over win as prev_value, lead(w.ts) over win as next_ts,
           lag(${readingBucket('r.kind', 'w.ts')}) over win as prev_bucket, lead(${readingBucket('r.kind', 'w.ts')}) over win as next_bucket
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
    from seq s where ${HELD('s.kind')} and s.ts < s.b1
  ),
  agg as (
    -- the readings of each bucket; a bucket's first reading has none before it in the bucket, its last none after
    select point_id, bucket, count(*)::int as count, sum(value) as sum, min(value) as min, max(value) as max,
           min(ts) as first_ts, max(value) filter (where prev_bucket is null or prev_bucket < bucket) as first_value,
           max(ts) as last_ts, max(value) filter (where next_bucket is null or next_bucket > bucket) as last_value
    from seq where bucket >= b0 and bucket < b1
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
    ${REPLACEMENT_IN_STEP}
    cross join lateral register_step_v2(s.prev_value, s.prev_ts, s.value, s.ts, s.attributes, replaced.start_value) st
    where s.kind = 'cumulative' and s.prev_ts is not null
    union all
    -- interval points: each amount is a step over its own interval; every amount reaching into the range counts
    select r.point_id, r.b0, r.b1, a.ts - r.span, a.ts, ${bin('a.ts - r.span')}, ${bin(`a.ts - interval '1 microsecond'`)}, a.value, 0, 0::float8
    from ranges r
    cross join lateral (select ts, value from readings where point_id = r.point_id and ts > r.b0 and ts < r.b1 + r.span) a
    where r.kind = 'interval'
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
         case when p.kind in ${CONSUMPTION_KINDS_SQL} then coalesce(sh.consumption, 0) end, coalesce(sh.flags, 0),
         case when p.kind in ${CONSUMPTION_KINDS_SQL} then coalesce(sh.estimated, 0) end,
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

/** Where an hour or a day starts, for a quarter-hour or hour `q.bucket` of a site in zone `s.timezone`. */
const LEVEL_START = {
  '1h': 'local_hour_start(q.bucket, s.timezone)',
  '1d': `date_trunc('day', q.bucket, s.timezone)`,
} as const;

function deleteLevelSql(level: '1h' | '1d'): string {
  return `delete from ${LEVEL_TABLE[level]} r using ${RANGES} where r.point_id = g.point_id and r.bucket >= g.b0 and r.bucket < g.b1`;
}

/**
 * An hour adds up its quarter-hours, a day its hours (docs/rollups.md, "Which rows exist"): a local
 * day is made of whole local hours, and reading 24 rows instead of 96 is what keeps a pass short
 * when every point's day is redone.
 */
const LEVEL_SOURCE = { '1h': 'rollups_15m', '1d': 'rollups_1h' } as const;

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
    join ${LEVEL_SOURCE[level]} q on q.point_id = g.point_id and q.bucket >= g.b0 and q.bucket < g.b1
    group by q.point_id, ${LEVEL_START[level]}`;
}

/**
 * Brings the rollups up to date with the readings stored since the last pass, from the log that
 * writers append to in their own transaction (docs/rollups.md). Every pass is one transaction under
 * an advisory lock: the log entries it takes are deleted only if the changed rollups commit.
 *
 * A point whose new readings all come after its mark (rollup-append.ts) is appended to; any other
 * (late or re-delivered readings, a replacement inside its history, no mark yet) is recomputed over
 * every bucket its new readings can change.
 */
@Injectable()
export class RollupRefresher {
  /** Points appended to and points recomputed by this refresher's committed passes (metrics and tests). */
  readonly passCounts = { appendedPoints: 0, recomputedPoints: 0 };

  constructor(private readonly db: Database) {}

  /**
   * One pass over at most CLAIM_LIMIT log entries and a month of point-time (claimLoggedSpans). `wait: false` returns at once (0) when another
   * refresher holds the lock. Returns how many log entries the pass took.
   */
  async refreshPending({ wait = true }: { wait?: boolean } = {}): Promise<number> {
    for (let attempt = 1; ; attempt++) {
      try {
        const taken = await this.pass();
        if (taken !== null) return taken;
        if (!wait) return 0;
        // Wait for the other refresher's pass to end, then try again with a snapshot taken after it.
        await this.db.transaction((tx) => lockRollups(tx));
      } catch (error) {
        if (!isSerializationFailure(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
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

  /** One pass; null when another refresher holds the lock. */
  private async pass(): Promise<number | null> {
    const result = await this.db.transaction(async (tx) => {
      // One snapshot for the whole pass, taken as the lock is: what it claims, the readings it
      // reads and the marks it sets agree with each other. A snapshot older than another
      // refresher's commit fails on the log rows both took (40001), and the pass is retried.
      await tx.query('set transaction isolation level repeatable read');
      if (!(await tryLockRollups(tx))) return null;
      const claimed = await claimLoggedSpans(tx, 'rollup_invalidations', CLAIM_LIMIT);
      if (claimed.length === 0) return 0;
      const spans = mergeSpans(claimed);
      const { appendTargets, recomputeSpans } = await this.route(tx, spans);
      const recomputed = await bucketRanges(tx, recomputeSpans);
      await recompute15m(tx, recomputed);
      await remarkRecomputed(tx, [...new Set(recomputeSpans.map((span) => span.pointId))]);
      const appended = await appendToRollups(tx, appendTargets);
      await recomputeLevels(tx, mergeSpans([...recomputed, ...appended]));
      return { taken: claimed.length, appendedPoints: appendTargets.length, recomputedPoints: new Set(recomputeSpans.map((span) => span.pointId)).size };
    });
    if (result === null || result === 0) return result;
    this.passCounts.appendedPoints += result.appendedPoints;
    this.passCounts.recomputedPoints += result.recomputedPoints;
    return result.taken;
  }

  /** Which points are appended to (every new span after the mark) and which recomputed. */
  private async route(tx: Queryable, spans: InvalidatedSpan[]): Promise<{ appendTargets: AppendTarget[]; recomputeSpans: InvalidatedSpan[] }> {
    const marks = await appendableMarks(tx, [...new Set(spans.map((span) => span.pointId))]);
    const byPoint = new Map<number, InvalidatedSpan[]>();
    for (const span of spans) byPoint.set(span.pointId, [...(byPoint.get(span.pointId) ?? []), span]);
    const appendTargets: AppendTarget[] = [];
    const recomputeSpans: InvalidatedSpan[] = [];
    for (const [pointId, pointSpans] of byPoint) {
      const mark = marks.get(pointId);
      if (mark !== undefined && pointSpans.every((span) => span.from > mark)) {
        appendTargets.push({ pointId, cutoff: Math.max(...pointSpans.map((span) => span.to)) });
      } else recomputeSpans.push(...pointSpans);
    }
    return { appendTargets, recomputeSpans };
  }
}

/** Tries of a pass that met a concurrent refresher's commit (a serialization failure) before giving up. */
const MAX_ATTEMPTS = 5;

function isSerializationFailure(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === '40001';
}

async function bucketRanges(tx: Queryable, spans: InvalidatedSpan[]): Promise<InvalidatedSpan[]> {
  if (spans.length === 0) return [];
  const rows = await tx.query<{ point_id: number; b0: Date; b1: Date }>(BUCKET_RANGES_SQL, [
    spans.map((span) => span.pointId),
    spans.map((span) => new Date(span.from)),
    spans.map((span) => new Date(span.to)),
  ]);
  return mergeSpans(rows.map((row) => ({ pointId: row.point_id, from: row.b0.getTime(), to: row.b1.getTime() })));
}

const rangeParams = (ranges: readonly InvalidatedSpan[]) => [
  ranges.map((range) => range.pointId),
  ranges.map((range) => new Date(range.from)),
  ranges.map((range) => new Date(range.to)),
];

async function recompute15m(tx: Queryable, ranges: InvalidatedSpan[]): Promise<void> {
  if (ranges.length === 0) return;
  await tx.query(DELETE_15M_SQL, rangeParams(ranges));
  await tx.query(INSERT_15M_SQL, rangeParams(ranges));
}

/** Redoes the hours and days (in each site's zone) that hold the changed quarter-hours. */
async function recomputeLevels(tx: Queryable, ranges: InvalidatedSpan[]): Promise<void> {
  if (ranges.length === 0) return;
  // hours first: a day adds up its hours
  for (const level of ['1h', '1d'] as const) {
    const rows = await tx.query<{ point_id: number; lo: Date; hi: Date }>(LEVEL_RANGES_SQL[level], rangeParams(ranges));
    const levelRanges = mergeSpans(rows.map((row) => ({ pointId: row.point_id, from: row.lo.getTime(), to: row.hi.getTime() })));
    await tx.query(deleteLevelSql(level), rangeParams(levelRanges));
    await tx.query(insertLevelSql(level), rangeParams(levelRanges));
  }
}
