import { Injectable } from '@nestjs/common';
import { quarterDemandKw } from '@hallwatch/calc';
import { ReadDatabase } from '@hallwatch/db';
import { Utility } from '@hallwatch/readings';

/** Which points measure a site's use of a utility (as in ConsumptionRepository). */
const UTILITY_POINTS: Record<Utility, { assetType: string; role: string | null; column: 'consumption' | 'sum'; kind: string }> = {
  electricity: { assetType: 'electricity-meter', role: 'main', column: 'consumption', kind: 'cumulative' },
  water: { assetType: 'water-meter', role: 'main', column: 'consumption', kind: 'cumulative' },
  fuel: { assetType: 'fuel-log', role: null, column: 'sum', kind: 'gauge' },
};

export interface DailyUsage {
  date: string;
  usage: number;
  flags: number;
  /** Of `usage`, what was estimated across meter gaps (0 for gauges). */
  estimated: number;
}

export interface HourlyEnergy {
  start: Date;
  kWh: number;
}

/** Days are the site's calendar days: the 1d rollups start at its local midnight, in its time zone. */
const LOCAL_DATE = `to_char(r.bucket at time zone s.timezone, 'YYYY-MM-DD')`;

/**
 * Everything a savings report reads, and all of it from the rollups: a year of 15-minute data
 * costs 365 daily rows per meter, never a scan of raw readings.
 */
@Injectable()
export class SavingsDataRepository {
  constructor(private readonly db: ReadDatabase) {}

  async dailyUsage(site: string, utility: Utility, from: Date, to: Date): Promise<DailyUsage[]> {
    const { assetType, role, column, kind } = UTILITY_POINTS[utility];
    return this.db.query<DailyUsage>(
      `select ${LOCAL_DATE} as date, sum(r.${column})::float8 as usage, bit_or(r.consumption_flags)::int as flags,
              coalesce(sum(r.estimated), 0)::float8 as estimated
       from rollups_1d r
       join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and a.type = $2 and ($3::text is null or a.attributes->>'role' = $3) and p.kind = $4
         and r.bucket >= $5 and r.bucket < $6 and r.${column} is not null
       group by 1 order by 1`,
      [site, assetType, role, kind, from, to],
    );
  }

  /** Whether the site has a point measuring its use of the utility. */
  async hasMeter(site: string, utility: Utility): Promise<boolean> {
    const { assetType, role, kind } = UTILITY_POINTS[utility];
    const rows = await this.db.query<{ found: boolean }>(
      `select exists (
         select 1 from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
         where s.key = $1 and a.type = $2 and ($3::text is null or a.attributes->>'role' = $3) and p.kind = $4
       ) as found`,
      [site, assetType, role, kind],
    );
    return rows[0]?.found === true;
  }

  /** Whether the site has an outdoor temperature point (tagged outside + temp). */
  async hasOutdoorTemperature(site: string): Promise<boolean> {
    const rows = await this.db.query<{ found: boolean }>(
      `select exists (
         select 1 from points p join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
         where s.key = $1 and p.tags @> array['outside', 'temp'] and p.kind = 'gauge'
       ) as found`,
      [site],
    );
    return rows[0]?.found === true;
  }

  /** Daily mean outdoor temperature from the site's weather station (a point tagged outside + temp). */
  async dailyOutdoorTemperature(site: string, from: Date, to: Date): Promise<Map<string, number>> {
    const rows = await this.db.query<{ date: string; mean: number }>(
      `select ${LOCAL_DATE} as date, (sum(r.sum) / nullif(sum(r.count), 0))::float8 as mean
       from rollups_1d r
       join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and p.tags @> array['outside', 'temp'] and p.kind = 'gauge' and r.bucket >= $2 and r.bucket < $3
       group by 1 order by 1`,
      [site, from, to],
    );
    return new Map(rows.filter((row) => row.mean !== null).map((row) => [row.date, row.mean]));
  }

  /** Electricity per hour, for time-of-use tariffs. */
  async hourlyElectricity(site: string, from: Date, to: Date): Promise<HourlyEnergy[]> {
    const { assetType, role } = UTILITY_POINTS.electricity;
    const rows = await this.db.query<{ bucket: Date; kwh: number }>(
      `select r.bucket, sum(r.consumption)::float8 as kwh
       from rollups_1h r
       join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and a.type = $2 and a.attributes->>'role' = $3 and p.kind = 'cumulative'
         and r.bucket >= $4 and r.bucket < $5 and r.consumption is not null
       group by 1 order by 1`,
      [site, assetType, role, from, to],
    );
    return rows.map((row) => ({ start: row.bucket, kWh: row.kwh }));
  }

  /** The maximum 15-minute demand (quarterDemandKw of the quarter's kWh) of each month on the site's calendar. */
  async monthlyMaxDemand(site: string, from: Date, to: Date): Promise<Record<string, number>> {
    const { assetType, role } = UTILITY_POINTS.electricity;
    const rows = await this.db.query<{ month: string; kwh: number }>(
      `select to_char(q.bucket at time zone q.timezone, 'YYYY-MM') as month, max(q.kwh)::float8 as kwh
       from (
         select r.bucket, s.timezone, sum(r.consumption) as kwh
         from rollups_15m r
         join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
         where s.key = $1 and a.type = $2 and a.attributes->>'role' = $3 and p.kind = 'cumulative'
           and r.bucket >= $4 and r.bucket < $5 and r.consumption is not null
         group by r.bucket, s.timezone
       ) q
       group by 1 order by 1`,
      [site, assetType, role, from, to],
    );
    return Object.fromEntries(rows.map((row) => [row.month, quarterDemandKw(row.kwh)]));
  }
}
