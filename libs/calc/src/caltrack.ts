import { FitStatistics, fitStatistics } from './guideline14';
import { leastSquares } from './least-squares';
import { Period } from './roc-date';

export interface DailyObservation {
  date: string;
  usage: number;
  /** The day's mean outdoor temperature. */
  temperatureC: number;
  /**
   * The day's hourly outdoor temperatures, when known: degree-days are then degree-hours / 24, so
   * the hours above and below a balance point are not lost in the daily mean (a day of 18-30 °C
   * with a mean of 24 °C has cooling hours above 26 °C that the mean does not show).
   */
  hourlyTemperaturesC?: number[];
}

/** How a model's degree-days are computed: from the daily mean, or from hourly temperatures. */
export type DegreeDayBasis = 'daily-mean' | 'hourly';

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/** Cooling degree-days above `balance`: degree-hours / 24 when the day's hours are known. */
export function coolingDegreeDays(day: DailyObservation, balance: number, basis: DegreeDayBasis): number {
  return basis === 'hourly' && day.hourlyTemperaturesC?.length
    ? mean(day.hourlyTemperaturesC.map((t) => Math.max(0, t - balance)))
    : Math.max(0, day.temperatureC - balance);
}

/** Heating degree-days below `balance`, alike. */
export function heatingDegreeDays(day: DailyObservation, balance: number, basis: DegreeDayBasis): number {
  return basis === 'hourly' && day.hourlyTemperaturesC?.length
    ? mean(day.hourlyTemperaturesC.map((t) => Math.max(0, balance - t)))
    : Math.max(0, balance - day.temperatureC);
}

/** Hourly degree-days when every day has its 24 hours (or more), else the daily mean. */
export function degreeDayBasisOf(days: DailyObservation[]): DegreeDayBasis {
  return days.length > 0 && days.every((d) => (d.hourlyTemperaturesC?.length ?? 0) >= 20) ? 'hourly' : 'daily-mean';
}

export type DailyModelKind = 'intercept-only' | 'cooling-only' | 'heating-only' | 'heating-cooling';

export interface DailyModel {
  kind: DailyModelKind;
  intercept: number;
  coolingSlope: number;
  heatingSlope: number;
  coolingBalanceC: number | null;
  heatingBalanceC: number | null;
  /** Degree-days from daily mean temperatures (CalTRACK daily) or from hourly temperatures. */
  degreeDays: DegreeDayBasis;
  statistics: FitStatistics;
}

export interface FitOptions {
  /** Candidate balance points; CalTRACK searches 30-90 °F in steps of at most 3 °F. */
  balanceGridC?: number[];
}

/** -1 … 32 °C in 1 °C steps: CalTRACK's 30-90 °F range, finer than its 3 °F step. */
export const DEFAULT_BALANCE_GRID_C = Array.from({ length: 34 }, (_, i) => i - 1);

/**
 * A slope must be positive and clearly not noise. CalTRACK asks p < 0.1 (t ≈ 1.65), but the grid
 * search tries hundreds of balance points and one of them fits noise that well by chance; a real
 * weather dependence has t in the tens, so t > 3 costs nothing and keeps flat buildings flat.
 */
const MIN_SLOPE_T = 3;
const MIN_ADJUSTED_R2_GAIN = 0.05;
/** CalTRACK: a degree-day term needs at least this many days with non-zero degree days. */
const MIN_DEGREE_DAYS = 10;

export type DailyModelShape = Pick<DailyModel, 'intercept' | 'coolingSlope' | 'heatingSlope' | 'coolingBalanceC' | 'heatingBalanceC'>;

export const predictDaily = (model: DailyModelShape, temperatureC: number): number =>
  model.intercept +
  (model.coolingBalanceC === null ? 0 : model.coolingSlope * Math.max(0, temperatureC - model.coolingBalanceC)) +
  (model.heatingBalanceC === null ? 0 : model.heatingSlope * Math.max(0, model.heatingBalanceC - temperatureC));

/** A day's prediction, its degree-days on the model's basis. */
export const predictDay = (model: DailyModelShape & { degreeDays: DegreeDayBasis }, day: DailyObservation): number =>
  model.intercept +
  (model.coolingBalanceC === null ? 0 : model.coolingSlope * coolingDegreeDays(day, model.coolingBalanceC, model.degreeDays)) +
  (model.heatingBalanceC === null ? 0 : model.heatingSlope * heatingDegreeDays(day, model.heatingBalanceC, model.degreeDays));

/**
 * CalTRACK-style daily model: use/day = μ + βH·HDD(Th) + βC·CDD(Tc), the balance points found by a
 * grid search, the four candidate shapes compared by adjusted R².
 */
