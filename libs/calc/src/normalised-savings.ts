import { checkSufficiency, DailyModel, DailyObservation, DataSufficiency, fitDailyModel, predictDaily } from './caltrack';
import { fixedDigits } from './fixed-digits';
import { fractionalSavingsUncertainty, meetsGuideline14 } from './guideline14';
import { Period } from './roc-date';

export interface NormalisedSavingsInput {
  baseline: DailyObservation[];
  baselinePeriod: Period;
  reporting: DailyObservation[];
  reportingPeriod: Period;
  /** Two-sided confidence level of the stated uncertainty; 68% by default, as Guideline 14 asks. */
  confidence?: number;
}

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
  const model = fitDailyModel(input.baseline);
  const guideline14 = meetsGuideline14(model.statistics, 'daily');
  const days = [...input.reporting]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({
      date: day.date,
      actual: day.usage,
      predicted: predictDaily(model, day.temperatureC),
      temperatureC: day.temperatureC,
    }));
  const baselineDays = [...input.baseline]
    .sort((a, b) => a.date.localeCompare(b.date))
    .map((day) => ({
      date: day.date,
      actual: day.usage,
      predicted: predictDaily(model, day.temperatureC),
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

  const verdict: string[] = [];
  const range = sufficiency.baseline.temperatureRangeC;
  const outside = range ? days.filter((d) => d.temperatureC < range[0] - 0.5 || d.temperatureC > range[1] + 0.5).length : 0;
  if (!sufficiency.baseline.sufficient) verdict.push(`The baseline data are insufficient: ${sufficiency.baseline.reasons.join('; ')}.`);
  if (!sufficiency.reporting.sufficient)
    verdict.push(`The reporting period's data are insufficient: ${sufficiency.reporting.reasons.join('; ')}.`);
  if (days.length > 0 && outside / days.length > MAX_OUT_OF_RANGE) {
    verdict.push(
      `${outside} of ${days.length} reporting days were hotter or colder than any baseline day (${range![0].toFixed(1)}–${range![1].toFixed(1)} °C): the model extrapolates there.`,
    );
  }
  verdict.push(
    guideline14.pass
      ? `The baseline model meets ASHRAE Guideline 14 (CV(RMSE) ${model.statistics.cvRmse.toFixed(1)}%, NMBE ${fixedDigits(model.statistics.nmbe, 2)}%, R² ${model.statistics.rSquared.toFixed(2)}).`
      : `The baseline model fails ASHRAE Guideline 14: ${guideline14.reasons.join('; ')}. Its savings should not be relied on.`,
  );
  if (model.statistics.rSquared < 0.7 && model.kind !== 'intercept-only') {
    verdict.push(`R² is ${model.statistics.rSquared.toFixed(2)}: the weather explains little of the daily use.`);
  }
  if (model.kind === 'intercept-only')
    verdict.push('Use does not depend on outdoor temperature in the baseline: the model is the mean daily use.');
  if (savingsFraction <= 0)
    verdict.push('No saving was measured: the building used as much as or more than the weather-adjusted baseline.');
  else {
    verdict.push(
      uncertainty.acceptable
        ? `The saving is ${(savingsFraction * 100).toFixed(1)}% ± ${(fraction * 100).toFixed(0)}% of itself at ${Math.round(confidence * 100)}% confidence: within Guideline 14's 50%.`
        : `The saving's uncertainty (${(fraction * 100).toFixed(0)}% of itself at ${Math.round(confidence * 100)}% confidence) is above Guideline 14's 50%: the saving is too small to tell from noise.`,
    );
  }
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
