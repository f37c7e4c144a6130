import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@hallwatch/config';
import { Database } from '@hallwatch/db';

/**
 * Keeps raw readings for RETENTION_RAW_DAYS. With TimescaleDB a retention policy drops whole
 * chunks; on plain PostgreSQL this job deletes in slices so it never holds long locks.
 */
@Injectable()
export class RetentionService {
  private readonly logger = new Logger(RetentionService.name);

  constructor(
    private readonly db: Database,
    private readonly config: AppConfig,
  ) {}

  async ensurePolicy(): Promise<void> {
    if (!this.db.capabilities.timescaledb) return;
    const days = this.config.get('RETENTION_RAW_DAYS');
    await this.db.query("select remove_retention_policy('readings', if_exists => true)");
    await this.db.query(`select add_retention_policy('readings', $1::interval)`, [`${days} days`]);
  }

  /** Returns the number of raw readings deleted (0 where TimescaleDB does it). */
  async enforce(): Promise<number> {
    if (this.db.capabilities.timescaledb) return 0;
    const cutoff = new Date(Date.now() - this.config.get('RETENTION_RAW_DAYS') * 86_400_000);
    let deleted = 0;
    for (;;) {
      const rows = await this.db.query<{ count: number }>(
        `with doomed as (select point_id, ts from readings where ts < $1 limit 50000)
         , gone as (delete from readings r using doomed d where r.point_id = d.point_id and r.ts = d.ts returning 1)
         select count(*)::int as count from gone`,
        [cutoff],
      );
      deleted += rows[0].count;
      if (rows[0].count < 50000) break;
    }
    if (deleted > 0) this.logger.log(`retention: deleted ${deleted} raw readings older than ${cutoff.toISOString()}`);
    return deleted;
  }
}
