import { forecastQuarterDemandKw, quarterHourStart } from '@hallwatch/calc';
import { z } from 'zod';
import { LeafCondition as Leaf, pointRefSchema } from './rule-definition';

type Of<T extends Leaf['type']> = Extract<Leaf, { type: T }>;

/**
 * What a condition found, as facts rather than a sentence, so an alert can be told in each reader's
 * language: the value, the limit it is past, which way, and for how long (or how long silent).
 */
export const breachSchema = z.object({
  type: z.enum(['threshold', 'rate-of-change', 'no-data', 'demand-forecast']),
  point: pointRefSchema,
  value: z.number().nullable(),
  limit: z.number().nullable(),
  direction: z.enum(['above', 'below']).nullable(),
  seconds: z.number().nullable(),
  note: z.string().optional(),
});
export type Breach = z.infer<typeof breachSchema>;

/** A leaf condition's memory: small and JSON-serialisable, so rule state survives restarts in Redis. */
export interface LeafState {
  /** Debounced: the condition holds (durations and hysteresis applied). */
  active: boolean;
  lastTs: number | null;
  lastValue: number | null;
  /** threshold: since when the raw reading has been past the limit (closed) or back inside the band (open). */
  since?: number | null;
  /** rate-of-change: a bounded window of [ts, value]. */
  window?: [number, number][];
  /** demand-forecast: the current quarter-hour and its energy so far. */
  quarterStart?: number;
  quarterKwh?: number;
  forecastKw?: number;
  /** demand-forecast: the quarter that opened it; it stays open to that quarter's end. */
  activeQuarter?: number;
  detail?: string;
  /** While active: what it found when it became active. */
  breach?: Breach;
  /** threshold: the last sample's note (why a source is offline), said when the alert opens. */
  note?: string;
}

/** How long a gauge's last value is held when time passes without readings (ticks). */
export const HOLD_MS = 15 * 60_000;
const MAX_WINDOW_SAMPLES = 120;

export function initialLeafState(): LeafState {
  return { active: false, lastTs: null, lastValue: null, since: null };
}

const fmt = (value: number) => (Math.abs(value) >= 100 ? value.toFixed(0) : Number(value.toFixed(2)).toString());
const label = (c: Leaf) => `${c.point.asset}.${c.point.point}`;

export function onSample(condition: Leaf, state: LeafState, ts: number, value: number, note?: string): void {
  switch (condition.type) {
    case 'threshold':
      if (note) state.note = note;
      else delete state.note;
      return threshold(condition, state, ts, value);
    case 'rate-of-change':
      return rateOfChange(condition, state, ts, value);
    case 'no-data':
      state.lastTs = ts;
      state.lastValue = value;
      state.active = false;
      delete state.breach;
      return;
    case 'demand-forecast':
      return demand(condition, state, ts, value);
  }
}

/** Time passes without a reading for this condition. */
export function onTick(condition: Leaf, state: LeafState, now: number, createdAt: number): void {
  switch (condition.type) {
    case 'threshold':
      // Sample-and-hold: the last value stands for a while, so a breach that persists completes its duration.
      if (state.lastTs !== null && state.lastValue !== null && now > state.lastTs && now - state.lastTs <= HOLD_MS) {
        threshold(condition, state, now, state.lastValue, false);
      }
      return;
    case 'no-data': {
      const silentSince = state.lastTs ?? createdAt;
      if (now - silentSince >= condition.minutes * 60_000) {
        if (!state.active) state.breach = breach(condition, null, null, null, (now - silentSince) / 1000);
        state.active = true;
        state.detail = `${label(condition)}: no data for ${Math.round((now - silentSince) / 60_000)} min`;
      }
      return;
    }
    default:
      return;
  }
}

