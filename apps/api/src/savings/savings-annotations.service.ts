import { Injectable } from '@nestjs/common';
import { GRID_EMISSION_FACTORS, mergeTariffVersions, TAIPOWER_HV_THREE_STAGE, TariffVersion, Utility } from '@hallwatch/calc';
import { DomainError } from '@hallwatch/core';
import { RegistryRepository } from '@hallwatch/registry';
import { NewAdjustment, NewMeasure, SavingsAnnotationsRepository } from '@hallwatch/savings';

@Injectable()
export class SavingsAnnotationsService {
  constructor(
    private readonly repository: SavingsAnnotationsRepository,
    private readonly registry: RegistryRepository,
  ) {}

  private async requireSite(site: string): Promise<void> {
    if (!(await this.registry.findSite(site))) throw new DomainError('not-found', `No site ${site}`);
  }

  async adjustments(site: string, utility: Utility | undefined, includeRetired: boolean) {
    await this.requireSite(site);
    return this.repository.adjustments(site, utility, includeRetired);
  }

  async addAdjustment(site: string, adjustment: NewAdjustment, by: string) {
    await this.requireSite(site);
    return this.repository.addAdjustment(site, adjustment, by);
  }

  async retireAdjustment(site: string, id: number, by: string) {
    if (!(await this.repository.retireAdjustment(site, id, by)))
      throw new DomainError('not-found', `No current adjustment ${id} at ${site}`);
    return { id, retired: true };
  }

  async measures(site: string, utility: Utility | undefined, includeRetired: boolean) {
    await this.requireSite(site);
    return this.repository.measures(site, utility, includeRetired);
  }

  async addMeasure(site: string, measure: NewMeasure, by: string) {
    await this.requireSite(site);
    return this.repository.addMeasure(site, measure, by);
  }

  async retireMeasure(site: string, id: number, by: string) {
    if (!(await this.repository.retireMeasure(site, id, by))) throw new DomainError('not-found', `No current measure ${id} at ${site}`);
    return { id, retired: true };
  }

  async target(site: string, utility: Utility) {
    await this.requireSite(site);
    const target = await this.repository.target(site, utility);
    if (!target) throw new DomainError('not-found', `No ${utility} target set at ${site}`);
    return target;
  }

  async setTarget(site: string, utility: Utility, baselineYear: number, annualReductionPct: number, by: string) {
    await this.requireSite(site);
    await this.repository.setTarget(site, utility, baselineYear, annualReductionPct, by);
    return this.repository.target(site, utility);
  }

  async emissionFactors() {
    const overrides = await this.repository.emissionFactorOverrides();
    return {
      unit: 'kgCO2e/kWh' as const,
      factors: { ...GRID_EMISSION_FACTORS, ...overrides },
      overridden: Object.keys(overrides).map(Number),
    };
  }

  async setEmissionFactor(year: number, kgPerKwh: number, source: string, by: string) {
    await this.repository.setEmissionFactor(year, kgPerKwh, source, by);
    return this.emissionFactors();
  }

  async tariffs() {
    return mergeTariffVersions(TAIPOWER_HV_THREE_STAGE, await this.repository.tariffVersions());
  }

  async putTariff(version: TariffVersion, by: string) {
    await this.repository.putTariffVersion(version, by);
    return this.tariffs();
  }
}
