import { Database } from '@hallwatch/db';
import { ReferenceReading, ReferenceRollupRow, ReferenceRollups } from './rollup-reference';

/** What a test compares with test/support/rollup-reference.ts: the stored readings and rollups, in its shape. */

/** The stored readings of the points, by point, in time order. */
export async function storedReadings(db: Database, ids: number[]): Promise<Map<number, ReferenceReading[]>> {
  const rows = await db.query<{ point_id: number; ts: Date; value: number }>(
    'select point_id, ts, value from readings where point_id = any($1) order by point_id, ts',
    [ids],
  );
  const byPoint = new Map<number, ReferenceReading[]>(ids.map((id) => [id, []]));
  for (const row of rows) byPoint.get(Number(row.point_id))!.push({ ts: toMs(row.ts)!, value: Number(row.value) });
  return byPoint;
}

interface RollupDbRow {
  point_id: number;
  bucket: Date;
  count: number;
  sum: number;
  min: number | null;
  max: number | null;
  first_ts: Date | null;
  first_value: number | null;
  last_ts: Date | null;
  last_value: number | null;
  consumption: number | null;
  consumption_flags: number;
  estimated: number | null;
  tw_sum: number | null;
  tw_seconds: number | null;
}

/** What the engine stored for the points, in the reference's shape. */
export async function storedRollups(db: Database, ids: number[]): Promise<Map<number, ReferenceRollups>> {
  const byPoint = new Map<number, ReferenceRollups>(ids.map((id) => [id, { '15m': new Map(), '1h': new Map(), '1d': new Map() }]));
  for (const level of ['15m', '1h', '1d'] as const) {
    const rows = await db.query<RollupDbRow>(
      `select point_id, bucket, count, sum, min, max, first_ts, first_value, last_ts, last_value,
              consumption, consumption_flags, estimated, tw_sum, tw_seconds
         from rollups_${level} where point_id = any($1) order by point_id, bucket`,
      [ids],
    );
    for (const row of rows) {
      const parsed: ReferenceRollupRow = {
        bucket: toMs(row.bucket)!,
        count: Number(row.count),
        sum: Number(row.sum),
        min: toNumber(row.min),
        max: toNumber(row.max),
        firstTs: toMs(row.first_ts),
        firstValue: toNumber(row.first_value),
        lastTs: toMs(row.last_ts),
        lastValue: toNumber(row.last_value),
        consumption: toNumber(row.consumption),
        consumptionFlags: Number(row.consumption_flags),
        estimated: toNumber(row.estimated),
        twSum: toNumber(row.tw_sum),
        twSeconds: toNumber(row.tw_seconds),
      };
      byPoint.get(Number(row.point_id))![level].set(parsed.bucket, parsed);
    }
  }
  return byPoint;
}

const toNumber = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const toMs = (value: Date | string | null): number | null =>
  value === null ? null : value instanceof Date ? value.getTime() : Date.parse(value);
