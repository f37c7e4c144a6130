import { checkSufficiency, DailyModel, DailyObservation, DataSufficiency, DegreeDayBasis, fitDailyModel, predictDay } from './caltrack';
import { fixedDigits } from './fixed-digits';
import { fractionalSavingsUncertainty, GUIDELINE14_LIMITS, meetsGuideline14 } from './guideline14';
import type { Lang } from './council-sentence';
import { Period } from './roc-date';

export interface NormalisedSavingsInput {
  baseline: DailyObservation[];
  baselinePeriod: Period;
  reporting: DailyObservation[];
  reportingPeriod: Period;
  /** Two-sided confidence level of the stated uncertainty; 68% by default, as Guideline 14 asks. */
  confidence?: number;
  /** The verdict's language; English by default. */
  lang?: Lang;
  /** Degree-days from hourly temperatures when every day has them (default), or from daily means. */
  degreeDays?: DegreeDayBasis;
}

const hasHours = (day: DailyObservation) => (day.hourlyTemperaturesC?.length ?? 0) >= 20;

export interface NormalisedSavings {
  model: DailyModel;
  sufficiency: { baseline: DataSufficiency; reporting: DataSufficiency };
  guideline14: { pass: boolean; reasons: string[] };
  /** Σ of the baseline model over the reporting days' weather: what the building would have used. */
  adjustedBaseline: number;
  reportingActual: number;
  avoided: number;
  savingsFraction: number;
  uncertainty: { fraction: number; absolute: number; confidence: number; acceptable: boolean };
  days: { date: string; actual: number; predicted: number; temperatureC: number }[];
  /** The baseline days the model was fitted on, with its fit: the model against the weather. */
  baselineDays: { date: string; actual: number; predicted: number; temperatureC: number }[];
  /** Plain sentences: why the result can or cannot be relied on. */
  verdict: string[];
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
/** Reporting weather this far outside the baseline's range is an extrapolation of the model. */
const MAX_OUT_OF_RANGE = 0.1;

/** Too few baseline days with use and temperature to fit a daily model: the request's period, not a fault. */
export class InsufficientBaselineError extends Error {
  constructor(readonly days: number) {
    super(`the baseline has ${days} days with use and temperature; a daily model needs far more (a year)`);
  }
}

/** IPMVP Option C avoided energy with a CalTRACK daily model and Guideline 14 uncertainty. */
export function normalisedSavings(input: NormalisedSavingsInput): NormalisedSavings {
  const confidence = input.confidence ?? 0.68;
  const sufficiency = {
    baseline: checkSufficiency(input.baseline, input.baselinePeriod),
    reporting: checkSufficiency(input.reporting, input.reportingPeriod),
  };
  const baselineLength = Math.round((Date.parse(input.baselinePeriod.to) - Date.parse(input.baselinePeriod.from)) / 86_400_000);
  if (baselineLength < 365) {
    sufficiency.baseline.sufficient = false;
    sufficiency.baseline.reasons.push(`the baseline covers ${baselineLength} days; a daily model needs a whole year (365 days) of weather`);
  }
  if (input.baseline.length < 30) {
    throw new InsufficientBaselineError(input.baseline.length);
  }
  // Hourly degree-days when the baseline and the reporting days all have their hours.
  const degreeDays: DegreeDayBasis =
    input.degreeDays ?? (input.baseline.every(hasHours) && input.reporting.every(hasHours) ? 'hourly' : 'daily-mean');
  const model = fitDailyModel(input.baseline, { degreeDays });
  const guideline14 = meetsGuideline14(model.statistics, 'daily');
  const days = [...input.reporting]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({
      date: day.date,
      actual: day.usage,
      predicted: predictDay(model, day),
      temperatureC: day.temperatureC,
    }));
  const baselineDays = [...input.baseline]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({
      date: day.date,
      actual: day.usage,
      predicted: predictDay(model, day),
      temperatureC: day.temperatureC,
    }));
  const adjustedBaseline = sum(days.map((d) => d.predicted));
  const reportingActual = sum(days.map((d) => d.actual));
  const avoided = adjustedBaseline - reportingActual;
  const savingsFraction = adjustedBaseline > 0 ? avoided / adjustedBaseline : 0;
  const fraction = fractionalSavingsUncertainty({
    cvRmse: model.statistics.cvRmse,
    n: model.statistics.n,
    p: model.statistics.p,
    autocorrelation: model.statistics.autocorrelation,
    reportingPoints: Math.max(1, days.length),
    savingsFraction,
    confidence,
  });
  const uncertainty = {
    fraction,
    absolute: Number.isFinite(fraction) ? fraction * Math.abs(avoided) : Infinity,
    confidence,
    acceptable: fraction < 0.5,
  };

  const verdict = verdictOf(
    { model, sufficiency, guideline14, days, savingsFraction, fraction, acceptable: uncertainty.acceptable, confidence },
    input.lang ?? 'en',
  );
  return {
    model,
    sufficiency,
    guideline14,
    adjustedBaseline,
    reportingActual,
    avoided,
    savingsFraction,
    uncertainty,
    days,
    baselineDays,
    verdict,
  };
}

