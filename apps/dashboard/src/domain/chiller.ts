import type { ChillerPoints } from '../api/api-types';

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

/** A chiller's values: the newest value of each of its points, found by what they measure (`points`, from their tags). */
export function chillerValues(points: ChillerPoints, value: (point: string) => number | null): ChillerValues {
  const of = (point: string | null) => (point === null ? null : value(point));
  return {
    running: of(points.running),
    kW: of(points.power),
    chwsT: of(points.leavingTemp),
    chwrT: of(points.enteringTemp),
    tons: of(points.capacity),
  };
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

/** A badge of a chiller's status cell: a run state's label as the registry gives it, or one of the page's own words. */
export type RunBadge =
  | { tone: 'ok' | 'neutral' | 'bad'; text: string }
  | { tone: 'ok' | 'neutral' | 'bad'; message: 'status.running' | 'status.stopped' | 'status.unknown' | 'status.alarm' };

/**
 * What a chiller's status cell says: its run state's label (`stateText`, a multistate point's, in the
 * reader's language) where it has one, else running or stopped; and the alarm, unless the run state
 * already says the chiller stopped in it (one red "fault", not two).
 */
export function runBadges(isRunning: boolean | null, alarm: boolean, stateText: string | null): RunBadge[] {
  const tone = isRunning === true ? 'ok' : alarm ? 'bad' : 'neutral';
  const badges: RunBadge[] =
    stateText !== null
      ? [{ tone, text: stateText }]
      : [
          {
            tone: isRunning === true ? 'ok' : 'neutral',
            message: isRunning === null ? 'status.unknown' : isRunning ? 'status.running' : 'status.stopped',
          },
        ];
  if (alarm && (stateText === null || isRunning === true)) badges.push({ tone: 'bad', message: 'status.alarm' });
  return badges;
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
