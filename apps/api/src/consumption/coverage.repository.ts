import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { QUARTER_HOUR_MS } from '@hallwatch/calc';
import { utilityPointSql } from '@hallwatch/registry';
import type { Coverage } from './coverage.schema';

/** The utilities read from main meters' registers; fuel is a log of refuellings and has no coverage. */
export type MeteredUtility = 'electricity' | 'water';

/** The whole UTC quarter hours within [from, to): the period's rollup buckets that can be complete. */
export function wholeQuarters(from: number, to: number): { first: number; end: number; count: number } {
  const first = Math.ceil(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  const end = Math.floor(to / QUARTER_HOUR_MS) * QUARTER_HOUR_MS;
  return { first, end, count: Math.max(0, (end - first) / QUARTER_HOUR_MS) };
}

/** How much of a period the main meters' 15-minute rollups cover (coverage.schema.ts). */
@Injectable()
export class CoverageRepository {
  constructor(private readonly db: ReadDatabase) {}

  /** Coverage of [from, to), counted up to `now` at most: the future is not missing. */
  async coverage(siteKey: string, utility: MeteredUtility, from: number, to: number, now = Date.now()): Promise<Coverage> {
    const { first, end, count } = wholeQuarters(from, Math.min(to, now));
    const [row] = await this.db.query<{ quarters: number; first_data: Date | null; last_data: Date | null }>(
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
       ),
       readings_seen as (
         select min(r.first_ts) as first_data, max(r.last_ts) as last_data
         from rollups_15m r join meters m on m.id = r.point_id
         where r.bucket >= $4 and r.bucket < $5 and r.count > 0
       )
       select (select count(*) from measured)::int as quarters, first_data, last_data from readings_seen`,
      [siteKey, new Date(first), new Date(end), new Date(Math.floor(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS), new Date(to)],
    );
    const withData = row?.quarters ?? 0;
    return {
      quarters: count,
      quartersWithData: withData,
      share: count > 0 ? withData / count : null,
      partial: withData < count,
      firstData: row?.first_data ? row.first_data.toISOString() : null,
      lastData: row?.last_data ? row.last_data.toISOString() : null,
    };
  }
}
