import { Injectable } from '@nestjs/common';
import { ReadDatabase } from '@hallwatch/db';

export interface DemoHistoryProgress {
  percent: number;
  finished: boolean;
}

/** The API's read of `demo_history`, which the demo's first start writes (simulators/src/demo-start.ts). */
@Injectable()
export class DemoHistoryRepository {
  constructor(private readonly readDb: ReadDatabase) {}

  /** How far the demo's history of a site is loaded; null for a site that is not the demo's. */
  async progress(siteKey: string): Promise<DemoHistoryProgress | null> {
    const [row] = await this.readDb.query<DemoHistoryProgress>(
      `select case when finished_at is not null then 100 when readings > 0 then floor(100.0 * loaded / readings) else 0 end::int as percent,
              finished_at is not null as finished
         from demo_history where site = $1`,
      [siteKey],
    );
    return row ?? null;
  }
}
