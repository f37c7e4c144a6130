import { Injectable } from '@nestjs/common';
import { Database } from '@hallwatch/db';

export type FloorPlanKind = 'svg' | 'grid';

export interface FloorPlan {
  site: string;
  floor: string;
  kind: FloorPlanKind;
  /** The checked, re-serialised drawing of an uploaded plan; null for the generated grid. */
  svg: string | null;
  updatedBy: string;
  updatedAt: string;
}

const COLUMNS = `site, floor, kind, svg, updated_by as "updatedBy", updated_at as "updatedAt"`;

/** Floor plans per site and floor. */
@Injectable()
export class FloorPlansRepository {
  constructor(private readonly db: Database) {}

  async find(site: string, floor: string): Promise<FloorPlan | undefined> {
    const [row] = await this.db.query<FloorPlan & { updatedAt: Date | string }>(
      `select ${COLUMNS} from floor_plans where site = $1 and floor = $2`,
      [site, floor],
    );
    return row && { ...row, updatedAt: new Date(row.updatedAt).toISOString() };
  }

  async put(plan: { site: string; floor: string; kind: FloorPlanKind; svg: string | null }, by: string): Promise<void> {
    await this.db.query(
      `insert into floor_plans (site, floor, kind, svg, updated_by) values ($1, $2, $3, $4, $5)
       on conflict (site, floor) do update set kind = excluded.kind, svg = excluded.svg, updated_by = excluded.updated_by, updated_at = now()`,
      [plan.site, plan.floor, plan.kind, plan.svg, by],
    );
  }
}
