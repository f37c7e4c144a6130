import { Database } from '@hallwatch/db';
import { RollupAttributes } from './rollup-reference';

export interface MeterPointPlan {
  kind: 'cumulative' | 'interval' | 'gauge';
  attributes?: RollupAttributes;
}

let sites = 0;

/**
 * A site of its own in `timezone`, with one electricity-meter asset holding the given points
 * (registers in kWh, gauges in kW); returns the point ids in the order given.
 */
export async function createMeterPoints(db: Database, timezone: string, points: MeterPointPlan[]): Promise<number[]> {
  const key = `meter-site-${process.pid}-${++sites}`;
  const [site] = await db.query<{ id: number }>('insert into sites (key, name, timezone) values ($1, $1, $2) returning id', [
    key,
    timezone,
  ]);
  const [asset] = await db.query<{ id: number }>(
    `insert into assets (site_id, key, name, type) values ($1, 'meter', 'Meter', 'electricity-meter') returning id`,
    [site.id],
  );
  const ids: number[] = [];
  for (const [i, point] of points.entries()) {
    const [row] = await db.query<{ id: number }>(
      'insert into points (asset_id, key, kind, unit, attributes) values ($1, $2, $3, $4, $5::jsonb) returning id',
      [asset.id, `p${i}`, point.kind, point.kind === 'gauge' ? 'kW' : 'kWh', JSON.stringify(point.attributes ?? {})],
    );
    ids.push(row.id);
  }
  return ids;
}
