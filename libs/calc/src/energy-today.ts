import { addDays, daysBetween, localDate, sameLocalTimeOn, startOfLocalDate, startOfQuarterHour } from '@hallwatch/domain';
import { DemandLevel, demandLevel, forecastQuarterDemandKw, QUARTER_HOUR_MS, quarterDemandKw } from './demand';

/** The reference year of Taiwan's public-sector energy targets, unless the site names another (attribute `baselineYear`). */
export const DEFAULT_BASELINE_YEAR = 2015;

/** A site's baseline year: its `baselineYear` attribute, or the default. */
export function siteBaselineYear(attributes: Record<string, unknown>): number {
  const year = Number(attributes.baselineYear);
  return Number.isInteger(year) && year >= 1990 && year <= 2100 ? year : DEFAULT_BASELINE_YEAR;
}

/** A quarter hour of the main meter: its start and the energy the rollups booked in it. */
export interface QuarterEnergy {
  ts: number;
  kWh: number;
  flags: number;
  /** Of `kWh`, what was estimated across a meter gap. */
  estimatedKwh: number;
}

/**
 * The energy of quarter hours from their start up to `until`. The rollups know a quarter's energy
 * up to the newest register reading (`through`): a quarter that ends by then is whole. Of the
 * quarter that holds `until`, the share of its known part in proportion to time is counted, as the
 * rollups split a register step; a quarter whose energy is known only up to `until` or less counts whole.
 */
export function energyUntil(quarters: readonly QuarterEnergy[], until: number, through = Infinity): number {
  let total = 0;
  for (const { ts, kWh } of quarters) {
    const known = Math.min(ts + QUARTER_HOUR_MS, through);
    if (ts >= until) continue;
    total += until >= known ? kWh : (kWh * (until - ts)) / (known - ts);
  }
  return total;
}

/**
 * The day of the baseline year that today is compared with: the same weekday (Mondays meet
 * Mondays), whole weeks back, nearest the same calendar date (29 February reads as the 28th).
 */
export function baselineWeekdayDate(isoDate: string, baselineYear: number): string {
  const [month, day] = [isoDate.slice(5, 7), isoDate.slice(8, 10)];
  const leap = (baselineYear % 4 === 0 && baselineYear % 100 !== 0) || baselineYear % 400 === 0;
  const sameDate = `${String(baselineYear).padStart(4, '0')}-${month}-${month === '02' && day === '29' && !leap ? '28' : day}`;
  const weeks = Math.round(daysBetween(sameDate, isoDate) / 7);
  return addDays(isoDate, -7 * weeks);
}

export interface DayWindow {
  /** The local date. */
  date: string;
  /** Its local midnight. */
  from: number;
  /** The same local time of day as the cut. */
  to: number;
}

/**
 * Today up to `cut`, and the stretches it is compared with: yesterday and the baseline year's same
 * weekday, each from its local midnight to the same local time of day (the building's clock, so a
 * 23- or 25-hour day is compared by its hours, not by elapsed time).
 */
export function dayComparisonWindows(
  cut: number,
  zone: string,
  baselineYear: number,
): { today: DayWindow; yesterday: DayWindow; baseline: DayWindow } {
  const today = localDate(cut, zone);
  const window = (date: string): DayWindow => ({ date, from: startOfLocalDate(date, zone), to: sameLocalTimeOn(date, cut, zone) });
  return {
    today: { date: today, from: startOfLocalDate(today, zone), to: cut },
    yesterday: window(addDays(today, -1)),
    baseline: window(baselineWeekdayDate(today, baselineYear)),
  };
}

export interface EnergyOverviewInput {
  zone: string;
  /** The moment the overview is for (now, live). */
  at: number;
  baselineYear: number;
  contractKw: number | null;
  /** The main meter's quarter hours of today, from local midnight to the quarter that holds `at`. */
  today: readonly QuarterEnergy[];
  /** The newest register reading of the main meter today, or null when it has none yet. */
  through: number | null;
  /** Today's windows (dayComparisonWindows at the cut) and the quarters that cover the two others. */
  windows: ReturnType<typeof dayComparisonWindows>;
  yesterday: readonly QuarterEnergy[];
  baseline: readonly QuarterEnergy[];
  /** The main meter's present power, when it has a recent power reading. */
  latestKw: { ts: number; kW: number } | null;
}

