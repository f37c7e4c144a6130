import { historyLoadPlan, newestFirstChunks, PlannedReading } from './demo-history-plan';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const REGISTER = 1;
const GAUGE = 2;

/** Readings of a register and a gauge at every tick. */
function readingsAt(ticks: number[]): PlannedReading[] {
  return ticks.flatMap((ts) => [
    { pointId: REGISTER, ts, value: ts / HOUR, flags: 0, register: true },
    { pointId: GAUGE, ts, value: 20, flags: 0, register: false },
  ]);
}

const hours = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i * HOUR);

describe('newestFirstChunks', () => {
  it('cuts about `size` readings a chunk, newest first, never between the readings of one tick', () => {
    const chunks = newestFirstChunks(readingsAt(hours(0, 5)), 3);
    // 10 readings, two a tick: a chunk closes at the first tick boundary at or past 3 readings.
    expect(chunks.map((chunk) => chunk.map((reading) => reading.ts / HOUR))).toEqual([
      [4, 4, 3, 3],
      [2, 2, 1, 1],
      [0, 0],
    ]);
    expect(chunks[0][0]).toEqual({ pointId: REGISTER, ts: 4 * HOUR, value: 4, flags: 0 });
  });
});

describe('historyLoadPlan', () => {
  it('without a hole: everything after the live simulator starts, newest first', () => {
    const plan = historyLoadPlan(readingsAt(hours(0, 48)), 10);
    expect(plan.beforeLive).toEqual([]);
    expect(plan.horizon).toBeUndefined();
    expect(plan.afterLive.flat()).toHaveLength(96);
    expect(plan.afterLive[0][0].ts).toBe(47 * HOUR);
    expect(plan.afterLive.at(-1)!.at(-1)!.ts).toBe(0);
  });

  it('with a hole: the older registers first, final before the recent part; then the recent part newest first; the older gauges last', () => {
    const older = hours(0, 24);
    const recentStart = 400 * DAY;
    const recent = hours(recentStart, 24);
    const plan = historyLoadPlan(readingsAt([...older, ...recent]), 10);

    const before = plan.beforeLive.flat();
    expect(before).toHaveLength(24);
    expect(new Set(before.map((reading) => reading.pointId))).toEqual(new Set([REGISTER]));
    expect(before[0].ts).toBe(23 * HOUR);
    expect(plan.horizon).toEqual({ pointIds: [REGISTER], purgedBefore: recentStart });

    const after = plan.afterLive.flat();
    // 24 recent ticks of both points, then the older part's gauge.
    expect(after.slice(0, 48).every((reading) => reading.ts >= recentStart)).toBe(true);
    expect(after[0].ts).toBe(recentStart + 23 * HOUR);
    expect(after.slice(48)).toHaveLength(24);
    expect(after.slice(48).every((reading) => reading.pointId === GAUGE && reading.ts < recentStart)).toBe(true);
    // Every reading once.
    expect(before.length + after.length).toBe(96);
  });
});
