import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';
import { QUARTER_HOUR_MS } from '@hallwatch/calc';
import { CONSUMPTION_KINDS_SQL } from '@hallwatch/domain';
import type { Coverage } from './coverage.schema';

/** Main meters of the utilities read from registers; fuel is a log of refuellings and has no coverage. */
const MAIN_REGISTERS = {
  electricity: 'electricity-meter',
  water: 'water-meter',
} as const;
export type MeteredUtility = keyof typeof MAIN_REGISTERS;

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
         where s.key = $1 and a.type = $2 and a.attributes->>'role' = 'main' and p.kind in ${CONSUMPTION_KINDS_SQL}
       ),
       measured as (
         select r.bucket from rollups_15m r join meters m on m.id = r.point_id
         where r.bucket >= $3 and r.bucket < $4 and (r.count > 0 or r.consumption_flags & 1 = 0)
         group by r.bucket having count(*) = (select count(*) from meters)
       ),
       readings_seen as (
         select min(r.first_ts) as first_data, max(r.last_ts) as last_data
         from rollups_15m r join meters m on m.id = r.point_id
         where r.bucket >= $5 and r.bucket < $6 and r.count > 0
       )
       select (select count(*) from measured)::int as quarters, first_data, last_data from readings_seen`,
      [
        siteKey,
        MAIN_REGISTERS[utility],
        new Date(first),
        new Date(end),
        new Date(Math.floor(from / QUARTER_HOUR_MS) * QUARTER_HOUR_MS),
        new Date(to),
      ],
    );
    const withData = row?.quarters ?? 0;
    return {
      quarters: count,
      quartersWithData: withData,
      share: count > 0 ? withData / count : null,
      partial: withData < count,
      firstData: row?.first_data ? row.first_data.getTime() : null,
      lastData: row?.last_data ? row.last_data.getTime() : null,
    };
  }
}
