import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';
import { lockRollups, RollupRefresher } from './rollup-refresher.service';

/** Readings deleted per transaction, so a purge never holds the rollup lock for long. */
const SLICE = 50_000;

/**
 * Deletes, per point, the raw readings older than a cutoff, but only where the rollups are final:
 * after the refresher has caught up, never for a point with readings still waiting for it, and
 * never the newest reading before the cutoff (the anchor the next step or hold starts from). The
 * cutoff becomes the point's horizon (raw_retention): buckets before it are never recomputed, and
 * ingest refuses readings older than it.
 */
@Injectable()
export class RawRetention {
  constructor(
    private readonly db: Database,
    private readonly refresher: RollupRefresher,
  ) {}

  /** Returns how many readings were deleted. */
  async purge(cutoff: Date): Promise<number> {
    await this.refresher.drain();
    let deleted = 0;
    for (;;) {
      const count = await this.db.transaction(async (tx) => {
        await lockRollups(tx);
        const [row] = await tx.query<{ count: number }>(
          `with anchors as (
             select r.point_id, max(r.ts) as anchor_ts from readings r where r.ts < $1 group by r.point_id
           ),
           final as (
             select a.point_id, a.anchor_ts from anchors a
             where not exists (select 1 from rollup_invalidations i where i.point_id = a.point_id)
           ),
           marked as (
             insert into raw_retention (point_id, purged_before, anchor_ts)
             select f.point_id, $1, f.anchor_ts from final f join points p on p.id = f.point_id
             on conflict (point_id) do update set purged_before = excluded.purged_before, anchor_ts = excluded.anchor_ts
             where excluded.purged_before > raw_retention.purged_before
           ),
           doomed as (
             select r.point_id, r.ts from readings r join final f on f.point_id = r.point_id and r.ts < f.anchor_ts limit $2
           ),
           gone as (
             delete from readings r using doomed d where r.point_id = d.point_id and r.ts = d.ts returning 1
           )
           select count(*)::int as count from gone`,
          [cutoff, SLICE],
        );
        return row.count;
      });
      deleted += count;
      if (count < SLICE) return deleted;
    }
  }

  /**
   * Sets a horizon for each of the points that has none, as a purge before `purgedBefore` would,
   * with `anchorTs` as the reading the next step starts from; a point already marked keeps its mark.
   */
  async markHorizon(pointIds: readonly number[], purgedBefore: Date, anchorTs: Date): Promise<void> {
    await this.db.query(
      `insert into raw_retention (point_id, purged_before, anchor_ts)
       select id, $2, $3 from unnest($1::int[]) as id
       on conflict (point_id) do nothing`,
      [pointIds, purgedBefore, anchorTs],
    );
  }

  /** Each point's horizon (epoch ms): readings older than it are refused. */
  async horizons(): Promise<Map<number, number>> {
    const rows = await this.db.query<{ point_id: number; purged_before: Date }>('select point_id, purged_before from raw_retention');
    return new Map(rows.map((row) => [row.point_id, row.purged_before.getTime()]));
  }

  /**
   * Compresses readings older than `olderThanDays` where TimescaleDB is present. A TimescaleDB server
   * also runs its compression policy; the embedded one runs no background jobs, so this is how its
   * data gets compressed.
   */
  async compress(olderThanDays: number): Promise<number> {
    if (!this.db.capabilities.timescaledb) return 0;
    const [row] = await this.db.query<{ count: number }>(
      `select count(compress_chunk(c, if_not_compressed => true))::int as count
       from show_chunks('readings', older_than => $1::interval) c`,
      [`${olderThanDays} days`],
    );
    return row.count;
  }
}
