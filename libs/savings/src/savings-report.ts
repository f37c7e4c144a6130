import {
  councilSentence,
  DegreeDayBasis,
  formatChineseNumber,
  formatGroupedNumber,
  DailyObservation,
  describePeriod,
  emissionsKg,
  fixedDigits,
  HourlyObservation,
  HourlySavings,
  hourlySavings,
  Lang,
  MonthlyBill,
  normalisedSavings,
  NormalisedSavings,
  percentChange,
  Period,
  rocYear,
  samePeriodInYear,
  SentenceForm,
  Utility,
} from '@hallwatch/calc';
import type { Adjustment, Measure, Target } from './savings-annotations.repository';
import type { DailyUsage } from './savings-data.repository';
import { EstimatedUsage, estimatedUsage, estimatedUsageNote, MissingSpan, missingNote, missingSpans } from './estimated-usage';
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
  /** Whose use the council sentence names: the site's organisation ('本府各機關學校') or its name. */
  organisation?: string;
  /** The zh-TW headline's form: the council's own (default) or the spaced one. */
  sentenceForm?: SentenceForm;
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
  /** For the hourly model: the model period's and the reporting period's hours, with their local dates. */
  hourly?: { baseline: Array<HourlyObservation & { date: string }>; reporting: Array<HourlyObservation & { date: string }> } | null;
  /** Each day's hourly outdoor temperatures, when the station reports hourly: degree-days from them. */
  hourlyTemperatures?: Map<string, number[]>;
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
  /** The headline: the council sentence, the normalised result, or why there is no number. */
  summary: string;
  /** Which method the headline states; 'none' when it states no number (too little data, an unusable model). */
  summaryMethod: SavingsMethod | 'none';
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
  /** The hourly model's result when the report asked for it (model=hourly): the headline and totals state it. */
  hourlyModel: Omit<HourlySavings, 'hours'> | null;
  adjustments: Adjustment[];
  excludedDays: string[];
  measures: Array<Measure & { estimatedInPeriod: number }>;
  measured: { estimatedTotal: number; measuredSaving: number };
  kpi: Array<{ name: string; unit: string; target: number; actual: number; achievementRatio: number | null }> | null;
  target: (Target & { targetReductionPct: number; targetValue: number }) | null;
  dataQuality: {
    flags: number;
    notes: string[];
    /** Runs of days without any data (missing stays missing: never counted as 0). */
    missing: { period: MissingSpan[]; baseline: MissingSpan[] };
    estimated: { period: EstimatedUsage; baseline: EstimatedUsage };
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
const overlapDays = (a: Period, b: Period) => Math.max(0, daysBetween(a.from > b.from ? a.from : b.from, a.to < b.to ? a.to : b.to));

export function buildSavingsReport(input: SavingsInputs): SavingsReport {
  const { period, utility, lang } = input;
  const exclusions = input.adjustments.filter((a) => a.kind === 'exclude');
  const excluded = (date: string) => exclusions.some((a) => date >= a.startsOn && date < a.endsOn);
  // A weather-normalised report compares with its model's prediction over the reporting days:
  // its baseline is the period the model was fitted on, not the same dates of that year.
  const modelBaseline = input.method === 'normalised' ? input.modelBaseline : null;
  const baseline = modelBaseline ? modelBaseline.period : input.baseline;
  const toReporting = reportingDateOf(period, baseline);
  // A day left out of one period is left out of the other too, so both compare the same days.
  const excludedInBaseline = new Set(modelBaseline ? [] : datesOf(baseline).filter(excluded).map(toReporting));
  const excludedDays = datesOf(period).filter((date) => excluded(date) || excludedInBaseline.has(date));
  const skip = new Set(excludedDays);
  const current = input.current.filter((day) => !skip.has(day.date));
  const previous = modelBaseline ? [] : input.previous.filter((day) => !skip.has(toReporting(day.date)));
  const normalised = modelBaseline ? normalisedFor(input, modelBaseline, current, excluded) : null;
  const hourly =
    normalised && input.hourly
      ? hourlySavings(
          input.hourly.baseline.filter((h) => !excluded(h.date)),
          input.hourly.reporting.filter((h) => !skip.has(h.date)),
        )
      : null;
  const hourDates = new Map((input.hourly?.reporting ?? []).map((h) => [h.start, h.date]));

  const currentTotal = hourly ? hourly.reportingActual : normalised ? normalised.reportingActual : sum(current.map((day) => day.usage));
  const baselineTotal = hourly ? hourly.adjustedBaseline : normalised ? normalised.adjustedBaseline : sum(previous.map((day) => day.usage));
  const amounts = input.adjustments.filter((a) => a.kind === 'amount');
  const adjustmentTotal = sum(
    amounts.map((a) => ((a.amount ?? 0) * overlapDays(period, { from: a.startsOn, to: a.endsOn })) / daysBetween(a.startsOn, a.endsOn)),
  );
  const adjustedBaseline = baselineTotal + adjustmentTotal;

  const months = new Map<string, { current: number; baseline: number }>();
  const month = (date: string) =>
    months.get(date.slice(0, 7)) ?? months.set(date.slice(0, 7), { current: 0, baseline: 0 }).get(date.slice(0, 7))!;
  if (hourly) {
    for (const hour of hourly.hours) {
      month(hourDates.get(hour.start)!).current += hour.actual;
      month(hourDates.get(hour.start)!).baseline += hour.predicted;
    }
  } else if (normalised) {
    for (const day of normalised.days) {
      month(day.date).current += day.actual;
      month(day.date).baseline += day.predicted;
    }
  } else {
    for (const day of current) month(day.date).current += day.usage;
    for (const day of previous) month(toReporting(day.date)).baseline += day.usage;
  }

  const unit = lang === 'zh-TW' ? UNITS[utility].zh : UNITS[utility].en;
  const notes: string[] = [];
  const periodDays = daysBetween(period.from, period.to);
  const baselineDays = daysBetween(baseline.from, baseline.to);
  const baselineWithData = modelBaseline ? modelBaseline.days.length : input.previous.length;
  const say = (zh: string, en: string) => (lang === 'zh-TW' ? zh : en);
  const year = (y: number) => say(`${rocYear(y)}年`, String(y));
  const missing = {
    period: missingSpans(period, input.current),
    baseline: missingSpans(baseline, modelBaseline ? modelBaseline.days : input.previous),
  };
  for (const which of ['period', 'baseline'] as const) {
    const note = missingNote(missing[which], which, lang);
    if (note) notes.push(note);
  }
  const tooLittle = coverageRefusal(
    [
      { which: 'period', period, days: periodDays, withData: input.current.length },
      { which: 'baseline', period: baseline, days: baselineDays, withData: baselineWithData },
    ],
    lang,
  );
  const hourlyUsable = hourly !== null && normalised !== null && hourly.guideline14.pass && normalised.sufficiency.baseline.sufficient;
  const noNumber = hourly ? !hourlyUsable : normalised ? !usable(normalised) : tooLittle !== null;
  const flags = [...input.current, ...input.previous, ...(modelBaseline?.days ?? [])].reduce((all, day) => all | day.flags, 0);
  const estimated = { period: estimatedUsage(current), baseline: estimatedUsage(previous) };
  for (const which of ['period', 'baseline'] as const) {
    const note = estimatedUsageNote(estimated[which], which, unit, lang);
    if (note) notes.push(note);
  }
  if (flags & 2)
    notes.push(
      say(
        '期間內有電表歸零或更換：新表的讀值自零起算。',
        'A meter was reset or replaced during these periods: its new register was counted from zero.',
      ),
    );
  if (flags & 4) notes.push(say('不合理的讀值跳動已視為突波剔除。', 'Implausible register steps were discarded as spikes.'));
  if (excludedDays.length > 0)
    notes.push(
      say(
        `依非例行調整，兩期皆排除${excludedDays.length}天。`,
        `${excludedDays.length} ${excludedDays.length === 1 ? 'day was' : 'days were'} excluded from both periods by non-routine adjustments.`,
      ),
    );

  const emissions = emissionsOf(
    utility,
    current,
    normalised ? normalised.days.map((day) => ({ date: day.date, usage: day.predicted, flags: 0, estimated: 0 })) : previous,
    input.emissionFactors,
  );
  const provisional = emissions.factors.filter((f) => f.provisional);
  const later = provisional.filter((f) => f.year > f.factorYear);
  const earlier = provisional.filter((f) => f.year < f.factorYear);
  if (later.length > 0) {
    notes.push(
      say(
        `${later.map((f) => year(f.year)).join('、')}的電力排碳係數尚未公布：暫以最近公布的${year(later[0].factorYear)}係數代替。`,
        `The grid emission factor of ${later.map((f) => f.year).join(', ')} is not published yet: the latest known factor (${later[0].factorYear}) stands in.`,
      ),
    );
  }
  if (earlier.length > 0) {
    notes.push(
      say(
        `${earlier.map((f) => year(f.year)).join('、')}沒有公布的電力排碳係數：以最早公布的${year(earlier[0].factorYear)}係數代替。`,
        `No grid emission factor is published for ${earlier.map((f) => f.year).join(', ')}: the earliest published one (${earlier[0].factorYear}) stands in.`,
      ),
    );
  }
  const measures = input.measures
    .filter((m) => m.installedOn < period.to)
    .map((m) => ({ ...m, estimatedInPeriod: (m.estimatedPerYear * overlapDays(period, { from: m.installedOn, to: period.to })) / 365 }));

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
  const currentCost = bills ? costOf(bills.current) : null;
  // The weather-adjusted baseline has no meter behind it to bill: it is priced at the period's average price.
  const atAveragePrice = (quantity: number) =>
    currentCost === null || currentTotal <= 0 ? null : Math.round((quantity * currentCost) / currentTotal);
  const cost = bills
    ? {
        current: currentCost,
        baseline: normalised ? atAveragePrice(adjustedBaseline) : costOf(bills.baseline),
        baselineAtCurrentTariff: normalised ? atAveragePrice(adjustedBaseline) : costOf(bills.baselineAtCurrentTariff),
        maxDemandKw: {
          current: bills.current.length ? Math.max(...bills.current.map((b) => b.maxDemandKw)) : null,
          baseline: bills.baseline.length ? Math.max(...bills.baseline.map((b) => b.maxDemandKw)) : null,
        },
        bills: { current: bills.current, baseline: bills.baseline },
        basis: say(
          `台電高壓三段式時間電價（${[...new Set(bills.current.map((b) => b.tariffId))].join('、')}），基本電費依契約容量計，超約10%以內按2倍、超過部分按3倍計收${normalised ? '；氣候調整後基期以本期平均單價計價' : ''}。`,
          `Taipower high-voltage three-stage time-of-use (${[...new Set(bills.current.map((b) => b.tariffId))].join(', ')}), basic fee on the contract capacity, demand above the contract charged at 2× up to 10% and 3× beyond${normalised ? "; the weather-adjusted baseline priced at the period's average price" : ''}.`,
        ),
      }
    : {
        current: simpleCost(currentTotal),
        baseline: simpleCost(adjustedBaseline),
        baselineAtCurrentTariff: simpleCost(adjustedBaseline),
        maxDemandKw: { current: null, baseline: null },
        bills: null,
        basis:
          input.unitPrice === null
            ? say('此項目未設定單價。', 'No unit price is configured for this utility.')
            : say(`每${UNITS[utility].zh}新臺幣${input.unitPrice}元。`, `NT$${input.unitPrice} per ${UNITS[utility].en}.`),
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
      daysWithData: baselineWithData,
    },
    summary: hourly
      ? hourlySentence(hourly, normalised!, { utility, period, baselinePeriod: baseline, lang })
      : normalised
        ? normalisedSentence(normalised, { utility, period, baselinePeriod: baseline, lang })
        : (tooLittle ??
          councilSentence(
            { utility, current: currentTotal, baseline: baselineTotal, referenceYear: input.baselineYear, reference: input.reference },
            lang,
            { form: input.sentenceForm, subject: input.organisation ?? input.site.name, periodLabel: describePeriod(period, lang) },
          )),
    summaryMethod: hourly
      ? hourlyUsable
        ? 'normalised'
        : 'none'
      : normalised
        ? usable(normalised)
          ? 'normalised'
          : 'none'
        : tooLittle
          ? 'none'
          : 'same-period',
    totals: {
      current: currentTotal,
      baseline: baselineTotal,
      difference: currentTotal - baselineTotal,
      percent: noNumber ? null : percentChange(currentTotal, baselineTotal),
      adjustments: adjustmentTotal,
      adjustedBaseline,
      adjustedDifference: currentTotal - adjustedBaseline,
      adjustedPercent: noNumber ? null : percentChange(currentTotal, adjustedBaseline),
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
    hourlyModel: hourly
      ? {
          model: hourly.model,
          guideline14: hourly.guideline14,
          adjustedBaseline: hourly.adjustedBaseline,
          reportingActual: hourly.reportingActual,
          avoided: hourly.avoided,
          savingsFraction: hourly.savingsFraction,
        }
      : null,
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
    dataQuality: { flags, notes, missing, estimated },
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

/**
 * The reporting date a baseline date is compared with. The same dates of another year map by
 * year, so that a leap year's 29 February stays in February and 1 March meets 1 March (moving
 * every day by the period's offset shifted the months after February by a day and made a
 * phantom "2018-01, -100 %" row); a baseline moved to the same weekdays maps by its offset.
 */
export function reportingDateOf(period: Period, baseline: Period): (date: string) => string {
  const baselineYear = Number(baseline.from.slice(0, 4));
  const sameDates = samePeriodInYear(period, baselineYear);
  if (sameDates.from !== baseline.from || sameDates.to !== baseline.to) {
    const offset = daysBetween(baseline.from, period.from);
    return (date) => addDays(date, offset);
  }
  const shift = Number(period.from.slice(0, 4)) - baselineYear;
  return (date) => {
    const year = Number(date.slice(0, 4)) + shift;
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return date.slice(5) === '02-29' && !leap ? `${year}-02-28` : `${year}${date.slice(4)}`;
  };
}

/** A model fit to state a saving: it meets Guideline 14 on a sufficient baseline. */
const usable = (n: NormalisedSavings) => n.guideline14.pass && n.sufficiency.baseline.sufficient;

const METHOD_NAME: Record<DegreeDayBasis, Record<Lang, string>> = {
  'daily-mean': {
    'zh-TW': '氣候正規化（IPMVP選項C，CalTRACK日模型）',
    en: 'Weather-normalised (IPMVP Option C, CalTRACK daily model)',
  },
  hourly: {
    'zh-TW': '氣候正規化（IPMVP選項C，CalTRACK日模型，度日以逐時溫度計算）',
    en: 'Weather-normalised (IPMVP Option C, CalTRACK daily model, degree-days from hourly temperatures)',
  },
};

/**
 * The headline of a weather-normalised report: what the period used against what the baseline
 * model predicts for its weather, or, when the model is not usable, why no number is given.
 */
export function normalisedSentence(
  n: NormalisedSavings,
  context: { utility: Utility; period: Period; baselinePeriod: Period; lang: Lang },
): string {
  const { lang, utility } = context;
  const zh = lang === 'zh-TW';
  const unit = zh ? UNITS[utility].zh : UNITS[utility].en;
  const baselineLabel = describePeriod(context.baselinePeriod, lang);
  const stats = n.model.statistics;
  if (!usable(n)) {
    const why: string[] = [];
    if (!n.sufficiency.baseline.sufficient) why.push(baselineShortfall(n.sufficiency.baseline, lang));
    if (!n.guideline14.pass) {
      why.push(
        zh
          ? `基期模型未通過ASHRAE Guideline 14（CV(RMSE) ${stats.cvRmse.toFixed(1)}%，NMBE ${fixedDigits(stats.nmbe, 2)}%；上限為30%與±10%）`
          : `the baseline model fails ASHRAE Guideline 14 (CV(RMSE) ${stats.cvRmse.toFixed(1)}%, NMBE ${fixedDigits(stats.nmbe, 2)}%; the limits are 30% and ±10%)`,
      );
    }
    return zh
      ? `${METHOD_NAME[n.model.degreeDays][lang]}：模型不適用，${why.join('；')}，故不列節能數字。`
      : `${METHOD_NAME[n.model.degreeDays][lang]}: the model is not usable, ${why.join('; ')}, so no saving is stated.`;
  }
  const avoided = Math.round(n.adjustedBaseline) - Math.round(n.reportingActual);
  const percent = Math.abs(n.savingsFraction * 100).toFixed(2);
  const plusMinus = Number.isFinite(n.uncertainty.fraction) ? `${(n.uncertainty.fraction * 100).toFixed(0)}%` : null;
  const confidence = Math.round(n.uncertainty.confidence * 100);
  if (zh) {
    const change =
      avoided >= 0 ? `減少${formatChineseNumber(avoided, 'council')}${unit}` : `增加${formatChineseNumber(-avoided, 'council')}${unit}`;
    const uncertainty = plusMinus ? `，不確定度為節能量的±${plusMinus}（${confidence}%信賴水準）` : '';
    return `${METHOD_NAME[n.model.degreeDays][lang]}：${describePeriod(context.period, lang)}實際用量${formatChineseNumber(n.reportingActual, 'council')}${unit}，依基期（${baselineLabel}）模型於本期天氣之預估用量${formatChineseNumber(n.adjustedBaseline, 'council')}${unit}，${change}，約${percent}%${uncertainty}。`;
  }
  const change = `${avoided >= 0 ? 'down' : 'up'} ${formatGroupedNumber(Math.abs(avoided))} ${unit}, about ${percent}%`;
  const uncertainty = plusMinus ? ` (± ${plusMinus} of the saving at ${confidence}% confidence)` : '';
  return `${METHOD_NAME[n.model.degreeDays][lang]}: ${describePeriod(context.period, lang)} used ${formatGroupedNumber(n.reportingActual)} ${unit} against ${formatGroupedNumber(n.adjustedBaseline)} ${unit} predicted by the model of the baseline (${baselineLabel}) for this period's weather: ${change}${uncertainty}.`;
}

/** Why a baseline is insufficient: shorter than a year, or more than a tenth of its days missing. */
function baselineShortfall(b: NormalisedSavings['sufficiency']['baseline'], lang: Lang): string {
  const zh = lang === 'zh-TW';
  const parts: string[] = [];
  if (b.expectedDays < 365)
    parts.push(
      zh ? `基期只涵蓋${b.expectedDays}天，模型需要一整年` : `the baseline covers ${b.expectedDays} days where a model needs a whole year`,
    );
  if (b.missingFraction > 0.1)
    parts.push(
      zh
        ? `基期${b.expectedDays}天中只有${b.days}天有用量與溫度資料`
        : `only ${b.days} of the baseline's ${b.expectedDays} days have use and temperature`,
    );
  return parts.join(zh ? '；' : '; ');
}

const HOURLY_NAME: Record<Lang, string> = {
  'zh-TW': '氣候正規化（IPMVP選項C，CalTRACK逐時模型：時段與溫度）',
  en: 'Weather-normalised (IPMVP Option C, CalTRACK hourly model: time of week and temperature)',
};

/** The headline of a report normalised with the hourly model, or why it states no number. */
export function hourlySentence(
  h: HourlySavings,
  daily: NormalisedSavings,
  context: { utility: Utility; period: Period; baselinePeriod: Period; lang: Lang },
): string {
  const { lang, utility } = context;
  const zh = lang === 'zh-TW';
  const unit = zh ? UNITS[utility].zh : UNITS[utility].en;
  const stats = h.model.statistics;
  if (!h.guideline14.pass || !daily.sufficiency.baseline.sufficient) {
    const why: string[] = [];
    if (!daily.sufficiency.baseline.sufficient) why.push(baselineShortfall(daily.sufficiency.baseline, lang));
    if (!h.guideline14.pass)
      why.push(
        zh
          ? `逐時模型未通過ASHRAE Guideline 14（CV(RMSE) ${stats.cvRmse.toFixed(1)}%，NMBE ${fixedDigits(stats.nmbe, 2)}%；上限為30%與±10%）`
          : `the hourly model fails ASHRAE Guideline 14 (CV(RMSE) ${stats.cvRmse.toFixed(1)}%, NMBE ${fixedDigits(stats.nmbe, 2)}%; the limits are 30% and ±10%)`,
      );
    return zh
      ? `${HOURLY_NAME[lang]}：模型不適用，${why.join('；')}，故不列節能數字。`
      : `${HOURLY_NAME[lang]}: the model is not usable, ${why.join('; ')}, so no saving is stated.`;
  }
  const avoided = Math.round(h.adjustedBaseline) - Math.round(h.reportingActual);
  const percent = Math.abs(h.savingsFraction * 100).toFixed(2);
  const baselineLabel = describePeriod(context.baselinePeriod, lang);
  if (zh) {
    const change =
      avoided >= 0 ? `減少${formatChineseNumber(avoided, 'council')}${unit}` : `增加${formatChineseNumber(-avoided, 'council')}${unit}`;
    return `${HOURLY_NAME[lang]}：${describePeriod(context.period, lang)}實際用量${formatChineseNumber(h.reportingActual, 'council')}${unit}，依基期（${baselineLabel}）模型於本期天氣之預估用量${formatChineseNumber(h.adjustedBaseline, 'council')}${unit}，${change}，約${percent}%。`;
  }
  return `${HOURLY_NAME[lang]}: ${describePeriod(context.period, lang)} used ${formatGroupedNumber(h.reportingActual)} ${unit} against ${formatGroupedNumber(h.adjustedBaseline)} ${unit} predicted by the model of the baseline (${baselineLabel}) for this period's weather: ${avoided >= 0 ? 'down' : 'up'} ${formatGroupedNumber(Math.abs(avoided))} ${unit}, about ${percent}%.`;
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
      .map((day) => {
        const hours = input.hourlyTemperatures?.get(day.date);
        return {
          date: day.date,
          usage: day.usage,
          temperatureC: input.temperatures.get(day.date)!,
          ...(hours ? { hourlyTemperaturesC: hours } : {}),
        };
      });
  return normalisedSavings({
    baseline: observations(model.days.filter((day) => !excluded(day.date))),
    baselinePeriod: model.period,
    reporting: observations(current),
    reportingPeriod: input.period,
    confidence: input.confidence,
    lang: input.lang,
  });
}
