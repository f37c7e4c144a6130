import { FitStatistics, fitStatistics, meetsGuideline14 } from './guideline14';
import { leastSquares } from './least-squares';

/** One hour of use with its outdoor temperature; `hourOfWeek` 0-167 on the site's clock (0 = Monday 00:00). */
export interface HourlyObservation {
  start: number;
  hourOfWeek: number;
  usage: number;
  temperatureC: number;
}

/**
 * CalTRACK hourly's time-of-week-and-temperature model: a mean use for each of the 168 hours of
 * the week, plus a piecewise-linear response to outdoor temperature with knots at CalTRACK's bin
 * edges (30, 45, 55, 65, 75, 90 °F, here in °C). Bins holding too few hours merge with their
 * neighbour. (CalTRACK also splits occupied and unoccupied hours and fits month by month with
 * neighbouring months weighted; this model fits the whole baseline at once.)
 */
export interface HourlyModel {
  kind: 'time-of-week-temperature';
  /** The temperature knots actually used (°C). */
  knotsC: number[];
  coefficients: number[];
  statistics: FitStatistics;
}

export const HOURLY_KNOTS_C = [-1.1, 7.2, 12.8, 18.3, 23.9, 32.2];
const MIN_HOURS_PER_BIN = 20;

/** The piecewise-linear temperature features for the knots: each segment's share of T. */
function temperatureFeatures(t: number, knots: number[]): number[] {
  const features: number[] = [Math.min(t, knots[0])];
  for (let i = 1; i < knots.length; i++) features.push(Math.min(Math.max(t - knots[i - 1], 0), knots[i] - knots[i - 1]));
  features.push(Math.max(t - knots[knots.length - 1], 0));
  return features;
}

function row(hour: HourlyObservation, knots: number[], weeks: number[]): number[] {
  const tow = weeks.map((w) => (w === hour.hourOfWeek ? 1 : 0));
  return [...tow, ...temperatureFeatures(hour.temperatureC, knots)];
}

export function fitHourlyModel(hours: HourlyObservation[]): HourlyModel & { hoursOfWeek: number[] } {
  if (hours.length < 24 * 14) throw new Error('an hourly model needs at least two weeks of hours');
  // Knots where the baseline has too few hours on either side are dropped: no slope from a handful of hours.
  const knots = HOURLY_KNOTS_C.filter(
    (k) =>
      hours.filter((h) => h.temperatureC < k).length >= MIN_HOURS_PER_BIN &&
      hours.filter((h) => h.temperatureC >= k).length >= MIN_HOURS_PER_BIN,
  );
  const hoursOfWeek = [...new Set(hours.map((h) => h.hourOfWeek))].sort((a, b) => a - b);
  const rows = hours.map((h) => row(h, knots, hoursOfWeek));
  const columns = rows[0].map((_, j) => rows.map((r) => r[j]));
  const fit = leastSquares(
    columns,
    hours.map((h) => h.usage),
  );
  if (!fit) throw new Error('the hourly model cannot be fitted: collinear hours and temperatures');
  const predicted = rows.map((r) => r.reduce((sum, x, j) => sum + x * fit.coefficients[j], 0));
  return {
    kind: 'time-of-week-temperature',
    knotsC: knots,
    coefficients: fit.coefficients,
    hoursOfWeek,
    statistics: fitStatistics(
      hours.map((h) => h.usage),
      predicted,
      columns.length,
    ),
  };
}

export function predictHour(model: HourlyModel & { hoursOfWeek: number[] }, hour: HourlyObservation): number {
  const r = row(hour, model.knotsC, model.hoursOfWeek);
  // An hour of the week the baseline never saw has no mean: the mean of the others stands in.
  const known = model.hoursOfWeek.includes(hour.hourOfWeek);
  const towMean = model.coefficients.slice(0, model.hoursOfWeek.length).reduce((a, b) => a + b, 0) / model.hoursOfWeek.length;
  return r.reduce((sum, x, j) => sum + x * model.coefficients[j], known ? 0 : towMean);
}

export interface HourlySavings {
  model: HourlyModel;
  guideline14: { pass: boolean; reasons: string[] };
  adjustedBaseline: number;
  reportingActual: number;
  avoided: number;
  savingsFraction: number;
  /** Each reporting hour's use against the model's prediction. */
  hours: Array<{ start: number; actual: number; predicted: number }>;
}

/** Avoided energy with the hourly model: its prediction over the reporting hours' weather, less their use. */
export function hourlySavings(baseline: HourlyObservation[], reporting: HourlyObservation[]): HourlySavings {
  const fitted = fitHourlyModel(baseline);
  const hours = reporting.map((h) => ({ start: h.start, actual: h.usage, predicted: predictHour(fitted, h) }));
  const adjustedBaseline = hours.reduce((sum, h) => sum + h.predicted, 0);
  const reportingActual = hours.reduce((sum, h) => sum + h.actual, 0);
  const avoided = adjustedBaseline - reportingActual;
  return {
    model: { kind: fitted.kind, knotsC: fitted.knotsC, coefficients: fitted.coefficients, statistics: fitted.statistics },
    guideline14: meetsGuideline14(fitted.statistics, 'hourly'),
    adjustedBaseline,
    reportingActual,
    avoided,
    savingsFraction: adjustedBaseline > 0 ? avoided / adjustedBaseline : 0,
    hours,
  };
}
