import { Injectable } from '@nestjs/common';
import { Database, isoDates } from '@hallwatch/db';
import { Utility } from '@hallwatch/readings';
import { TariffVersion } from '@hallwatch/calc';

export interface Adjustment {
  id: number;
  utility: Utility;
  kind: 'amount' | 'exclude';
  startsOn: string;
  endsOn: string;
  amount: number | null;
  reason: string;
  createdBy: string;
  createdAt: string;
  retiredBy: string | null;
  retiredAt: string | null;
}

export interface Measure {
  id: number;
  utility: Utility;
  name: string;
  installedOn: string;
  estimatedPerYear: number;
  estimatedNtdPerYear: number | null;
  note: string | null;
  createdBy: string;
  createdAt: string;
  retiredBy: string | null;
  retiredAt: string | null;
}

export interface Target {
  baselineYear: number;
  annualReductionPct: number;
  createdBy: string;
  createdAt: string;
}

export type NewAdjustment = Pick<Adjustment, 'utility' | 'kind' | 'startsOn' | 'endsOn' | 'amount' | 'reason'>;
export type NewMeasure = Pick<Measure, 'utility' | 'name' | 'installedOn' | 'estimatedPerYear' | 'estimatedNtdPerYear' | 'note'>;

const ADJUSTMENT_COLUMNS = `a.id, a.utility, a.kind, to_char(a.starts_on, 'YYYY-MM-DD') as "startsOn", to_char(a.ends_on, 'YYYY-MM-DD') as "endsOn",
  a.amount, a.reason, a.created_by as "createdBy", a.created_at as "createdAt", a.retired_by as "retiredBy", a.retired_at as "retiredAt"`;
const MEASURE_COLUMNS = `m.id, m.utility, m.name, to_char(m.installed_on, 'YYYY-MM-DD') as "installedOn", m.estimated_per_year as "estimatedPerYear",
  m.estimated_ntd_per_year as "estimatedNtdPerYear", m.note, m.created_by as "createdBy", m.created_at as "createdAt",
  m.retired_by as "retiredBy", m.retired_at as "retiredAt"`;

/**
 * Adjustments, measures, targets and emission factors that energy officers enter. Nothing is
 * edited in place: retiring keeps the row with who retired it and when.
 */
@Injectable()
export class SavingsAnnotationsRepository {
  constructor(private readonly db: Database) {}

  async adjustments(site: string, utility?: Utility, includeRetired = false): Promise<Adjustment[]> {
    const rows = await this.db.query<Adjustment>(
      `select ${ADJUSTMENT_COLUMNS} from savings_adjustments a join sites s on s.id = a.site_id
       where s.key = $1 and ($2::text is null or a.utility = $2) and ($3 or a.retired_at is null) order by a.starts_on, a.id`,
      [site, utility ?? null, includeRetired],
    );
    return rows.map(isoDates);
  }

  async addAdjustment(site: string, adjustment: NewAdjustment, by: string): Promise<Adjustment> {
    const [row] = await this.db.query<Adjustment>(
      `with inserted as (
         insert into savings_adjustments (site_id, utility, kind, starts_on, ends_on, amount, reason, created_by)
         select s.id, $2, $3, $4, $5, $6, $7, $8 from sites s where s.key = $1 returning *)
       select ${ADJUSTMENT_COLUMNS} from inserted a`,
      [site, adjustment.utility, adjustment.kind, adjustment.startsOn, adjustment.endsOn, adjustment.amount, adjustment.reason, by],
    );
    return isoDates(row);
  }

  async retireAdjustment(site: string, id: number, by: string): Promise<boolean> {
    const rows = await this.db.query(
      `update savings_adjustments a set retired_by = $3, retired_at = now() from sites s
       where s.id = a.site_id and s.key = $1 and a.id = $2 and a.retired_at is null returning a.id`,
      [site, id, by],
    );
    return rows.length > 0;
  }

  async measures(site: string, utility?: Utility, includeRetired = false): Promise<Measure[]> {
    const rows = await this.db.query<Measure>(
      `select ${MEASURE_COLUMNS} from savings_measures m join sites s on s.id = m.site_id
       where s.key = $1 and ($2::text is null or m.utility = $2) and ($3 or m.retired_at is null) order by m.installed_on, m.id`,
      [site, utility ?? null, includeRetired],
    );
    return rows.map(isoDates);
  }

  async addMeasure(site: string, measure: NewMeasure, by: string): Promise<Measure> {
    const [row] = await this.db.query<Measure>(
      `with inserted as (
         insert into savings_measures (site_id, utility, name, installed_on, estimated_per_year, estimated_ntd_per_year, note, created_by)
         select s.id, $2, $3, $4, $5, $6, $7, $8 from sites s where s.key = $1 returning *)
       select ${MEASURE_COLUMNS} from inserted m`,
      [site, measure.utility, measure.name, measure.installedOn, measure.estimatedPerYear, measure.estimatedNtdPerYear, measure.note, by],
    );
    return isoDates(row);
  }

  async retireMeasure(site: string, id: number, by: string): Promise<boolean> {
    const rows = await this.db.query(
      `update savings_measures m set retired_by = $3, retired_at = now() from sites s
       where s.id = m.site_id and s.key = $1 and m.id = $2 and m.retired_at is null returning m.id`,
      [site, id, by],
    );
    return rows.length > 0;
  }

  /** The newest target for the site and utility; older ones stay as history. */
  async target(site: string, utility: Utility): Promise<Target | null> {
    const [row] = await this.db.query<Target>(
      `select t.baseline_year as "baselineYear", t.annual_reduction_pct as "annualReductionPct", t.created_by as "createdBy", t.created_at as "createdAt"
       from savings_targets t join sites s on s.id = t.site_id where s.key = $1 and t.utility = $2 order by t.created_at desc, t.id desc limit 1`,
      [site, utility],
    );
    return row ? isoDates(row) : null;
  }

  async setTarget(site: string, utility: Utility, baselineYear: number, annualReductionPct: number, by: string): Promise<void> {
    await this.db.query(
      `insert into savings_targets (site_id, utility, baseline_year, annual_reduction_pct, created_by)
       select s.id, $2, $3, $4, $5 from sites s where s.key = $1`,
      [site, utility, baselineYear, annualReductionPct, by],
    );
  }

  async emissionFactorOverrides(): Promise<Record<number, number>> {
    const rows = await this.db.query<{ year: number; kg: number }>('select year, kg_per_kwh as kg from emission_factors');
    return Object.fromEntries(rows.map((row) => [row.year, row.kg]));
  }

  async tariffVersions(): Promise<TariffVersion[]> {
    const rows = await this.db.query<{ body: TariffVersion }>('select body from tariff_versions order by id');
    return rows.map((row) => row.body);
  }

  async putTariffVersion(version: TariffVersion, by: string): Promise<void> {
    await this.db.query(
      `insert into tariff_versions (id, body, updated_by) values ($1, $2, $3)
       on conflict (id) do update set body = excluded.body, updated_by = excluded.updated_by, updated_at = now()`,
      [version.id, JSON.stringify(version), by],
    );
  }

  async setEmissionFactor(year: number, kgPerKwh: number, source: string, by: string): Promise<void> {
    await this.db.query(
      `insert into emission_factors (year, kg_per_kwh, source, updated_by) values ($1, $2, $3, $4)
       on conflict (year) do update set kg_per_kwh = excluded.kg_per_kwh, source = excluded.source, updated_by = excluded.updated_by, updated_at = now()`,
      [year, kgPerKwh, source, by],
    );
  }
}
