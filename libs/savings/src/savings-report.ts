import {
  councilSentence,
  DailyObservation,
  describePeriod,
  emissionsKg,
  Lang,
  MonthlyBill,
  normalisedSavings,
  NormalisedSavings,
  percentChange,
  Period,
  rocYear,
  Utility,
} from '@hallwatch/calc';
import type { Adjustment, Measure, Target } from './savings-annotations.repository';
import type { DailyUsage } from './savings-data.repository';
import { EstimatedUsage, estimatedUsage, estimatedUsageNote } from './estimated-usage';
import { Alignment, addDays, datesOf, daysBetween } from './report-period';

export type SavingsMethod = 'same-period' | 'normalised';

export const UNITS: Record<Utility, { en: string; zh: string }> = {
  electricity: { en: 'kWh', zh: '度' },
  water: { en: 'm³', zh: '度' },
  fuel: { en: 'L', zh: '公升' },
};

/** Everything gathered for one report; `buildSavingsReport` turns it into numbers and words. */
export interface SavingsInputs {
  site: { key: string; name: string };
  utility: Utility;
  method: SavingsMethod;
  lang: Lang;
  alignment: Alignment;
  period: Period;
  baseline: Period;
  /** Gregorian year the baseline is named after in the wording: the baseline year, or last year. */
  baselineYear: number;
  reference: 'baseline-year' | 'previous-year';
  current: DailyUsage[];
  previous: DailyUsage[];
  temperatures: Map<string, number>;
  /** For the normalised method: the days the weather model is fitted on (a whole baseline year unless given). */
  modelBaseline: { period: Period; days: DailyUsage[] } | null;
  adjustments: Adjustment[];
  measures: Measure[];
  target: Target | null;
  bills: { current: MonthlyBill[]; baseline: MonthlyBill[]; baselineAtCurrentTariff: MonthlyBill[] } | null;
  unitPrice: number | null;
  emissionFactors: Record<number, number>;
  confidence: number;
  generatedAt: string;
}

export interface MonthRow {
  month: string;
  current: number;
  baseline: number;
  difference: number;
  percent: number | null;
}

