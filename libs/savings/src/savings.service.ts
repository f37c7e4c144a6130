import { Injectable } from '@nestjs/common';
import { mergeTariffVersions, monthlyBills, Period, TAIPOWER_HV_THREE_STAGE, tariffOn } from '@hallwatch/calc';
import { DomainError } from '@hallwatch/core';
import { RegistryRepository, SiteRow } from '@hallwatch/registry';
import { SavingsAnnotationsRepository } from './savings-annotations.repository';
import { SavingsDataRepository } from './savings-data.repository';
import { SavingsRequest } from './savings-request';
import { buildSavingsReport, SavingsReport } from './savings-report';
import { baselinePeriod, calendarYear, periodRange } from './report-period';

const UNIT_PRICE_ATTRIBUTE = { water: 'waterPricePerM3', fuel: 'fuelPricePerLitre' } as const;

/** Gathers a report's numbers from the rollups and the officers' annotations, then builds it. */
@Injectable()
export class SavingsService {
  constructor(
    private readonly data: SavingsDataRepository,
    private readonly annotations: SavingsAnnotationsRepository,
    private readonly registry: RegistryRepository,
  ) {}

  /** Fails with a domain error when the request names no known site or no baseline. */
  async validate(request: SavingsRequest): Promise<void> {
    await this.resolve(request);
  }

  private async resolve(request: SavingsRequest) {
    const site = await this.registry.findSite(request.site);
    if (!site) throw new DomainError('not-found', `No site ${request.site}`);
    const target = await this.annotations.target(request.site, request.utility);
    const baselineYear = request.baselineYear ?? (request.baselineFrom ? Number(request.baselineFrom.slice(0, 4)) : target?.baselineYear);
    if (baselineYear === undefined) {
      throw new DomainError(
        'invalid-input',
        'Say which baseline: baselineYear, or baselineFrom and baselineTo (or set a savings target with a baseline year)',
      );
    }
    return { site, target, baselineYear };
  }

  async report(request: SavingsRequest, onProgress: (percent: number) => Promise<void> = async () => {}): Promise<SavingsReport> {
    const { site, target, baselineYear } = await this.resolve(request);
    const period: Period = { from: request.from, to: request.to };
    const comparedWith: Period =
      request.baselineFrom && request.baselineTo && request.method === 'same-period'
        ? { from: request.baselineFrom, to: request.baselineTo }
        : baselinePeriod(period, baselineYear, request.alignment);
    const modelPeriod: Period | null =
      request.method === 'normalised'
        ? request.baselineFrom && request.baselineTo
          ? { from: request.baselineFrom, to: request.baselineTo }
          : calendarYear(baselineYear)
        : null;
    // Periods are dates on the site's calendar: from its midnight of `from` to its midnight of `to`.
    const range = (p: Period) => periodRange(p, site.timezone);

    const [current, previous] = await Promise.all([
      this.data.dailyUsage(request.site, request.utility, ...range(period)),
      this.data.dailyUsage(request.site, request.utility, ...range(comparedWith)),
    ]);
    await onProgress(30);
    let modelBaseline: { period: Period; days: typeof current } | null = null;
    let temperatures = new Map<string, number>();
    if (modelPeriod) {
      const [days, modelTemps, periodTemps] = await Promise.all([
        this.data.dailyUsage(request.site, request.utility, ...range(modelPeriod)),
        this.data.dailyOutdoorTemperature(request.site, ...range(modelPeriod)),
        this.data.dailyOutdoorTemperature(request.site, ...range(period)),
      ]);
      modelBaseline = { period: modelPeriod, days };
      temperatures = new Map([...modelTemps, ...periodTemps]);
    }
    await onProgress(50);
    const bills = request.utility === 'electricity' ? await this.bills(site, period, comparedWith) : null;
    await onProgress(70);
    const priceAttribute = request.utility === 'electricity' ? null : site.attributes[UNIT_PRICE_ATTRIBUTE[request.utility]];
    const [adjustments, measures, emissionFactors] = await Promise.all([
      this.annotations.adjustments(request.site, request.utility),
      this.annotations.measures(request.site, request.utility),
      this.annotations.emissionFactorOverrides(),
    ]);
    const report = buildSavingsReport({
      site: { key: site.key, name: site.name },
      utility: request.utility,
      method: request.method,
      lang: request.lang,
      alignment: request.alignment,
      period,
      baseline: comparedWith,
      baselineYear,
      reference: request.reference ?? (baselineYear === Number(period.from.slice(0, 4)) - 1 && !target ? 'previous-year' : 'baseline-year'),
      current,
      previous,
      temperatures,
      modelBaseline,
      adjustments,
      measures,
      target,
      bills,
      unitPrice: typeof priceAttribute === 'number' ? priceAttribute : null,
      emissionFactors,
      confidence: request.confidence,
      generatedAt: new Date().toISOString(),
    });
    await onProgress(80);
    return report;
  }

  /** Monthly bills on the site's calendar: its months, and its wall clock for the time-of-use periods. */
  private async bills(site: SiteRow, period: Period, baselinePeriod: Period) {
    const contract = Number(site.attributes.contractCapacityKw);
    if (!Number.isFinite(contract) || contract <= 0) return null;
    const zone = site.timezone;
    const versions = mergeTariffVersions(TAIPOWER_HV_THREE_STAGE, await this.annotations.tariffVersions());
    const priced = async (p: Period) => {
      const [from, to] = periodRange(p, zone);
      const [hours, demand] = await Promise.all([
        this.data.hourlyElectricity(site.key, from, to),
        this.data.monthlyMaxDemand(site.key, from, to),
      ]);
      return { hours, demand, bills: monthlyBills(hours, demand, contract, { zone, versions }) };
    };
    const current = await priced(period);
    const baseline = await priced(baselinePeriod);
    // The baseline's own hours and demand, billed at the tariff of the reporting period.
    const currentTariff = tariffOn(period.from, versions);
    const baselineAtCurrentTariff = monthlyBills(baseline.hours, baseline.demand, contract, {
      zone,
      versions: [{ ...currentTariff, effectiveFrom: '1900-01-01' }],
    });
    return { current: current.bills, baseline: baseline.bills, baselineAtCurrentTariff };
  }
}
