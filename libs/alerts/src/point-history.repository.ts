import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';

/** Recent history of one point from its 15-minute rollups, for thresholds that learn from it. */
@Injectable()
export class PointHistoryRepository {
  constructor(private readonly db: ReadDatabase) {}

  async quarterHourMeans(site: string, asset: string, point: string, from: Date, to: Date): Promise<Array<{ ts: number; value: number }>> {
    const rows = await this.db.query<{ bucket: Date; mean: number }>(
      `select r.bucket, (r.sum / r.count)::float8 as mean
       from rollups_15m r join points p on p.id = r.point_id join assets a on a.id = p.asset_id join sites s on s.id = a.site_id
       where s.key = $1 and a.key = $2 and p.key = $3 and r.bucket >= $4 and r.bucket < $5 and r.count > 0 order by r.bucket`,
      [site, asset, point, from, to],
    );
    return rows.map((row) => ({ ts: row.bucket.getTime(), value: row.mean }));
  }
}