const MODEL_KIND_ZH: Record<DailyModel['kind'], string> = {
  'intercept-only': '定值模型',
  'cooling-only': '冷房度日模型',
  'heating-only': '暖房度日模型',
  'heating-cooling': '冷暖房度日模型',
};

/** A model kind in the report's language. */
export function modelKindName(kind: DailyModel['kind'], lang: Lang): string {
  return lang === 'zh-TW' ? MODEL_KIND_ZH[kind] : kind;
}

/** Plain sentences, in the report's language: why the result can or cannot be relied on. */
function verdictOf(
  r: {
    model: DailyModel;
    sufficiency: NormalisedSavings['sufficiency'];
    guideline14: { pass: boolean };
    days: NormalisedSavings['days'];
    savingsFraction: number;
    fraction: number;
    acceptable: boolean;
    confidence: number;
  },
  lang: Lang,
): string[] {
  const zh = lang === 'zh-TW';
  const stats = r.model.statistics;
  const limits = GUIDELINE14_LIMITS.daily;
  const verdict: string[] = [];
  const range = r.sufficiency.baseline.temperatureRangeC;
  const outside = range ? r.days.filter((d) => d.temperatureC < range[0] - 0.5 || d.temperatureC > range[1] + 0.5).length : 0;
  const missing = (s: DataSufficiency) => `${s.expectedDays - s.days}`;
  for (const which of ['baseline', 'reporting'] as const) {
    const s = r.sufficiency[which];
    if (s.sufficient) continue;
    const short = s.expectedDays < 365 && which === 'baseline';
    if (zh) {
      const name = which === 'baseline' ? '基期' : '本期';
      const parts = [
        ...(s.missingFraction > 0.1
          ? [`${s.expectedDays}天中有${missing(s)}天（${(s.missingFraction * 100).toFixed(1)}%）缺少用量或溫度資料，最多只能缺一成`]
          : []),
        ...(short ? [`只涵蓋${s.expectedDays}天，日模型需要完整一年（365天）的天氣`] : []),
      ];
      verdict.push(`${name}資料不足：${parts.join('；')}。`);
    } else {
      const name = which === 'baseline' ? 'The baseline data are' : "The reporting period's data are";
      const parts = [
        ...(s.missingFraction > 0.1
          ? [
              `${missing(s)} of ${s.expectedDays} days (${(s.missingFraction * 100).toFixed(1)}%) lack use or temperature data; at most 10% may be missing`,
            ]
          : []),
        ...(short ? [`the baseline covers ${s.expectedDays} days; a daily model needs a whole year (365 days) of weather`] : []),
      ];
      verdict.push(`${name} insufficient: ${parts.join('; ')}.`);
    }
  }
  if (r.days.length > 0 && outside / r.days.length > MAX_OUT_OF_RANGE) {
    const span = `${range![0].toFixed(1)}–${range![1].toFixed(1)} °C`;
    verdict.push(
      zh
        ? `本期${r.days.length}天中有${outside}天比基期任何一天更熱或更冷（基期${span}）：模型在此為外推。`
        : `${outside} of ${r.days.length} reporting days were hotter or colder than any baseline day (${span}): the model extrapolates there.`,
    );
  }
  const cv = `CV(RMSE) ${stats.cvRmse.toFixed(1)}%`;
  const nmbe = `NMBE ${fixedDigits(stats.nmbe, 2)}%`;
  if (r.guideline14.pass) {
    verdict.push(
      zh
        ? `基期模型符合ASHRAE Guideline 14（${cv}，${nmbe}，R² ${stats.rSquared.toFixed(2)}）。`
        : `The baseline model meets ASHRAE Guideline 14 (${cv}, ${nmbe}, R² ${stats.rSquared.toFixed(2)}).`,
    );
  } else {
    const zhReasons: string[] = [];
    const enReasons: string[] = [];
    if (!Number.isFinite(stats.cvRmse) || stats.cvRmse > limits.cvRmse) {
      zhReasons.push(`${cv}高於日模型上限${limits.cvRmse}%`);
      enReasons.push(`${cv} is above the ${limits.cvRmse}% limit for daily models`);
    }
    if (!Number.isFinite(stats.nmbe) || Math.abs(stats.nmbe) > limits.nmbe) {
      zhReasons.push(`${nmbe}超出日模型的±${limits.nmbe}%`);
      enReasons.push(`${nmbe} is outside ±${limits.nmbe}% for daily models`);
    }
    verdict.push(
      zh
        ? `基期模型未通過ASHRAE Guideline 14：${zhReasons.join('；')}。其節能量不應採信。`
        : `The baseline model fails ASHRAE Guideline 14: ${enReasons.join('; ')}. Its savings should not be relied on.`,
    );
  }
  if (stats.rSquared < 0.7 && r.model.kind !== 'intercept-only') {
    verdict.push(
      zh
        ? `R²為${stats.rSquared.toFixed(2)}：天氣只能解釋少部分的日用量。`
        : `R² is ${stats.rSquared.toFixed(2)}: the weather explains little of the daily use.`,
    );
  }
  if (r.model.kind === 'intercept-only')
    verdict.push(
      zh
        ? '基期用量與外氣溫度無關：模型為平均日用量。'
        : 'Use does not depend on outdoor temperature in the baseline: the model is the mean daily use.',
    );
  const confidence = Math.round(r.confidence * 100);
  const plusMinus = (r.fraction * 100).toFixed(0);
  if (r.savingsFraction <= 0)
    verdict.push(
      zh
        ? '未量測到節能：本期用量不低於氣候調整後的基期。'
        : 'No saving was measured: the building used as much as or more than the weather-adjusted baseline.',
    );
  else if (zh) {
    verdict.push(
      r.acceptable
        ? `節能率為${(r.savingsFraction * 100).toFixed(1)}%，不確定度為其±${plusMinus}%（${confidence}%信賴水準）：在Guideline 14的50%以內。`
        : `節能量的不確定度（其${plusMinus}%，${confidence}%信賴水準）高於Guideline 14的50%：節能量太小，無法與雜訊區分。`,
    );
  } else {
    verdict.push(
      r.acceptable
        ? `The saving is ${(r.savingsFraction * 100).toFixed(1)}% ± ${plusMinus}% of itself at ${confidence}% confidence: within Guideline 14's 50%.`
        : `The saving's uncertainty (${plusMinus}% of itself at ${confidence}% confidence) is above Guideline 14's 50%: the saving is too small to tell from noise.`,
    );
  }
  return verdict;
}