export interface SavingsReport {
  site: { key: string; name: string };
  utility: Utility;
  unit: string;
  method: SavingsMethod;
  lang: Lang;
  alignment: Alignment;
  generatedAt: string;
  period: Period & { label: string; days: number; daysWithData: number };
  baseline: Period & {
    label: string;
    year: number;
    rocYear: number;
    reference: 'baseline-year' | 'previous-year';
    days: number;
    daysWithData: number;
  };
  summary: string;
  totals: {
    current: number;
    baseline: number;
    difference: number;
    percent: number | null;
    adjustments: number;
    adjustedBaseline: number;
    adjustedDifference: number;
    adjustedPercent: number | null;
  };
  months: MonthRow[];
  cost: {
    currency: 'NT$';
    current: number | null;
    baseline: number | null;
    /** The baseline's use priced at the reporting period's tariff: the money the saving is worth today. */
    baselineAtCurrentTariff: number | null;
    saving: number | null;
    maxDemandKw: { current: number | null; baseline: number | null };
    bills: { current: MonthlyBill[]; baseline: MonthlyBill[] } | null;
    basis: string;
  };
  emissions: {
    currentKg: number;
    baselineKg: number;
    differenceKg: number;
    factors: { year: number; factor: number; factorYear: number; provisional: boolean }[];
  };
  normalised: (Omit<NormalisedSavings, 'days'> & { days: NormalisedSavings['days'] }) | null;
  adjustments: Adjustment[];
  excludedDays: string[];
  measures: Array<Measure & { estimatedInPeriod: number }>;
  measured: { estimatedTotal: number; measuredSaving: number };
  kpi: Array<{ name: string; unit: string; target: number; actual: number; achievementRatio: number | null }> | null;
  target: (Target & { targetReductionPct: number; targetValue: number }) | null;
  dataQuality: { flags: number; notes: string[]; estimated: { period: EstimatedUsage; baseline: EstimatedUsage } };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const overlapDays = (a: Period, b: Period) => Math.max(0, daysBetween(a.from > b.from ? a.from : b.from, a.to < b.to ? a.to : b.to));

export function buildSavingsReport(input: SavingsInputs): SavingsReport {
  const { period, baseline, utility, lang } = input;
  const offset = daysBetween(baseline.from, period.from);
  const exclusions = input.adjustments.filter((a) => a.kind === 'exclude');
  const excluded = (date: string) => exclusions.some((a) => date >= a.startsOn && date < a.endsOn);
  // A day left out of one period is left out of the other too, so both compare the same days.
  const excludedDays = datesOf(period).filter((date) => excluded(date) || excluded(addDays(date, -offset)));
  const skip = new Set(excludedDays);
  const current = input.current.filter((day) => !skip.has(day.date));
  const previous = input.previous.filter((day) => !skip.has(addDays(day.date, offset)));

  const currentTotal = sum(current.map((day) => day.usage));
  const baselineTotal = sum(previous.map((day) => day.usage));
  const amounts = input.adjustments.filter((a) => a.kind === 'amount');
  const adjustmentTotal = sum(
    amounts.map((a) => ((a.amount ?? 0) * overlapDays(period, { from: a.startsOn, to: a.endsOn })) / daysBetween(a.startsOn, a.endsOn)),
  );
  const adjustedBaseline = baselineTotal + adjustmentTotal;

  const months = new Map<string, { current: number; baseline: number }>();
  const month = (date: string) =>
    months.get(date.slice(0, 7)) ?? months.set(date.slice(0, 7), { current: 0, baseline: 0 }).get(date.slice(0, 7))!;
  for (const day of current) month(day.date).current += day.usage;
  for (const day of previous) month(addDays(day.date, offset)).baseline += day.usage;

  const unit = lang === 'zh-TW' ? UNITS[utility].zh : UNITS[utility].en;
  const notes: string[] = [];
  const periodDays = daysBetween(period.from, period.to);
  const baselineDays = daysBetween(baseline.from, baseline.to);
  if (input.current.length < periodDays)
    notes.push(`${periodDays - input.current.length} of ${periodDays} days of the period have no data.`);
  if (input.previous.length < baselineDays)
    notes.push(`${baselineDays - input.previous.length} of ${baselineDays} days of the baseline have no data.`);
  const tooLittle = coverageRefusal(
    [
      { which: 'period', period, days: periodDays, withData: input.current.length },
      { which: 'baseline', period: baseline, days: baselineDays, withData: input.previous.length },
    ],
    lang,
  );
  const flags = [...input.current, ...input.previous].reduce((all, day) => all | day.flags, 0);
  const estimated = { period: estimatedUsage(current), baseline: estimatedUsage(previous) };
  for (const which of ['period', 'baseline'] as const) {
    const note = estimatedUsageNote(estimated[which], which, unit, lang);
    if (note) notes.push(note);
  }
  if (flags & 2) notes.push('A meter was reset or replaced during these periods: its new register was counted from zero.');
  if (flags & 4) notes.push('Implausible register steps were discarded as spikes.');
  if (excludedDays.length > 0) notes.push(`${excludedDays.length} days were excluded from both periods by non-routine adjustments.`);

  const emissions = emissionsOf(utility, current, previous, input.emissionFactors);
  if (emissions.factors.some((f) => f.provisional)) {
    notes.push(
      `The grid emission factor of ${emissions.factors
        .filter((f) => f.provisional)
        .map((f) => f.year)
        .join(', ')} is not published yet: the latest known factor stands in.`,
    );
  }

  const measures = input.measures
    .filter((m) => m.installedOn < period.to)
    .map((m) => ({ ...m, estimatedInPeriod: (m.estimatedPerYear * overlapDays(period, { from: m.installedOn, to: period.to })) / 365 }));

  const normalised =
    input.method === 'normalised' && input.modelBaseline ? normalisedFor(input, input.modelBaseline, current, excluded) : null;

  const targetYears = input.target ? Number(period.from.slice(0, 4)) - input.target.baselineYear : 0;
  const target = input.target
    ? {
        ...input.target,
        targetReductionPct: input.target.annualReductionPct * targetYears,
        targetValue: adjustedBaseline * (1 - (input.target.annualReductionPct * targetYears) / 100),
      }
    : null;
  const actualReductionPct = adjustedBaseline > 0 ? ((adjustedBaseline - currentTotal) / adjustedBaseline) * 100 : 0;

  const bills = input.bills;
  const costOf = (list: MonthlyBill[] | undefined) => (list && list.length > 0 ? sum(list.map((bill) => bill.total)) : null);
  const simpleCost = (quantity: number) => (input.unitPrice === null ? null : Math.round(quantity * input.unitPrice));
  const cost = bills
    ? {
        current: costOf(bills.current),
        baseline: costOf(bills.baseline),
        baselineAtCurrentTariff: costOf(bills.baselineAtCurrentTariff),
        maxDemandKw: {
          current: bills.current.length ? Math.max(...bills.current.map((b) => b.maxDemandKw)) : null,
          baseline: bills.baseline.length ? Math.max(...bills.baseline.map((b) => b.maxDemandKw)) : null,
        },
        bills: { current: bills.current, baseline: bills.baseline },
        basis: `Taipower high-voltage three-stage time-of-use (${[...new Set(bills.current.map((b) => b.tariffId))].join(', ')}), basic fee on the contract capacity, demand above the contract charged at 2× up to 10% and 3× beyond.`,
      }
    : {
        current: simpleCost(currentTotal),
        baseline: simpleCost(adjustedBaseline),
        baselineAtCurrentTariff: simpleCost(adjustedBaseline),
        maxDemandKw: { current: null, baseline: null },
        bills: null,
        basis:
          input.unitPrice === null ? 'No unit price is configured for this utility.' : `NT$${input.unitPrice} per ${UNITS[utility].en}.`,
      };

  return {
    site: input.site,
    utility,
    unit,
    method: input.method,
    lang,
    alignment: input.alignment,
    generatedAt: input.generatedAt,
    period: { ...period, label: describePeriod(period, lang), days: periodDays, daysWithData: input.current.length },
    baseline: {
      ...baseline,
      label: describePeriod(baseline, lang),
      year: input.baselineYear,
      rocYear: rocYear(input.baselineYear),
      reference: input.reference,
      days: baselineDays,
      daysWithData: input.previous.length,
    },
    summary:
      tooLittle ??
      councilSentence(
        { utility, current: currentTotal, baseline: baselineTotal, referenceYear: input.baselineYear, reference: input.reference },
        lang,
      ),
    totals: {
      current: currentTotal,
      baseline: baselineTotal,
      difference: currentTotal - baselineTotal,
      percent: tooLittle ? null : percentChange(currentTotal, baselineTotal),
      adjustments: adjustmentTotal,
      adjustedBaseline,
      adjustedDifference: currentTotal - adjustedBaseline,
      adjustedPercent: tooLittle ? null : percentChange(currentTotal, adjustedBaseline),
    },
    months: [...months.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([key, m]) => ({
        month: key,
        current: m.current,
        baseline: m.baseline,
        difference: m.current - m.baseline,
        percent: percentChange(m.current, m.baseline),
      })),
    cost: {
      currency: 'NT$',
      ...cost,
      saving: cost.baselineAtCurrentTariff !== null && cost.current !== null ? cost.baselineAtCurrentTariff - cost.current : null,
    },
    emissions,
    normalised,
    adjustments: input.adjustments,
    excludedDays,
    measures,
    measured: { estimatedTotal: sum(measures.map((m) => m.estimatedInPeriod)), measuredSaving: adjustedBaseline - currentTotal },
    kpi: target
      ? [
          {
            name: lang === 'zh-TW' ? '較基期年節約率' : 'Reduction against the baseline year',
            unit: '%',
            target: target.targetReductionPct,
            actual: actualReductionPct,
            achievementRatio: target.targetReductionPct > 0 ? actualReductionPct / target.targetReductionPct : null,
          },
          {
            name: lang === 'zh-TW' ? `用量 (${unit})` : `Use (${unit})`,
            unit,
            target: target.targetValue,
            actual: currentTotal,
            // lower use is better: achieving the target means actual at or below it
            achievementRatio: currentTotal > 0 ? target.targetValue / currentTotal : null,
          },
        ]
      : null,
    target,
    dataQuality: { flags, notes, estimated },
  };
}

/** CalTRACK's sufficiency: at most 10% of a period's days may lack data before a comparison means nothing. */
const MIN_COVERAGE = 0.9;

/**
 * The headline instead of a number when either period has too few days with data: a baseline with
 * 44 of 184 days used to read as "up 713.90 %".
 */
export function coverageRefusal(
  periods: Array<{ which: 'period' | 'baseline'; period: Period; days: number; withData: number }>,
  lang: Lang,
): string | null {
  const short = periods.filter((p) => p.days > 0 && p.withData / p.days < MIN_COVERAGE);
  if (short.length === 0) return null;
  if (lang === 'zh-TW') {
    const parts = short.map(
      (p) =>
        `${p.which === 'period' ? '本期' : '基期'}（${describePeriod(p.period, lang)}）${p.days}天中${p.withData === 0 ? '沒有一天' : `只有${p.withData}天`}有用量資料`,
    );
    return `${parts.join('，')}，資料不足（缺漏超過一成），不計算增減。`;
  }
  const parts = short.map(
    (p) =>
      `${p.withData === 0 ? 'none' : `only ${p.withData}`} of the ${p.days} days of the ${p.which === 'period' ? 'period' : 'baseline'} (${describePeriod(p.period, lang)}) have data`,
  );
  const text = parts.join(' and ');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}: with more than a tenth missing, no change is stated.`;
}

function emissionsOf(
  utility: Utility,
  current: DailyUsage[],
  previous: DailyUsage[],
  table: Record<number, number>,
): SavingsReport['emissions'] {
  const factors = new Map<number, SavingsReport['emissions']['factors'][number]>();
  const kgOf = (days: DailyUsage[]) =>
    sum(
      days.map((day) => {
        const year = Number(day.date.slice(0, 4));
        const result = emissionsKg(utility, day.usage, year, table);
        factors.set(year, { year, factor: result.factor, factorYear: result.factorYear, provisional: result.provisional });
        return result.kg;
      }),
    );
  const currentKg = kgOf(current);
  const baselineKg = kgOf(previous);
  return { currentKg, baselineKg, differenceKg: currentKg - baselineKg, factors: [...factors.values()].sort((a, b) => a.year - b.year) };
}

function normalisedFor(
  input: SavingsInputs,
  model: { period: Period; days: DailyUsage[] },
  current: DailyUsage[],
  excluded: (date: string) => boolean,
): NormalisedSavings {
  const observations = (days: DailyUsage[]): DailyObservation[] =>
    days
      .filter((day) => input.temperatures.has(day.date))
      .map((day) => ({ date: day.date, usage: day.usage, temperatureC: input.temperatures.get(day.date)! }));
  return normalisedSavings({
    baseline: observations(model.days.filter((day) => !excluded(day.date))),
    baselinePeriod: model.period,
    reporting: observations(current),
    reportingPeriod: input.period,
    confidence: input.confidence,
  });
}
