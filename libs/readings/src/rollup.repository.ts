import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { RollupBucket } from '@hallwatch/domain';
import { outdoorTemperaturePointSql, utilityPointSql } from '@hallwatch/registry';
import { MeteredUtility, Utility } from './utilities';

const ROLLUP_TABLE: Record<RollupBucket, string> = { '15m': 'rollups_15m', '1h': 'rollups_1h', '1d': 'rollups_1d' };

/**
 * What is summed of the points that measure a site's use of a utility (found by their tags,
 * utilityPointSql): the main meters' register consumption (electricity kWh, water m3), or the fuel
 * log's amounts (litres).
 */
const MEASURE: Record<Utility, 'consumption' | 'sum'> = { electricity: 'consumption', water: 'consumption', fuel: 'sum' };

/** The points, assets and sites behind rollup rows `r`. */
const SITE_POINTS = 'join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id';

/** Days are the site's calendar days: the 1d rollups start at its local midnight, in its time zone. */
const LOCAL_DATE = `to_char(r.bucket at time zone s.timezone, 'YYYY-MM-DD')`;

/** The hour of the week of `r.bucket` on the site's clock (Monday 00:00 = 0). */
const HOUR_OF_WEEK = `((extract(isodow from r.bucket at time zone s.timezone)::int - 1) * 24 + extract(hour from r.bucket at time zone s.timezone)::int)`;

export interface RollupRow {
  ts: number;
  /** cumulative points: what the register counted in the bucket (kWh, m3); otherwise null */
  consumption: number | null;
  consumptionFlags: number;
  /** the part of `consumption` spread across a gap in the readings (an estimate); null for other points */
  estimated: number | null;
  /** null for a bucket without readings of its own (a step or a held value crosses it) */
  mean: number | null;
  /** Each reading weighted by how long it held (until the next one, at most an hour): the mean for irregular sampling. Null for registers. */
  twMean: number | null;
  min: number | null;
  max: number | null;
  count: number;
  sum: number;
  first: number | null;
  last: number | null;
}

/** A site's use of a utility in one bucket, summed over its points as stored (no unit conversion). */
export interface ConsumptionRow {
  ts: number;
  value: number;
  flags: number;
  /** Of `value`, what was estimated across meter gaps (0 for logs of amounts). */
  estimated: number;
}

/** A site's use of a utility on one local day, of the points stored in one unit. */
export interface DailyUsageOfUnit {
  date: string;
  unit: string;
  usage: number;
  flags: number;
  estimated: number;
}

/** A site's use of a utility in one hour, of the points stored in one unit. */
export interface HourlyUsageOfUnit {
  bucket: Date;
  hourOfWeek: number;
  unit: string;
  usage: number;
}

/** The outdoor temperature readings of one bucket, of the points stored in one unit: their sum and count. */
export interface TemperatureSumOfUnit {
  bucket: Date;
  date: string;
  hourOfWeek: number;
  unit: string;
  sum: number;
  count: number;
}

/** The first and the last reading the 15-minute rollups of a utility's main meters know of. */
export interface ReadingSpan {
  first: number | null;
  last: number | null;
}

/**
 * Every read of the rollup tables (rollups_15m, rollups_1h, rollups_1d). The rollup engine
 * (RollupRefresher, rollup-append.ts) writes them; everything else asks here.
 */
@Injectable()
export class RollupRepository {
  constructor(private readonly db: ReadDatabase) {}

  /** One point's buckets in [from, to), oldest first. */
  async pointSeries(pointId: number, bucket: RollupBucket, from: Date, to: Date, limit: number): Promise<RollupRow[]> {
    const rows = await this.db.query<{
      bucket: Date;
      count: number;
      sum: number;
      min: number | null;
      max: number | null;
      first_value: number | null;
      last_value: number | null;
      consumption: number | null;
      consumption_flags: number;
      estimated: number | null;
      tw_sum: number | null;
      tw_seconds: number | null;
    }>(
      `select bucket, count, sum, min, max, first_value, last_value, consumption, consumption_flags, estimated, tw_sum, tw_seconds from ${ROLLUP_TABLE[bucket]}
       where point_id = $1 and bucket >= $2 and bucket < $3
       order by bucket limit $4`,
      [pointId, from, to, limit],
    );
    return rows.map((row) => ({
      ts: row.bucket.getTime(),
      mean: row.count > 0 ? row.sum / row.count : null,
      twMean: row.tw_seconds ? row.tw_sum! / row.tw_seconds : null,
      min: row.min,
      max: row.max,
      count: row.count,
      sum: row.sum,
      first: row.first_value,
      last: row.last_value,
      consumption: row.consumption,
      consumptionFlags: row.consumption_flags,
      estimated: row.estimated,
    }));
  }

