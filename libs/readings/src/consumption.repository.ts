import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { RollupBucket } from '@hallwatch/domain';
import { assetRoleSql, pointRoleSql, utilityPointSql } from '@hallwatch/registry';

export const UTILITIES = ['electricity', 'water', 'fuel'] as const;
export type Utility = (typeof UTILITIES)[number];

/**
 * What is summed of the points that measure a site's use of a utility (found by their tags,
 * utilityPointSql): the main meters' register consumption (electricity kWh, water m3), or the fuel
 * log's refuellings (litres).
 */
const MEASURE: Record<Utility, 'consumption' | 'sum'> = { electricity: 'consumption', water: 'consumption', fuel: 'sum' };
/** The main electricity meters' power gauges (kW), found by their tags. */
const MAIN_POWER = `${assetRoleSql('electricityMainMeter')} and ${pointRoleSql('power')} and p.kind = 'gauge'`;
const UNIT: Record<Utility, string> = { electricity: 'kWh', water: 'm³', fuel: 'L' };
const TABLE: Record<RollupBucket, string> = { '15m': 'rollups_15m', '1h': 'rollups_1h', '1d': 'rollups_1d' };

export interface ConsumptionRow {
  ts: number;
  value: number;
  flags: number;
  /** Of `value`, what was estimated across meter gaps (0 for logs of amounts). */
  estimated: number;
}

/** A site's use of a utility per bucket, from the rollups (never a scan of raw readings). */
@Injectable()
export class ConsumptionRepository {
  constructor(private readonly db: ReadDatabase) {}

  unit(utility: Utility): string {
    return UNIT[utility];
  }

  async series(siteKey: string, utility: Utility, bucket: RollupBucket, from: Date, to: Date): Promise<ConsumptionRow[]> {
    const measure = MEASURE[utility];
    const rows = await this.db.query<{ bucket: Date; value: number; flags: number; estimated: number | null }>(
      `select r.bucket, sum(${measure === 'consumption' ? 'r.consumption' : 'r.sum'}) as value, bit_or(r.consumption_flags) as flags,
              sum(r.estimated) as estimated
       from ${TABLE[bucket]} r
       join points p on p.id = r.point_id
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       where s.key = $1 and ${utilityPointSql(utility)} and r.bucket >= $2 and r.bucket < $3
       group by r.bucket order by r.bucket`,
      [siteKey, from, to],
    );
    return rows.map((row) => ({ ts: row.bucket.getTime(), value: row.value ?? 0, flags: row.flags ?? 0, estimated: row.estimated ?? 0 }));
  }

  /**
   * The newest reading of a utility's main-meter registers in buckets from `from` on, as the
   * 15-minute rollups know it: how far their consumption is counted. Null when there is none.
   */
  async newestReading(siteKey: string, utility: Exclude<Utility, 'fuel'>, from: Date): Promise<number | null> {
    const [row] = await this.db.query<{ newest: Date | null }>(
      `select max(r.last_ts) as newest
       from rollups_15m r
       join points p on p.id = r.point_id
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       where s.key = $1 and ${utilityPointSql(utility)} and r.bucket >= $2`,
      [siteKey, from],
    );
    return row?.newest ? row.newest.getTime() : null;
  }

  /**
   * The main electricity meters' present power: the newest reading of each one's power gauge in
   * (from, to], summed over the main meters; stamped with the oldest of those readings. Null when
   * none has a reading in the window.
   */
  async mainPower(siteKey: string, from: Date, to: Date): Promise<{ ts: number; kW: number } | null> {
    const rows = await this.db.query<{ ts: Date; value: number }>(
      `select newest.ts, newest.value
       from points p
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       cross join lateral (
         select r.ts, r.value from readings r where r.point_id = p.id and r.ts > $2 and r.ts <= $3 order by r.ts desc limit 1
       ) newest
       where s.key = $1 and ${MAIN_POWER}`,
      [siteKey, from, to],
    );
    if (rows.length === 0) return null;
    return { ts: Math.min(...rows.map((row) => row.ts.getTime())), kW: rows.reduce((sum, row) => sum + row.value, 0) };
  }
}
