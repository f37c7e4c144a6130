/** SQL fragments the rollup refresher's recompute and append paths share. */

export const QUARTER = `interval '15 minutes'`;

/** The quarter-hour holding `ts` (buckets are aligned to UTC quarter-hours, whatever the site's zone). */
export const bin = (ts: string) => `date_bin(${QUARTER}, ${ts}, timestamptz '2000-01-01 00:00:00+00')`;

/** A register's attributes (alias `p` = points), with its learned cadence where the registry sets no expected interval (cadence-learner.service.ts). */
export const REGISTER_ATTRIBUTES = `case when p.learned_interval_seconds is null or p.attributes ? 'expectedIntervalSeconds' then p.attributes
  else p.attributes || jsonb_build_object('expectedIntervalSeconds', p.learned_interval_seconds) end`;

/** An interval point's interval (attributes `intervalSeconds`, 15 minutes when unset): each amount covers (ts - it, ts]. */
export const intervalLength = (attributes: string) =>
  `make_interval(secs => coalesce(attribute_number(${attributes}, 'intervalSeconds'), 900))`;

/**
 * The quarter-hour a reading is counted in: the one holding its timestamp, but for an interval
 * point the one its interval ends in (an amount stamped 00:00 is the last quarter of the day before).
 */
export const readingBucket = (kind: string, ts: string) =>
  `case when ${kind} = 'interval' then ${bin(`${ts} - interval '1 microsecond'`)} else ${bin(ts)} end`;

/** Kinds whose rows hold a value over time (sample and hold), not consumption. */
export const HELD = (kind: string) => `${kind} not in ('cumulative', 'interval')`;

/**
 * The latest replacement recorded inside the register step (s.prev_ts, s.ts] of a row `s`, joined
 * as `replaced`: its start value restarts the count.
 */
export const REPLACEMENT_IN_STEP = `left join lateral (
      select rr.start_value from register_replacements rr
      where rr.point_id = s.point_id and rr.replaced_at > s.prev_ts and rr.replaced_at <= s.ts
      order by rr.replaced_at desc limit 1
    ) replaced on true`;