  /** The mean of each quarter hour in [from, to) that has readings of its own, of a point by its keys. */
  async quarterHourMeans(site: string, asset: string, point: string, from: Date, to: Date): Promise<Array<{ ts: number; value: number }>> {
    const rows = await this.db.query<{ bucket: Date; mean: number }>(
      `select r.bucket, (r.sum / r.count)::float8 as mean
       from rollups_15m r ${SITE_POINTS}
       where s.key = $1 and a.key = $2 and p.key = $3 and r.bucket >= $4 and r.bucket < $5 and r.count > 0 order by r.bucket`,
      [site, asset, point, from, to],
    );
    return rows.map((row) => ({ ts: row.bucket.getTime(), value: row.mean }));
  }

  /** Running hours of a status point from its hourly rollups: the mean of 0/1 over each hour is the hours it ran. */
  async runHours(site: string, asset: string, point: string): Promise<number> {
    const [row] = await this.db.query<{ hours: number }>(
      `select coalesce(sum(case when r.count > 0 then r.sum / r.count else 0 end), 0)::float8 as hours
       from rollups_1h r ${SITE_POINTS}
       where s.key = $1 and a.key = $2 and p.key = $3`,
      [site, asset, point],
    );
    return row.hours;
  }

  /** A site's use of a utility per bucket in [from, to), summed over its points as stored. */
  async siteUsage(siteKey: string, utility: Utility, bucket: RollupBucket, from: Date, to: Date): Promise<ConsumptionRow[]> {
    const rows = await this.db.query<{ bucket: Date; value: number; flags: number; estimated: number | null }>(
      `select r.bucket, sum(r.${MEASURE[utility]}) as value, bit_or(r.consumption_flags) as flags,
              sum(r.estimated) as estimated
       from ${ROLLUP_TABLE[bucket]} r ${SITE_POINTS}
       where s.key = $1 and ${utilityPointSql(utility)} and r.bucket >= $2 and r.bucket < $3
       group by r.bucket order by r.bucket`,
      [siteKey, from, to],
    );
    return rows.map((row) => ({ ts: row.bucket.getTime(), value: row.value ?? 0, flags: row.flags ?? 0, estimated: row.estimated ?? 0 }));
  }

  /**
   * The first and the last reading of a utility's main meters in the 15-minute buckets of
   * [from, to) (to null: no end): how far their consumption is counted.
   */
  async readingSpan(siteKey: string, utility: MeteredUtility, from: Date, to: Date | null): Promise<ReadingSpan> {
    const [row] = await this.db.query<{ first_data: Date | null; last_data: Date | null }>(
      `select min(r.first_ts) as first_data, max(r.last_ts) as last_data
       from rollups_15m r ${SITE_POINTS}
       where s.key = $1 and ${utilityPointSql(utility)} and r.bucket >= $2 and ($3::timestamptz is null or r.bucket < $3) and r.count > 0`,
      [siteKey, from, to],
    );
    return { first: row?.first_data ? row.first_data.getTime() : null, last: row?.last_data ? row.last_data.getTime() : null };
  }

  /**
   * The quarter hours in [from, to) that every main meter of the utility measured: a reading of
   * its own in the quarter, or a register step across it that spans no gap (flag 1).
   */
  async measuredQuarters(siteKey: string, utility: MeteredUtility, from: Date, to: Date): Promise<number> {
    const [row] = await this.db.query<{ quarters: number }>(
      `with meters as (
         select p.id from points p
         join assets a on a.id = p.asset_id
         join sites s on s.id = a.site_id
         where s.key = $1 and ${utilityPointSql(utility)}
       ),
       measured as (
         select r.bucket from rollups_15m r join meters m on m.id = r.point_id
         where r.bucket >= $2 and r.bucket < $3 and (r.count > 0 or r.consumption_flags & 1 = 0)
         group by r.bucket having count(*) = (select count(*) from meters)
       )
       select count(*)::int as quarters from measured`,
      [siteKey, from, to],
    );
    return row?.quarters ?? 0;
  }

