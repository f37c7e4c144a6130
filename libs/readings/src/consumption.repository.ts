import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { CONSUMPTION_KINDS, CONSUMPTION_KINDS_SQL, RollupBucket } from '@hallwatch/domain';

export const UTILITIES = ['electricity', 'water', 'fuel'] as const;
export type Utility = (typeof UTILITIES)[number];

/**
 * Which points measure a site's use of a utility: its main meters' registers (electricity kWh,
 * water m3), or the fuel log's refuellings (litres, summed).
 */
const UTILITY_POINTS: Record<Utility, { assetType: string; role?: string; measure: 'consumption' | 'sum' }> = {
  electricity: { assetType: 'electricity-meter', role: 'main', measure: 'consumption' },
  water: { assetType: 'water-meter', role: 'main', measure: 'consumption' },
  fuel: { assetType: 'fuel-log', measure: 'sum' },
};
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
    const { assetType, role, measure } = UTILITY_POINTS[utility];
    const rows = await this.db.query<{ bucket: Date; value: number; flags: number; estimated: number | null }>(
      `select r.bucket, sum(${measure === 'consumption' ? 'r.consumption' : 'r.sum'}) as value, bit_or(r.consumption_flags) as flags,
              sum(r.estimated) as estimated
       from ${TABLE[bucket]} r
       join points p on p.id = r.point_id
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       where s.key = $1 and a.type = $2 and ($3::text is null or a.attributes->>'role' = $3)
         and p.kind = any($4::text[]) and r.bucket >= $5 and r.bucket < $6
       group by r.bucket order by r.bucket`,
      [siteKey, assetType, role ?? null, measure === 'consumption' ? CONSUMPTION_KINDS : ['gauge'], from, to],
    );
    return rows.map((row) => ({ ts: row.bucket.getTime(), value: row.value ?? 0, flags: row.flags ?? 0, estimated: row.estimated ?? 0 }));
  }

  /**
   * The newest reading of a utility's main-meter registers in buckets from `from` on, as the
   * 15-minute rollups know it: how far their consumption is counted. Null when there is none.
   */
  async newestReading(siteKey: string, utility: Exclude<Utility, 'fuel'>, from: Date): Promise<number | null> {
    const { assetType, role } = UTILITY_POINTS[utility];
    const [row] = await this.db.query<{ newest: Date | null }>(
      `select max(r.last_ts) as newest
       from rollups_15m r
       join points p on p.id = r.point_id
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       where s.key = $1 and a.type = $2 and a.attributes->>'role' = $3 and p.kind in ${CONSUMPTION_KINDS_SQL} and r.bucket >= $4`,
      [siteKey, assetType, role ?? null, from],
    );
    return row?.newest ? row.newest.getTime() : null;
  }

  /**
   * The main electricity meters' present power: the newest reading of each one's `kW` gauge in
   * (from, to], summed over the main meters; stamped with the oldest of those readings. Null when
   * none has a reading in the window.
   */
  async mainPower(siteKey: string, from: Date, to: Date): Promise<{ ts: number; kW: number } | null> {
    const { assetType, role } = UTILITY_POINTS.electricity;
    const rows = await this.db.query<{ ts: Date; value: number }>(
      `select newest.ts, newest.value
       from points p
       join assets a on a.id = p.asset_id
       join sites s on s.id = a.site_id
       cross join lateral (
         select r.ts, r.value from readings r where r.point_id = p.id and r.ts > $4 and r.ts <= $5 order by r.ts desc limit 1
       ) newest
       where s.key = $1 and a.type = $2 and a.attributes->>'role' = $3 and p.key = 'kW' and p.kind = 'gauge'`,
      [siteKey, assetType, role ?? null, from, to],
    );
    if (rows.length === 0) return null;
    return { ts: Math.min(...rows.map((row) => row.ts.getTime())), kW: rows.reduce((sum, row) => sum + row.value, 0) };
  }
}
