import { Injectable } from '@nestjs/common';
import { RollupBucket } from '@hallwatch/domain';
import { ConsumptionRepository, Utility } from '@hallwatch/readings';
import { SitesService } from '../sites/sites.service';

@Injectable()
export class ConsumptionService {
  constructor(
    private readonly consumption: ConsumptionRepository,
    private readonly sites: SitesService,
  ) {}

  async forSite(siteKey: string, utility: Utility, bucket: RollupBucket, from: Date, to: Date) {
    await this.sites.requireSite(siteKey);
    const rows = await this.consumption.series(siteKey, utility, bucket, from, to);
    return {
      site: siteKey,
      utility,
      unit: this.consumption.unit(utility),
      bucket,
      from: from.toISOString(),
      to: to.toISOString(),
      total: rows.reduce((sum, row) => sum + row.value, 0),
      // bit flags of the register steps: 1 gap, 2 meter reset, 4 spike discarded, 8 rollover
      flags: rows.reduce((all, row) => all | row.flags, 0),
      rows,
    };
  }

  /** 15-minute demand of the main incomer (kWh in the quarter x 4), its maximum, and the contract capacity. */
  async demand(siteKey: string, from: Date, to: Date) {
    const site = await this.sites.requireSite(siteKey);
    const quarters = await this.consumption.series(siteKey, 'electricity', '15m', from, to);
    const rows = quarters.map((quarter) => ({ ts: quarter.ts, kW: quarter.value * 4, flags: quarter.flags }));
    const peak = rows.reduce<(typeof rows)[number] | undefined>((best, row) => (!best || row.kW > best.kW ? row : best), undefined);
    const contract = Number(site.attributes.contractCapacityKw ?? NaN);
    return {
      site: siteKey,
      from: from.toISOString(),
      to: to.toISOString(),
      contractCapacityKw: Number.isFinite(contract) ? contract : null,
      maximum: peak ? { ts: peak.ts, kW: peak.kW } : null,
      rows,
    };
  }
}
