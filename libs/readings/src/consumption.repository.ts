import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { RollupBucket } from '@hallwatch/domain';
import { assetRoleSql, pointRoleSql } from '@hallwatch/registry';
import { ConsumptionRow, RollupRepository } from './rollup.repository';
import { MeteredUtility, Utility } from './utilities';

/** The main electricity meters' power gauges (kW), found by their tags. */
const MAIN_POWER = `${assetRoleSql('electricityMainMeter')} and ${pointRoleSql('power')} and p.kind = 'gauge'`;
const UNIT: Record<Utility, string> = { electricity: 'kWh', water: 'm³', fuel: 'L' };

/** A site's use of a utility per bucket, from the rollups (never a scan of raw readings), and its present power. */
@Injectable()
export class ConsumptionRepository {
  constructor(
    private readonly db: ReadDatabase,
    private readonly rollups: RollupRepository,
  ) {}

  unit(utility: Utility): string {
    return UNIT[utility];
  }

  async series(siteKey: string, utility: Utility, bucket: RollupBucket, from: Date, to: Date): Promise<ConsumptionRow[]> {
    return this.rollups.siteUsage(siteKey, utility, bucket, from, to);
  }

  /**
   * The newest reading of a utility's main-meter registers in buckets from `from` on, as the
   * 15-minute rollups know it: how far their consumption is counted. Null when there is none.
   */
  async newestReading(siteKey: string, utility: MeteredUtility, from: Date): Promise<number | null> {
    return (await this.rollups.readingSpan(siteKey, utility, from, null)).last;
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
