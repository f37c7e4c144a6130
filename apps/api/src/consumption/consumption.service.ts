import { Injectable } from '@nestjs/common';
import { quarterDemandKw } from '@hallwatch/calc';
import { RollupBucket } from '@hallwatch/domain';
import { ConsumptionRepository, Utility } from '@hallwatch/readings';
import { SitesService } from '../sites/sites.service';
import { resolveRange, TimeParameter } from '../time-query';
import { CoverageRepository } from './coverage.repository';
import { isoTime } from '../iso-time';

type Range = { from?: TimeParameter; to?: TimeParameter };

@Injectable()
export class ConsumptionService {
  constructor(
    private readonly consumption: ConsumptionRepository,
    private readonly sites: SitesService,
    private readonly coverage: CoverageRepository,
  ) {}

  async forSite(siteKey: string, utility: Utility, bucket: RollupBucket, range: Range) {
    const site = await this.sites.requireSite(siteKey);
    const { from, to } = resolveRange(range, site.timezone);
    const [rows, coverage] = await Promise.all([
      this.consumption.series(siteKey, utility, bucket, from, to),
      // Fuel is a log of refuellings: a day without one is not missing data.
      utility === 'fuel' ? null : this.coverage.coverage(siteKey, utility, from.getTime(), to.getTime()),
    ]);
    return {
      site: siteKey,
      timezone: site.timezone,
      utility,
      unit: this.consumption.unit(utility),
      bucket,
      from: from.toISOString(),
      to: to.toISOString(),
      total: rows.reduce((sum, row) => sum + row.value, 0),
      // of the total, what was estimated across meter gaps (docs/rollups.md, "Gaps")
      estimated: rows.reduce((sum, row) => sum + row.estimated, 0),
      // bit flags of the register steps: 1 gap, 2 meter reset, 4 spike discarded, 8 rollover
      flags: rows.reduce((all, row) => all | row.flags, 0),
      // How much of the period has data (coverage.schema.ts): a partial total says so.
      coverage,
      rows: rows.map((row) => ({ ...row, ts: isoTime(row.ts) })),
    };
  }

  /** 15-minute demand of the main incomer (quarterDemandKw: kWh in the quarter × 4), its maximum, and the contract capacity. */
  async demand(siteKey: string, range: Range) {
    const site = await this.sites.requireSite(siteKey);
    const { from, to } = resolveRange(range, site.timezone);
    const quarters = await this.consumption.series(siteKey, 'electricity', '15m', from, to);
    const rows = quarters.map((quarter) => ({ ts: quarter.ts, kW: quarterDemandKw(quarter.value), flags: quarter.flags }));
    const peak = rows.reduce<(typeof rows)[number] | undefined>((best, row) => (!best || row.kW > best.kW ? row : best), undefined);
    const contract = Number(site.attributes.contractCapacityKw ?? NaN);
    return {
      site: siteKey,
      timezone: site.timezone,
      from: from.toISOString(),
      to: to.toISOString(),
      contractCapacityKw: Number.isFinite(contract) ? contract : null,
      maximum: peak ? { ts: isoTime(peak.ts), kW: peak.kW } : null,
      rows: rows.map((row) => ({ ...row, ts: isoTime(row.ts) })),
    };
  }
}
