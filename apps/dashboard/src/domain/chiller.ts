/** One chiller as the plant page shows it, from the newest values of its points. */
export interface ChillerValues {
  running: number | null;
  kW: number | null;
  chwsT: number | null;
  chwrT: number | null;
  tons: number | null;
}

export interface ChillerSnapshot extends ChillerValues {
  isRunning: boolean | null;
  /** Chilled-water return minus supply (°C). */
  deltaT: number | null;
  /** kW per refrigeration ton, only while running with a load. */
  kwPerRt: number | null;
}

export interface PlantTotals {
  running: number;
  total: number;
  kW: number | null;
  tons: number | null;
  kwPerRt: number | null;
}

export function chillerSnapshot(values: ChillerValues): ChillerSnapshot {
  const isRunning = values.running === null ? null : values.running !== 0;
  const deltaT = values.chwsT !== null && values.chwrT !== null ? values.chwrT - values.chwsT : null;
  return { ...values, isRunning, deltaT, kwPerRt: kwPerRt(isRunning, values.kW, values.tons) };
}

/** kW/RT = kW / tons, when the chiller runs and makes a measurable amount of cooling. */
export function kwPerRt(isRunning: boolean | null, kW: number | null, tons: number | null): number | null {
  if (isRunning !== true || kW === null || tons === null || tons <= 0.5) return null;
  return kW / tons;
}

/** Plant totals: all chillers' kW, running chillers' tons, and the plant's kW/RT over the running ones. */
export function plantTotals(chillers: readonly ChillerSnapshot[]): PlantTotals {
  let kW: number | null = null;
  let runningKw = 0;
  let tons: number | null = null;
  let running = 0;
  for (const chiller of chillers) {
    if (chiller.kW !== null) kW = (kW ?? 0) + chiller.kW;
    if (chiller.isRunning !== true) continue;
    running += 1;
    if (chiller.kW !== null && chiller.tons !== null) {
      runningKw += chiller.kW;
      tons = (tons ?? 0) + chiller.tons;
    }
  }
  return { running, total: chillers.length, kW, tons, kwPerRt: tons !== null && tons > 0.5 ? runningKw / tons : null };
}

export type EfficiencyLevel = 'good' | 'fair' | 'poor';

/** Good plants run 0.55-0.75 kW/RT; above about 1.1 something is wrong. */
export function efficiencyLevel(value: number): EfficiencyLevel {
  if (value <= 0.75) return 'good';
  if (value <= 1.1) return 'fair';
  return 'poor';
}

/** A chilled-water delta-T under this (°C) means too much flow: the return comes back too cold. */
export const LOW_DELTA_T = 3;