function threshold(c: Of<'threshold'>, state: LeafState, ts: number, value: number, record = true): void {
  if (record) {
    state.lastTs = ts;
    state.lastValue = value;
  }
  const forMs = c.forSeconds * 1000;
  const past = c.above !== undefined ? value > c.above : value < c.below!;
  const clear = c.above !== undefined ? value <= c.above - c.hysteresis : value >= c.below! + c.hysteresis;
  const limit = c.above !== undefined ? `above ${fmt(c.above)}` : `below ${fmt(c.below!)}`;
  // Closed: count how long the value has been past the limit. Open: how long it has been back inside the band.
  const moving = state.active ? clear : past;
  if (!moving) {
    state.since = null;
    return;
  }
  state.since ??= ts;
  if (ts - state.since >= forMs) {
    state.active = !state.active;
    if (state.active)
      state.breach = breach(
        c,
        value,
        c.above ?? c.below!,
        c.above !== undefined ? 'above' : 'below',
        (ts - state.since) / 1000,
        state.note,
      );
    else delete state.breach;
    state.since = null;
    state.detail = state.active
      ? `${label(c)} ${fmt(value)} ${limit}${forMs > 0 ? ` for ${duration(forMs)}` : ''}${state.note ? `: ${state.note}` : ''}`
      : `${label(c)} back to ${fmt(value)} (${limit} cleared, hysteresis ${fmt(c.hysteresis)})`;
  }
}

function breach(
  c: Leaf,
  value: number | null,
  limit: number | null,
  direction: Breach['direction'],
  seconds: number | null,
  note?: string,
): Breach {
  return { type: c.type, point: c.point, value, limit, direction, seconds, ...(note ? { note } : {}) };
}

/** Whole minutes, or seconds under a minute: a 5 s rule said "for 0 min". */
function duration(ms: number): string {
  return ms < 60_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}

function rateOfChange(c: Of<'rate-of-change'>, state: LeafState, ts: number, value: number): void {
  state.lastTs = ts;
  state.lastValue = value;
  const window = (state.window ?? []).filter(([t]) => ts - t <= c.windowSeconds * 1000);
  window.push([ts, value]);
  // Keep the window bounded: thin the middle, keep the ends.
  while (window.length > MAX_WINDOW_SAMPLES) window.splice(1, 1);
  state.window = window;
  const [firstTs, firstValue] = window[0];
  const minutes = (ts - firstTs) / 60_000;
  // Judge a rate only over at least half the window, or one noisy pair of readings decides.
  if (minutes < c.windowSeconds / 120) return;
  const rate = Math.abs(value - firstValue) / minutes;
  state.active = rate > c.maxChangePerMinute;
  if (state.active) state.breach = breach(c, rate, c.maxChangePerMinute, 'above', (ts - firstTs) / 1000);
  else delete state.breach;
  state.detail = `${label(c)} changing ${fmt(rate)}/min (limit ${fmt(c.maxChangePerMinute)}/min)`;
}

/**
 * The quarter's energy so far from the kW readings (each held until the next), and its forecast by
 * the one definition the API's overview uses (forecastQuarterDemandKw).
 */
function demand(c: Of<'demand-forecast'>, state: LeafState, ts: number, kW: number): void {
  const quarter = quarterHourStart(ts);
  if (state.quarterStart !== quarter) {
    // The previous power holds from the quarter's start until this first reading.
    const carried = state.lastValue !== null && state.lastTs !== null && quarter - state.lastTs <= HOLD_MS ? state.lastValue : kW;
    state.quarterStart = quarter;
    state.quarterKwh = (carried * (ts - quarter)) / 3_600_000;
  } else if (state.lastTs !== null && state.lastValue !== null) {
    state.quarterKwh = (state.quarterKwh ?? 0) + (state.lastValue * (ts - state.lastTs)) / 3_600_000;
  }
  state.lastTs = ts;
  state.lastValue = kW;
  const forecast = forecastQuarterDemandKw({ quarterStart: quarter, energyKwh: state.quarterKwh ?? 0, through: ts, latestKw: kW }) ?? kW;
  state.forecastKw = forecast;
  // Too early in the quarter to tell: keep what the previous quarter said.
  if (ts - quarter < 3 * 60_000) return;
  const limit = c.contractKw * (1 + c.marginPct / 100);
  if (forecast > limit) {
    if (!state.active) state.activeQuarter = quarter;
    state.active = true;
    state.breach = breach(c, forecast, c.contractKw, 'above', null);
    state.detail = `15-minute demand forecast ${fmt(forecast)} kW against contract ${fmt(c.contractKw)} kW`;
  } else if (state.active && state.activeQuarter !== quarter) {
    state.active = false;
    delete state.breach;
    state.detail = `15-minute demand forecast ${fmt(forecast)} kW within contract ${fmt(c.contractKw)} kW`;
  }
}
