import type { BucketReading } from '../api/api-types';
import { demandKw, demandLevel, DemandTracker, foldDemand, forecastDemandKw, registerDelta, taipeiDayStart, todayKwh } from './energy';

const at = (iso: string) => Date.parse(iso);
const bucket = (iso: string, first: number, last: number, count = 15): BucketReading => ({
  ts: at(iso),
  first,
  last,
  count,
  mean: (first + last) / 2,
  min: Math.min(first, last),
  max: Math.max(first, last),
  sum: ((first + last) / 2) * count,
});
const kwBucket = (iso: string, mean: number, count = 60): BucketReading => ({
  ts: at(iso),
  mean,
  min: mean,
  max: mean,
  first: mean,
  last: mean,
  count,
  sum: mean * count,
});

describe('taipeiDayStart', () => {
  it.each([
    ['2025-07-01T10:05:00+08:00', '2025-07-01T00:00:00+08:00'],
    ['2025-07-01T00:00:00+08:00', '2025-07-01T00:00:00+08:00'],
    ['2025-07-01T23:59:59+08:00', '2025-07-01T00:00:00+08:00'],
    ['2025-06-30T16:00:00Z', '2025-07-01T00:00:00+08:00'],
  ])('puts %s on the Taipei day starting %s', (ts, start) => {
    expect(taipeiDayStart(at(ts))).toBe(at(start));
  });
});

describe('registerDelta', () => {
  it.each([
    ['a normal advance', 100, 130.5, undefined, 30.5],
    ['no change', 100, 100, undefined, 0],
    ['a wrap at the rollover value', 4294960, 5, 4294967.295, 12.295],
    ['a reset to zero without a rollover value', 1250000, 3, undefined, 0],
    ['a replacement meter starting low, far from the rollover', 1250000, 3, 4294967.295, 0],
    ['a small backwards step (re-read)', 100, 99.9, 4294967.295, 0],
  ])('counts %s', (_case, previous, next, rolloverAt, expected) => {
    expect(registerDelta(previous, next, rolloverAt)).toBeCloseTo(expected, 6);
  });
});

describe('todayKwh', () => {
  const now = at('2025-07-01T10:20:00+08:00');

  it('is the register advance from the first reading of the Taipei day to the live value', () => {
    const rollups = [
      bucket('2025-07-01T00:00:00+08:00', 1000, 1100),
      bucket('2025-07-01T00:15:00+08:00', 1101, 1200),
      bucket('2025-07-01T10:15:00+08:00', 5000, 5010),
    ];
    expect(todayKwh(rollups, { ts: at('2025-07-01T10:19:30+08:00'), value: 5020 }, now)).toBeCloseTo(4020);
  });

  it('ignores yesterday, and a live value older than the newest rollup', () => {
    const rollups = [bucket('2025-06-30T23:45:00+08:00', 500, 999), bucket('2025-07-01T10:00:00+08:00', 1000, 1040)];
    expect(todayKwh(rollups, { ts: at('2025-07-01T09:59:00+08:00'), value: 990 }, now)).toBe(40);
    expect(todayKwh(rollups, undefined, now)).toBe(40);
  });

  it('counts a register wrap in the middle of the day', () => {
    const rollups = [bucket('2025-07-01T08:00:00+08:00', 4294900, 4294960), bucket('2025-07-01T08:15:00+08:00', 10, 70)];
    expect(todayKwh(rollups, undefined, now, 4294967.295)).toBeCloseTo(60 + 17.295 + 60, 3);
  });

  it('starts from the live value when no rollup of today exists yet', () => {
    expect(todayKwh([], { ts: at('2025-07-01T00:00:05+08:00'), value: 1000 }, at('2025-07-01T00:00:06+08:00'))).toBe(0);
    expect(todayKwh([], undefined, now)).toBeNull();
  });
});

describe('15-minute demand', () => {
  it('folds live readings into the running interval and starts a new one at the boundary', () => {
    let interval = { start: at('2025-07-01T10:15:00+08:00'), sum: 4000, count: 10 };
    interval = foldDemand(interval, at('2025-07-01T10:20:00+08:00'), 510);
    expect(demandKw(interval)).toBeCloseTo(410);
    interval = foldDemand(interval, at('2025-07-01T10:14:59+08:00'), 9999);
    expect(interval.count).toBe(11);
    interval = foldDemand(interval, at('2025-07-01T10:30:00+08:00'), 300);
    expect(interval).toEqual({ start: at('2025-07-01T10:30:00+08:00'), sum: 300, count: 1 });
    expect(demandKw({ start: 0, sum: 0, count: 0 })).toBeNull();
  });

  it('tracks the running interval from the rollups and the peak of the day', () => {
    const rollups = [
      kwBucket('2025-06-30T23:45:00+08:00', 5000),
      kwBucket('2025-07-01T09:45:00+08:00', 3500),
      kwBucket('2025-07-01T10:00:00+08:00', 3600),
      kwBucket('2025-07-01T10:15:00+08:00', 3000, 5),
    ];
    const tracker = new DemandTracker(rollups, at('2025-07-01T10:20:00+08:00'));
    expect(tracker.current).toEqual({ start: at('2025-07-01T10:15:00+08:00'), sum: 15000, count: 5 });
    expect(tracker.peak(at('2025-07-01T10:20:00+08:00'))).toBe(3600);

    tracker.fold(at('2025-07-01T10:21:00+08:00'), 6000);
    expect(demandKw(tracker.current)).toBe(3500);
    tracker.fold(at('2025-07-01T10:30:00+08:00'), 3000);
    tracker.fold(at('2025-07-01T10:31:00+08:00'), 3100);
    // The finished 10:15 interval (3,500) stays in the peak; 10:00's 3,600 is still higher.
    expect(tracker.peak(at('2025-07-01T10:31:00+08:00'))).toBe(3600);
    tracker.fold(at('2025-07-01T10:32:00+08:00'), 7000);
    expect(tracker.peak(at('2025-07-01T10:32:00+08:00'))).toBeCloseTo(13100 / 3);
  });

  it('forgets yesterday at midnight', () => {
    const tracker = new DemandTracker([kwBucket('2025-06-30T23:45:00+08:00', 5000, 10)], at('2025-06-30T23:50:00+08:00'));
    tracker.fold(at('2025-07-01T00:00:10+08:00'), 1000);
    expect(tracker.peak(at('2025-07-01T00:00:10+08:00'))).toBe(1000);
  });

  it.each([
    [5000, 6000, 'normal'],
    [5400, 6000, 'near'],
    [6000, 6000, 'near'],
    [6001, 6000, 'over'],
  ])('rates %p kW against a %p kW contract as %p', (demand, contract, level) => {
    expect(demandLevel(demand, contract)).toBe(level);
  });
});

describe('forecastDemandKw', () => {
  const start = Date.parse('2025-07-01T10:15:00+08:00');
  it('weighs the average so far by the time gone and the latest kW by the time left', () => {
    // 5 of 15 minutes at 3,000 kW average, now drawing 6,000 kW: 3,000 × 1/3 + 6,000 × 2/3.
    expect(forecastDemandKw({ start, sum: 30_000, count: 10 }, 6000, start + 5 * 60_000)).toBeCloseTo(5000);
  });
  it('is the average once the quarter is over, and the latest kW before any reading', () => {
    expect(forecastDemandKw({ start, sum: 30_000, count: 10 }, 6000, start + 20 * 60_000)).toBeCloseTo(3000);
    expect(forecastDemandKw({ start, sum: 0, count: 0 }, 4200, start)).toBe(4200);
  });
});