export function fitDailyModel(days: DailyObservation[], options: FitOptions & { degreeDays?: DegreeDayBasis } = {}): DailyModel {
  if (days.length < 3) throw new Error('a daily model needs at least 3 days');
  const grid = options.balanceGridC ?? DEFAULT_BALANCE_GRID_C;
  const basis = options.degreeDays ?? degreeDayBasisOf(days);
  const usage = days.map((d) => d.usage);
  const ones = days.map(() => 1);
  // Each balance point's degree-day column once: the grid tries each of them hundreds of times,
  // and with hourly temperatures a column is 24 hours per day.
  const memo = (degreeDays: typeof coolingDegreeDays) => {
    const columns = new Map<number, number[]>();
    return (balance: number) =>
      columns.get(balance) ?? columns.set(balance, days.map((d) => degreeDays(d, balance, basis))).get(balance)!;
  };
  const cdd = memo(coolingDegreeDays);
  const hdd = memo(heatingDegreeDays);

  const candidates: DailyModel[] = [];
  const tryFit = (kind: DailyModelKind, heatingBalanceC: number | null, coolingBalanceC: number | null) => {
    const columns = [ones];
    if (heatingBalanceC !== null) columns.push(hdd(heatingBalanceC));
    if (coolingBalanceC !== null) columns.push(cdd(coolingBalanceC));
    if (columns.slice(1).some((column) => column.filter((dd) => dd > 0).length < MIN_DEGREE_DAYS)) return;
    const fit = leastSquares(columns, usage);
    if (!fit) return;
    const [intercept, ...slopes] = fit.coefficients;
    const shape: DailyModelShape = {
      intercept,
      heatingSlope: heatingBalanceC === null ? 0 : slopes[0],
      coolingSlope: coolingBalanceC === null ? 0 : slopes[slopes.length - 1],
      heatingBalanceC,
      coolingBalanceC,
    };
    // predictDay's sum, from the columns already computed.
    const cooling = coolingBalanceC === null ? null : cdd(coolingBalanceC);
    const heating = heatingBalanceC === null ? null : hdd(heatingBalanceC);
    const predicted = days.map(
      (_, i) => shape.intercept + (cooling ? shape.coolingSlope * cooling[i] : 0) + (heating ? shape.heatingSlope * heating[i] : 0),
    );
    const model: DailyModel = { kind, ...shape, degreeDays: basis, statistics: fitStatistics(usage, predicted, columns.length) };
    const variance = model.statistics.rmse ** 2;
    const slopeOk = slopes.every((slope, i) => slope > 0 && slope / Math.sqrt(variance * fit.inverse[i + 1][i + 1]) > MIN_SLOPE_T);
    if (slopeOk) candidates.push(model);
  };

  tryFit('intercept-only', null, null);
  for (const balance of grid) {
    tryFit('cooling-only', null, balance);
    tryFit('heating-only', balance, null);
  }
  for (const th of grid) for (const tc of grid) if (th <= tc) tryFit('heating-cooling', th, tc);

  // Parsimony: a model with more terms must explain clearly more (adjusted R² up by 0.05), or a
  // flat building picks up a heating term from a handful of cool days by chance.
  const parameters = (model: DailyModel) => model.statistics.p;
  return candidates
    .sort((a, b) => parameters(a) - parameters(b) || b.statistics.adjustedRSquared - a.statistics.adjustedRSquared)
    .reduce((best, model) =>
      model.statistics.adjustedRSquared >
      best.statistics.adjustedRSquared + (parameters(model) > parameters(best) ? MIN_ADJUSTED_R2_GAIN : 0)
        ? model
        : best,
    );
}

export interface DataSufficiency {
  sufficient: boolean;
  days: number;
  expectedDays: number;
  missingFraction: number;
  temperatureRangeC: [number, number] | null;
  reasons: string[];
}

const daysIn = (period: Period) => Math.round((Date.parse(`${period.to}T00:00:00Z`) - Date.parse(`${period.from}T00:00:00Z`)) / 86_400_000);

/** CalTRACK's data sufficiency: at most 10% of the period's days missing (usage or temperature). */
export function checkSufficiency(days: DailyObservation[], period: Period, options: { maxMissingFraction?: number } = {}): DataSufficiency {
  const maxMissing = options.maxMissingFraction ?? 0.1;
  const expectedDays = daysIn(period);
  const present = days.filter(
    (d) => d.date >= period.from && d.date < period.to && Number.isFinite(d.usage) && Number.isFinite(d.temperatureC),
  );
  const missingFraction = expectedDays === 0 ? 1 : 1 - present.length / expectedDays;
  const temps = present.map((d) => d.temperatureC);
  const reasons: string[] = [];
  if (missingFraction > maxMissing) {
    reasons.push(
      `${expectedDays - present.length} of ${expectedDays} days (${(missingFraction * 100).toFixed(1)}%) lack use or temperature data; at most ${(maxMissing * 100).toFixed(0)}% may be missing`,
    );
  }
  return {
    sufficient: reasons.length === 0,
    days: present.length,
    expectedDays,
    missingFraction,
    temperatureRangeC: temps.length ? [Math.min(...temps), Math.max(...temps)] : null,
    reasons,
  };
}
