import { fixedDigits } from './fixed-digits';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

export interface FitStatistics {
  n: number;
  /** Parameters of the model, the intercept included. */
  p: number;
  rSquared: number;
  adjustedRSquared: number;
  /** Percent. */
  cvRmse: number;
  /** Percent; positive when the model under-predicts. */
  nmbe: number;
  /** Lag-1 autocorrelation of the residuals. */
  autocorrelation: number;
  rmse: number;
  meanActual: number;
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

/** ASHRAE Guideline 14 goodness of fit (formulas in DOMAIN.md). */
export function fitStatistics(actual: number[], predicted: number[], parameterCount: number): FitStatistics {
  if (actual.length !== predicted.length) throw new Error('actual and predicted differ in length');
  const n = actual.length;
  const p = parameterCount;
  const mean = sum(actual) / n;
  const residuals = actual.map((y, i) => y - predicted[i]);
  const sse = sum(residuals.map((e) => e * e));
  const sst = sum(actual.map((y) => (y - mean) ** 2));
  const rSquared = sst === 0 ? 0 : 1 - sse / sst;
  const dof = n - p;
  const rmse = Math.sqrt(sse / dof);
  return {
    n,
    p,
    rSquared,
    adjustedRSquared: 1 - ((1 - rSquared) * (n - 1)) / dof,
    cvRmse: (100 * rmse) / mean,
    nmbe: (100 * sum(residuals)) / (dof * mean),
    autocorrelation: lag1Autocorrelation(residuals),
    rmse,
    meanActual: mean,
  };
}

export function lag1Autocorrelation(values: number[]): number {
  const mean = sum(values) / values.length;
  const centred = values.map((v) => v - mean);
  const denominator = sum(centred.map((v) => v * v));
  if (denominator === 0) return 0;
  let numerator = 0;
  for (let i = 1; i < centred.length; i += 1) numerator += centred[i] * centred[i - 1];
  return numerator / denominator;
}

export type Granularity = 'monthly' | 'daily' | 'hourly';

/**
 * Guideline 14 gives limits for monthly and hourly models only. A daily model is held to the
 * hourly limits, as CalTRACK does: daily data carry more noise than monthly sums.
 */
export const GUIDELINE14_LIMITS: Record<Granularity, { nmbe: number; cvRmse: number }> = {
  monthly: { nmbe: 5, cvRmse: 15 },
  daily: { nmbe: 10, cvRmse: 30 },
  hourly: { nmbe: 10, cvRmse: 30 },
};

export function meetsGuideline14(stats: FitStatistics, granularity: Granularity): { pass: boolean; reasons: string[] } {
  const limits = GUIDELINE14_LIMITS[granularity];
  const reasons: string[] = [];
  if (!Number.isFinite(stats.cvRmse) || stats.cvRmse > limits.cvRmse) {
    reasons.push(`CV(RMSE) ${stats.cvRmse.toFixed(1)}% is above the ${limits.cvRmse}% limit for ${granularity} models`);
  }
  if (!Number.isFinite(stats.nmbe) || Math.abs(stats.nmbe) > limits.nmbe) {
    reasons.push(`NMBE ${fixedDigits(stats.nmbe, 2)}% is outside ±${limits.nmbe}% for ${granularity} models`);
  }
  return { pass: reasons.length === 0, reasons };
}

export interface UncertaintyInput {
  /** Percent, as in FitStatistics. */
  cvRmse: number;
  n: number;
  p: number;
  autocorrelation: number;
  reportingPoints: number;
  savingsFraction: number;
  /** Two-sided confidence level, e.g. 0.68 or 0.9. */
  confidence: number;
}

/**
 * Fractional savings uncertainty, ASHRAE Guideline 14:
 * ΔE/E = 1.26·t·CV·sqrt((n/n′)(1+2/n′)(1/m))/F with n′ = n(1−ρ)/(1+ρ), and t the two-sided
 * Student t for the confidence with n′−p degrees of freedom. Returns a fraction (0.23 = 23%).
 */
export function fractionalSavingsUncertainty(input: UncertaintyInput): number {
  if (input.savingsFraction <= 0) return Infinity;
  const rho = Math.max(0, input.autocorrelation);
  const effective = (input.n * (1 - rho)) / (1 + rho);
  const dof = Math.max(1, effective - input.p);
  const t = tQuantile((1 + input.confidence) / 2, dof);
  const cv = input.cvRmse / 100;
  return (1.26 * t * cv * Math.sqrt((input.n / effective) * (1 + 2 / effective) * (1 / input.reportingPoints))) / input.savingsFraction;
}
