import { BUCKET_MS, startOfQuarterHour } from '@hallwatch/domain';

/**
 * 15-minute demand as Taipower bills it: the energy of an interval-ending quarter hour (UTC-aligned,
 * so a local quarter hour in every zone) expressed as an average power. One definition for the
 * API, the overview, the savings report's bills and the demand-forecast alert rule.
 */
export const QUARTER_HOUR_MS = BUCKET_MS['15m'];
const HOUR_MS = 3_600_000;
const QUARTERS_PER_HOUR = HOUR_MS / QUARTER_HOUR_MS;

/** The quarter hour that holds `ts`. */
export const quarterHourStart = startOfQuarterHour;

/** A quarter hour's demand (kW) from its energy (kWh): kWh × 4. */
export function quarterDemandKw(kWh: number): number {
  return kWh * QUARTERS_PER_HOUR;
}

export interface QuarterSoFar {
  /** Start of the running quarter hour. */
  quarterStart: number;
  /** Energy counted in the quarter so far (kWh). */
  energyKwh: number;
  /** The time that energy is known up to (the newest reading); before the quarter's start: nothing known yet. */
  through: number;
  /** The present load (kW), or null when there is no power reading to go on. */
  latestKw: number | null;
}

/**
 * Where the quarter's 15-minute demand will end if the load stays as it is: the energy counted so
 * far plus the present load for the rest of the quarter, × 4. Without a present load the average
 * rate so far stands in for it; with neither, null. What the operator must act on before the quarter ends.
 */
export function forecastQuarterDemandKw({ quarterStart, energyKwh, through, latestKw }: QuarterSoFar): number | null {
  const end = quarterStart + QUARTER_HOUR_MS;
  const known = Math.min(end, Math.max(quarterStart, through));
  const rate = latestKw ?? (known > quarterStart ? energyKwh / ((known - quarterStart) / HOUR_MS) : null);
  if (rate === null) return known >= end ? quarterDemandKw(energyKwh) : null;
  return quarterDemandKw(energyKwh + (rate * (end - known)) / HOUR_MS);
}

export type DemandLevel = 'normal' | 'near' | 'over';

/** Demand against the contract capacity: "near" from 90%, "over" above 100% (penalised by Taipower). */
export function demandLevel(demandKw: number, contractKw: number): DemandLevel {
  const ratio = demandKw / contractKw;
  if (ratio > 1) return 'over';
  if (ratio >= 0.9) return 'near';
  return 'normal';
}