  /** A site's use of a utility per local day in [from, to), per unit its points are stored in. */
  async dailyUsageByUnit(site: string, utility: Utility, from: Date, to: Date): Promise<DailyUsageOfUnit[]> {
    const column = MEASURE[utility];
    return this.db.query<DailyUsageOfUnit>(
      `select ${LOCAL_DATE} as date, p.unit, sum(r.${column})::float8 as usage, bit_or(r.consumption_flags)::int as flags,
              coalesce(sum(r.estimated), 0)::float8 as estimated
       from rollups_1d r ${SITE_POINTS}
       where s.key = $1 and ${utilityPointSql(utility)}
         and r.bucket >= $2 and r.bucket < $3 and r.${column} is not null
       group by 1, 2 order by 1`,
      [site, from, to],
    );
  }

  /** A utility's registered consumption per hour in [from, to), per unit its points are stored in. */
  async hourlyUsageByUnit(site: string, utility: Utility, from: Date, to: Date): Promise<HourlyUsageOfUnit[]> {
    const rows = await this.db.query<{ bucket: Date; how: number; unit: string; usage: number }>(
      `select r.bucket, ${HOUR_OF_WEEK} as how, p.unit, sum(r.consumption)::float8 as usage
       from rollups_1h r ${SITE_POINTS}
       where s.key = $1 and ${utilityPointSql(utility)}
         and r.bucket >= $2 and r.bucket < $3 and r.consumption is not null
       group by 1, 2, 3 order by 1`,
      [site, from, to],
    );
    return rows.map((row) => ({ bucket: row.bucket, hourOfWeek: Number(row.how), unit: row.unit, usage: row.usage }));
  }

  /**
   * The outdoor temperature points' readings per hour or local day in [from, to): their sum and
   * count per unit, so that a mean in another unit weighs every reading alike.
   */
  async outdoorTemperatureSums(site: string, bucket: '1h' | '1d', from: Date, to: Date): Promise<TemperatureSumOfUnit[]> {
    const rows = await this.db.query<{ bucket: Date; date: string; how: number; unit: string; sum: number; count: number }>(
      `select r.bucket, ${LOCAL_DATE} as date, ${HOUR_OF_WEEK} as how,
              p.unit, sum(r.sum)::float8 as sum, sum(r.count)::float8 as count
       from ${ROLLUP_TABLE[bucket]} r ${SITE_POINTS}
       where s.key = $1 and ${outdoorTemperaturePointSql()} and r.bucket >= $2 and r.bucket < $3
       group by 1, 2, 3, 4 order by 1`,
      [site, from, to],
    );
    return rows.map((row) => ({
      bucket: row.bucket,
      date: row.date,
      hourOfWeek: Number(row.how),
      unit: row.unit,
      sum: row.sum,
      count: row.count,
    }));
  }

  /** The largest quarter hour's electricity (kWh, summed over the main meters) of each month on the site's calendar. */
  async monthlyPeakQuarterKwh(site: string, from: Date, to: Date): Promise<Array<{ month: string; kwh: number }>> {
    return this.db.query<{ month: string; kwh: number }>(
      `select to_char(q.bucket at time zone q.timezone, 'YYYY-MM') as month, max(q.kwh)::float8 as kwh
       from (
         -- kWh from each point's unit (the units conversion reports accept for energy)
         select r.bucket, s.timezone,
                sum(r.consumption * case when p.unit in ('Wh', 'W.h') then 0.001 when p.unit in ('MWh', 'MW.h') then 1000 else 1 end) as kwh
         from rollups_15m r ${SITE_POINTS}
         where s.key = $1 and ${utilityPointSql('electricity')}
           and r.bucket >= $2 and r.bucket < $3 and r.consumption is not null
         group by r.bucket, s.timezone
       ) q
       group by 1 order by 1`,
      [site, from, to],
    );
  }
}
