import { Injectable } from '@nestjs/common';
import {
  conversion,
  describePeriod,
  InsufficientBaselineError,
  Lang,
  mergeTariffVersions,
  monthlyBills,
  Period,
  samePeriodInYear,
  TAIPOWER_HV_THREE_STAGE,
  tariffOn,
} from '@hallwatch/calc';
import { DomainError } from '@hallwatch/core';
import { RegistryRepository, SiteRow } from '@hallwatch/registry';
import { SavingsAnnotationsRepository } from './savings-annotations.repository';
import { REPORT_UNITS, ReportPoint, SavingsDataRepository, TEMPERATURE_UNIT } from './savings-data.repository';
import { SavingsRequest } from './savings-request';
import { buildPortfolioReport, PortfolioReport } from './portfolio-report';
import { buildSavingsReport, SavingsInputs, SavingsReport } from './savings-report';
import { baselinePeriod, calendarYear, daysBetween, periodRange } from './report-period';

const UTILITY_ZH = { electricity: '用電', water: '用水', fuel: '公務車用油' } as const;
const say = (lang: Lang, zh: string, en: string) => (lang === 'zh-TW' ? zh : en);

/**
 * A same-period baseline given by dates must cover as many days as the period, or the same dates
 * of another year (a leap day more or less): a shorter baseline made a 634 % "increase".
 */
function refuseUnequalPeriods(request: SavingsRequest): void {
  if (request.method !== 'same-period' || !request.baselineFrom || !request.baselineTo) return;
  const period = { from: request.from, to: request.to };
  const baseline = { from: request.baselineFrom, to: request.baselineTo };
  const sameDates = samePeriodInYear(period, Number(baseline.from.slice(0, 4)));
  if (daysBetween(baseline.from, baseline.to) === daysBetween(period.from, period.to)) return;
  if (sameDates.from === baseline.from && sameDates.to === baseline.to) return;
  throw new DomainError(
    'invalid-input',
    say(
      request.lang,
      `基期（${baseline.from} 至 ${baseline.to}，${daysBetween(baseline.from, baseline.to)} 天）與本期（${period.from} 至 ${period.to}，${daysBetween(period.from, period.to)} 天）長度不同，無法同期比較`,
      `the baseline (${baseline.from} to ${baseline.to}, ${daysBetween(baseline.from, baseline.to)} days) and the period (${period.from} to ${period.to}, ${daysBetween(period.from, period.to)} days) differ in length: a same-period comparison needs equal periods`,
    ),
  );
}

/**
 * A point in a unit the report cannot convert (BTU for a kWh report, kWh for a temperature) is
 * refused by name: summing it as if it were the report's unit gives a wrong number without a word.
 */
