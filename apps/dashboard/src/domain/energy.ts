import { BUCKET_MS, bucketStart } from '@hallwatch/domain';
import type { BucketReading } from '../api/api-types';
import type { LatestValue } from '../live/live-store';

export const QUARTER_HOUR_MS = BUCKET_MS['15m'];

/** Start of the Taipei calendar day (00:00 UTC+8) that holds `ts`. */
export function taipeiDayStart(ts: number): number {
  return bucketStart(ts, '1d');
}

/**
 * The consumption between two readings of a cumulative register. A register that wrapped at
 * `rolloverAt` counts the wrap; any other drop (meter reset or replacement) counts nothing rather
 * than a negative or absurd value.
 */
export function registerDelta(previous: number, next: number, rolloverAt?: number): number {
  const delta = next - previous;
  if (delta >= 0) return delta;
  if (rolloverAt && rolloverAt > 0 && previous <= rolloverAt && previous > rolloverAt / 2 && next < rolloverAt / 2) {
    return rolloverAt - previous + next;
  }
  return 0;
}

/**
 * Energy used so far today from a kWh register: the register's advance from its first reading
 * of the Taipei day to the newest one, walked through today's 15-minute rollups (first, last of
 * each) and the live value, so a wrap or reset in the middle of the day is handled.
 */
export function todayKwh(
  rollups: readonly BucketReading[],
  live: LatestValue | undefined,
  now: number,
  rolloverAt?: number,
): number | null {
  const dayStart = taipeiDayStart(now);
  const values: number[] = [];
  let lastTs = -Infinity;
  for (const bucket of [...rollups].sort((a, b) => a.ts - b.ts)) {
    if (bucket.ts < dayStart || bucket.ts >= dayStart + BUCKET_MS['1d'] || bucket.count === 0) continue;
    values.push(bucket.first, bucket.last);
    lastTs = bucket.ts;
  }
  // The live value extends the walk when it is today's and not older than the newest rollup.
  if (live && live.ts >= dayStart && live.ts >= lastTs && live.ts <= now + QUARTER_HOUR_MS) values.push(live.value);
  if (values.length === 0) return null;
  let total = 0;
  for (let i = 1; i < values.length; i++) total += registerDelta(values[i - 1], values[i], rolloverAt);
  return total;
}

/** Running aggregate of one 15-minute interval of a kW point: Taipower's demand interval. */
export interface DemandInterval {
  start: number;
  sum: number;
  count: number;
}

/** The demand interval that holds `now`, taken from today's 15-minute kW rollups (if it has one). */
export function demandIntervalFrom(rollups: readonly BucketReading[], now: number): DemandInterval {
  const start = bucketStart(now, '15m');
  const current = rollups.find((bucket) => bucket.ts === start);
  return current ? { start, sum: current.sum, count: current.count } : { start, sum: 0, count: 0 };
}

/**
 * Folds one live kW reading into the demand interval; a reading of a later interval starts a new
 * one, and a reading of an earlier interval is ignored.
 */
export function foldDemand(interval: DemandInterval, ts: number, kW: number): DemandInterval {
  const start = bucketStart(ts, '15m');
  if (start < interval.start) return interval;
  if (start > interval.start) return { start, sum: kW, count: 1 };
  return { start, sum: interval.sum + kW, count: interval.count + 1 };
}

/** The average kW of the interval so far: the 15-minute demand as the utility measures it. */
export function demandKw(interval: DemandInterval): number | null {
  return interval.count > 0 ? interval.sum / interval.count : null;
}

/**
 * Where the interval's demand will end if the load stays as it is now: the average so far for the
 * time gone, the latest kW for the time left. What the operator must act on before the quarter ends.
 */
export function forecastDemandKw(interval: DemandInterval, latestKw: number | null, now: number): number | null {
  const soFar = demandKw(interval);
  if (soFar === null || latestKw === null) return soFar ?? latestKw;
  const gone = Math.min(1, Math.max(0, (now - interval.start) / QUARTER_HOUR_MS));
  return soFar * gone + latestKw * (1 - gone);
}

/**
 * Today's demand as the page stays open: the running 15-minute interval, fed by live kW readings,
 * and the day's peak over the intervals already closed (from the rollups, then from live ones).
 */
export class DemandTracker {
  private interval: DemandInterval;
  private readonly closed = new Map<number, number>();

  constructor(rollups: readonly BucketReading[], now: number) {
    this.interval = demandIntervalFrom(rollups, now);
    for (const bucket of rollups) {
      if (bucket.count > 0 && bucket.ts < this.interval.start) this.closed.set(bucket.ts, bucket.mean);
    }
  }

  fold(ts: number, kW: number): void {
    const next = foldDemand(this.interval, ts, kW);
    if (next.start !== this.interval.start) {
      const finished = demandKw(this.interval);
      if (finished !== null) this.closed.set(this.interval.start, finished);
    }
    this.interval = next;
  }

  get current(): DemandInterval {
    return this.interval;
  }

  /** The highest 15-minute average of the Taipei day of `now`, the running interval included. */
  peak(now: number): number | null {
    const dayStart = taipeiDayStart(now);
    let peak: number | null = null;
    for (const [start, mean] of this.closed) if (start >= dayStart) peak = Math.max(peak ?? mean, mean);
    const running = this.interval.start >= dayStart ? demandKw(this.interval) : null;
    if (running !== null) peak = Math.max(peak ?? running, running);
    return peak;
  }
}

export type DemandLevel = 'normal' | 'near' | 'over';

/** Demand against the contract capacity: "near" from 90%, "over" above 100% (penalised by Taipower). */
export function demandLevel(demand: number, contractKw: number): DemandLevel {
  const ratio = demand / contractKw;
  if (ratio > 1) return 'over';
  if (ratio >= 0.9) return 'near';
  return 'normal';
}
