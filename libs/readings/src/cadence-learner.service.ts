import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';

/** Steps a register needs before its cadence is learned, and how many recent ones count. */
export const MIN_STEPS_TO_LEARN = 20;
const RECENT_STEPS = 200;
/** A learned interval is replaced only by one this much different: re-learning redoes the point's history. */
const RELEARN_RATIO = 0.25;

/**
 * Learns each register's expected interval between readings from its own cadence: the median of
 * its last 200 steps, for registers whose registry entry sets no `expectedIntervalSeconds`
 * (docs/rollups.md, "Gaps"). A daily-read meter is then not an estimate every day, and a
 * 15-minute meter's 45-minute hole is. The learned value is recorded on the point and the point's
 * whole history is logged for the rollup refresher in the same statement, so the rollups remain a
 * function of the readings and of recorded numbers.
 */
@Injectable()
export class CadenceLearner {
  constructor(private readonly db: Database) {}

  /** One pass over every register; returns the ids of the points whose interval was (re)learned. */
  async learn(): Promise<number[]> {
    const rows = await this.db.query<{ point_id: number }>(
      `with steps as (
         select p.id as point_id, extract(epoch from (r.ts - lag(r.ts) over (partition by p.id order by r.ts)))::float8 as seconds
         from points p
         cross join lateral (select ts from readings where point_id = p.id order by ts desc limit ${RECENT_STEPS + 1}) r
         where p.kind = 'cumulative' and not (p.attributes ? 'expectedIntervalSeconds')
       ),
       learned as (
         select point_id, percentile_cont(0.5) within group (order by seconds) as seconds
         from steps where seconds is not null
         group by point_id having count(*) >= ${MIN_STEPS_TO_LEARN}
       ),
       changed as (
         update points p set learned_interval_seconds = l.seconds
         from learned l
         where p.id = l.point_id
           and (p.learned_interval_seconds is null or abs(l.seconds - p.learned_interval_seconds) > ${RELEARN_RATIO} * p.learned_interval_seconds)
         returning p.id
       )
       insert into rollup_invalidations (point_id, from_ts, to_ts)
       select c.id, first.ts, last.ts
       from changed c
       cross join lateral (select ts from readings where point_id = c.id order by ts limit 1) first
       cross join lateral (select ts from readings where point_id = c.id order by ts desc limit 1) last
       returning point_id`,
    );
    return rows.map((row) => row.point_id);
  }
}