function refuseUnconvertible(points: ReportPoint[], to: string, lang: Lang): void {
  const bad = points.filter((p) => p.unit.trim() !== '' && conversion(p.unit, to) === null);
  if (bad.length === 0) return;
  const names = bad.map((p) => `${p.asset}/${p.point} (${p.unit})`).join(', ');
  throw new DomainError(
    'invalid-input',
    say(lang, `無法將點 ${names} 的單位換算為 ${to}，報表不採用`, `cannot convert the unit of ${names} to ${to}: the report refuses it`),
  );
}

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
    refuseUnequalPeriods(request);
    const meters = await this.data.meterPoints(request.site, request.utility);
    if (meters.length === 0) {
      throw new DomainError(
        'invalid-input',
        say(
          request.lang,
          `場址 ${site.key} 沒有${UTILITY_ZH[request.utility]}的主表，無法計算節能成效`,
          `site ${site.key} has no main ${request.utility} meter to report on`,
        ),
      );
    }
    refuseUnconvertible(meters, REPORT_UNITS[request.utility], request.lang);
    if (request.method === 'normalised') {
      const weather = await this.data.outdoorTemperaturePoints(request.site);
      if (weather.length === 0) {
        throw new DomainError(
          'invalid-input',
          say(
            request.lang,
            `場址 ${site.key} 沒有外氣溫度點（標籤 outside 與 temp），無法建立氣候正規化模型；請改用同期比較 (method=same-period)`,
            `method=normalised needs an outdoor temperature point at site ${site.key} (tagged outside and temp); ask for method=same-period instead`,
          ),
        );
      }
      refuseUnconvertible(weather, TEMPERATURE_UNIT, request.lang);
    }
    return { site, target, baselineYear };
  }

  async report(request: SavingsRequest, onProgress: (percent: number) => Promise<void> = async () => {}): Promise<SavingsReport> {
    const { site, target, baselineYear } = await this.resolve(request);
    const period: Period = { from: request.from, to: request.to };
    const modelPeriod: Period | null =
      request.method === 'normalised'
        ? request.baselineFrom && request.baselineTo
          ? { from: request.baselineFrom, to: request.baselineTo }
          : calendarYear(baselineYear)
        : null;
    // A normalised report compares with its model's prediction: its baseline is the model's period.
    const comparedWith: Period =
      modelPeriod ??
      (request.baselineFrom && request.baselineTo
        ? { from: request.baselineFrom, to: request.baselineTo }
        : baselinePeriod(period, baselineYear, request.alignment));
    // Periods are dates on the site's calendar: from its midnight of `from` to its midnight of `to`.
    const range = (p: Period) => periodRange(p, site.timezone);

    const [current, previous] = await Promise.all([
      this.data.dailyUsage(request.site, request.utility, ...range(period)),
      modelPeriod ? Promise.resolve([]) : this.data.dailyUsage(request.site, request.utility, ...range(comparedWith)),
    ]);
    await onProgress(30);
    let modelBaseline: { period: Period; days: typeof current } | null = null;
    let temperatures = new Map<string, number>();
    const hourlyTemperatures = new Map<string, number[]>();
    let hourly: SavingsInputs['hourly'] = null;
    if (modelPeriod) {
      // model=daily-mean is CalTRACK daily as published: the hours are not read, degree-days come from daily means.
      const hoursOf = (p: Period) =>
        request.model === 'daily-mean' ? Promise.resolve([]) : this.data.hourlyOutdoorTemperature(request.site, ...range(p));
      const [days, modelTemps, periodTemps, modelHours, periodHours] = await Promise.all([
        this.data.dailyUsage(request.site, request.utility, ...range(modelPeriod)),
        this.data.dailyOutdoorTemperature(request.site, ...range(modelPeriod)),
        this.data.dailyOutdoorTemperature(request.site, ...range(period)),
        hoursOf(modelPeriod),
        hoursOf(period),
      ]);
      modelBaseline = { period: modelPeriod, days };
      temperatures = new Map([...modelTemps, ...periodTemps]);
      // Each day's hours, for degree-days from hourly temperatures (degree-hours / 24).
      for (const hour of [...modelHours, ...periodHours]) {
        hourlyTemperatures.set(hour.date, [...(hourlyTemperatures.get(hour.date) ?? []), hour.temperatureC]);
      }
      if (request.model === 'hourly') {
        // The hourly model: each hour's use beside its temperature, hours without either left out.
        const [modelUse, periodUse] = await Promise.all([
          this.data.hourlyUsage(request.site, request.utility, ...range(modelPeriod)),
          this.data.hourlyUsage(request.site, request.utility, ...range(period)),
        ]);
        const pair = (use: typeof modelUse, temps: typeof modelHours) => {
          const byStart = new Map(temps.map((t) => [t.start.getTime(), t]));
          return use.flatMap((h) => {
            const t = byStart.get(h.start.getTime());
            return t
              ? [{ start: h.start.getTime(), date: t.date, hourOfWeek: h.hourOfWeek, usage: h.usage, temperatureC: t.temperatureC }]
              : [];
          });
        };
        hourly = { baseline: pair(modelUse, modelHours), reporting: pair(periodUse, periodHours) };
        if (hourly.baseline.length < 24 * 14) {
          throw new DomainError(
            'invalid-input',
            say(
              request.lang,
              `model=hourly：模型基期只有 ${hourly.baseline.length} 小時同時有用量與外氣溫度，逐時模型至少需要兩週`,
              `model=hourly: the model's baseline has ${hourly.baseline.length} hours with both use and outdoor temperature; the hourly model needs at least two weeks`,
            ),
          );
        }
      }
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
    const report = this.build(request.lang, {
      site: { key: site.key, name: site.name },
      organisation: typeof site.attributes.organisation === 'string' ? site.attributes.organisation : undefined,
      sentenceForm: request.sentence,
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
      hourlyTemperatures,
      hourly,
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

  /**
   * Several sites' reports summed (#17 item 12): each site's report as asked, then the whole with
   * the council sentence for it. `name` is the portfolio's subject (本府各機關學校), else the sites'
   * common organisation, else their names.
   */
  async portfolio(sites: string[], name: string | undefined, request: Omit<SavingsRequest, 'site'>): Promise<PortfolioReport> {
    const reports: SavingsReport[] = [];
    for (const site of sites) reports.push(await this.report({ ...request, site }));
    const organisations = new Set(
      await Promise.all(
        sites.map(async (key) => {
          const attributes = (await this.registry.findSite(key))?.attributes ?? {};
          return typeof attributes.organisation === 'string' ? attributes.organisation : null;
        }),
      ),
    );
    const common = organisations.size === 1 ? [...organisations][0] : null;
    return buildPortfolioReport(name ?? common ?? reports.map((r) => r.site.name).join('、'), reports, request.sentence);
  }

  /** A normalised report over a baseline without data is the caller's choice to change (a 400), not a fault. */
  private build(lang: Lang, inputs: Parameters<typeof buildSavingsReport>[0]): SavingsReport {
    try {
      return buildSavingsReport(inputs);
    } catch (error) {
      if (!(error instanceof InsufficientBaselineError)) throw error;
      const model = inputs.modelBaseline!.period;
      throw new DomainError(
        'invalid-input',
        say(
          lang,
          `基期模型期間（${describePeriod(model, 'zh-TW')}）只有 ${error.days} 天同時有用量與外氣溫度資料，無法建立日模型（約需一年）；請改用同期比較 (method=same-period)，或選擇有讀值與外氣溫度的基期`,
          `method=normalised: the model's baseline (${describePeriod(model, 'en')}) has ${error.days} days with both use and outdoor temperature; a daily model needs about a year. Ask for method=same-period, or a baseline with readings and outdoor temperatures`,
        ),
      );
    }
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