export interface EnergyOverview {
  timezone: string;
  at: number;
  /** The newest register reading counted, or null. */
  dataThrough: number | null;
  energy: {
    unit: 'kWh';
    /** `estimatedKwh`: of `kWh`, what was estimated across meter gaps. */
    today: DayWindow & { kWh: number; estimatedKwh: number; flags: number };
    yesterday: DayWindow & { kWh: number; estimatedKwh: number; change: number | null };
    baseline: DayWindow & { year: number; kWh: number; estimatedKwh: number; change: number | null };
  };
  demand: {
    contractCapacityKw: number | null;
    /**
     * The running quarter hour: energy so far, its demand so far (× 4) and its share of the contract
     * capacity, and where it will end at the present load; levels against the contract.
     */
    quarter: {
      from: number;
      to: number;
      through: number;
      kWh: number;
      kW: number;
      share: number | null;
      level: DemandLevel | null;
      forecastKw: number | null;
      forecastLevel: DemandLevel | null;
    };
    previousQuarter: { from: number; kW: number } | null;
    /** Today's highest quarter hour, the running one included. */
    peakToday: { from: number; kW: number } | null;
    latestKw: { ts: number; kW: number } | null;
  };
}

/** The cut of today's comparison: the newest reading counted, never before local midnight nor after `at`. */
export function comparisonCut(at: number, through: number | null, dayStart: number): number {
  return Math.max(dayStart, Math.min(at, through ?? dayStart));
}

const change = (today: number, before: number) => (before > 0 ? (today - before) / before : null);

/**
 * Today's energy against yesterday and the baseline weekday (up to the same time of day), and the
 * running quarter hour's demand with its forecast, all from the main meter's 15-minute rollups.
 * The one definition of these numbers: the dashboard shows them as served.
 */
export function buildEnergyOverview(input: EnergyOverviewInput): EnergyOverview {
  const { windows, at, contractKw } = input;
  const cut = windows.today.to;
  const through = input.through ?? Infinity;
  const todayKwh = energyUntil(input.today, cut, through);
  const yesterdayKwh = energyUntil(input.yesterday, windows.yesterday.to);
  const baselineKwh = energyUntil(input.baseline, windows.baseline.to);
  const estimated = (quarters: readonly QuarterEnergy[], until: number, upTo = Infinity) =>
    energyUntil(
      quarters.map((quarter) => ({ ...quarter, kWh: quarter.estimatedKwh })),
      until,
      upTo,
    );

  const quarterStart = startOfQuarterHour(at);
  const running = input.today.filter((quarter) => quarter.ts === quarterStart);
  const soFar = energyUntil(running, cut, through);
  const quarterThrough = Math.min(quarterStart + QUARTER_HOUR_MS, Math.max(quarterStart, cut));
  const demandSoFar = quarterDemandKw(soFar);
  const forecastKw = forecastQuarterDemandKw({
    quarterStart,
    energyKwh: soFar,
    through: quarterThrough,
    latestKw: input.latestKw?.kW ?? null,
  });
  const closed = input.today.filter((quarter) => quarter.ts < quarterStart && quarter.ts >= windows.today.from);
  const previous = closed.find((quarter) => quarter.ts === quarterStart - QUARTER_HOUR_MS);
  let peakToday: { from: number; kW: number } | null = quarterStart >= windows.today.from ? { from: quarterStart, kW: demandSoFar } : null;
  for (const quarter of closed) {
    const kW = quarterDemandKw(quarter.kWh);
    if (!peakToday || kW > peakToday.kW) peakToday = { from: quarter.ts, kW };
  }

  return {
    timezone: input.zone,
    at,
    dataThrough: input.through,
    energy: {
      unit: 'kWh',
      today: {
        ...windows.today,
        kWh: todayKwh,
        estimatedKwh: estimated(input.today, cut, through),
        flags: input.today.reduce((all, quarter) => all | quarter.flags, 0),
      },
      yesterday: {
        ...windows.yesterday,
        kWh: yesterdayKwh,
        estimatedKwh: estimated(input.yesterday, windows.yesterday.to),
        change: change(todayKwh, yesterdayKwh),
      },
      baseline: {
        ...windows.baseline,
        year: input.baselineYear,
        kWh: baselineKwh,
        estimatedKwh: estimated(input.baseline, windows.baseline.to),
        change: change(todayKwh, baselineKwh),
      },
    },
    demand: {
      contractCapacityKw: contractKw,
      quarter: {
        from: quarterStart,
        to: quarterStart + QUARTER_HOUR_MS,
        through: quarterThrough,
        kWh: soFar,
        kW: demandSoFar,
        share: contractKw ? demandSoFar / contractKw : null,
        level: contractKw ? demandLevel(demandSoFar, contractKw) : null,
        forecastKw,
        forecastLevel: contractKw && forecastKw !== null ? demandLevel(forecastKw, contractKw) : null,
      },
      previousQuarter: previous ? { from: previous.ts, kW: quarterDemandKw(previous.kWh) } : null,
      peakToday,
      latestKw: input.latestKw,
    },
  };
}
