import { Database } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { BACKENDS, createMeterPoints, createTestDatabase, RollupAttributes, TestDatabase } from '@hallwatch/testing';

/**
 * Real-world rollup cases with their numbers worked out by hand (docs/rollups.md). No expected
 * value here is computed by code: they are literals, or literals added up in a comment.
 */

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const DAY_MS = 86_400_000;
/** Consumption is split in proportion to time: a day's 96 shares add up to the day within rounding. */
const CLOSE = 1e-6;

type Level = '15m' | '1h' | '1d';
interface Row {
  bucket: number;
  count: number;
  sum: number;
  firstTs: number | null;
  firstValue: number | null;
  lastTs: number | null;
  lastValue: number | null;
  consumption: number | null;
  consumptionFlags: number;
  estimated: number | null;
  twSum: number | null;
  twSeconds: number | null;
}

describe.each(BACKENDS)('rollup regressions on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let repo: ReadingRepository;
  let refresher: RollupRefresher;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    repo = new ReadingRepository(db, db);
    refresher = new RollupRefresher(db);
  }, 60_000);

  afterAll(() => testDb?.drop());

  /** A point of its own on a site of its own in `timezone`. */
  async function point(timezone: string, kind: 'cumulative' | 'gauge', attributes: RollupAttributes = {}): Promise<number> {
    const [id] = await createMeterPoints(db, timezone, [{ kind, attributes }]);
    return id;
  }

  const reading = (pointId: number, ts: number, value: number) => ({ pointId, ts, value, flags: 0 });

  async function drain(): Promise<void> {
    for (let round = 0; round < 10_000; round++) {
      if ((await refresher.refreshPending()) === 0) return;
    }
    throw new Error('refreshPending() still had work after 10,000 rounds');
  }

  async function rows(level: Level, pointId: number, from = -Infinity, to = Infinity): Promise<Row[]> {
    const result = await db.query<Record<string, unknown>>(
      `select bucket, count, sum, first_ts, first_value, last_ts, last_value, consumption, consumption_flags, estimated, tw_sum, tw_seconds
         from rollups_${level} where point_id = $1 order by bucket`,
      [pointId],
    );
    return result
      .map((row) => ({
        bucket: ms(row.bucket)!,
        count: Number(row.count),
        sum: Number(row.sum),
        firstTs: ms(row.first_ts),
        firstValue: num(row.first_value),
        lastTs: ms(row.last_ts),
        lastValue: num(row.last_value),
        consumption: num(row.consumption),
        consumptionFlags: Number(row.consumption_flags),
        estimated: num(row.estimated),
        twSum: num(row.tw_sum),
        twSeconds: num(row.tw_seconds),
      }))
      .filter((row) => row.bucket >= from && row.bucket < to);
  }

  async function row(level: Level, pointId: number, bucket: string): Promise<Row> {
    const found = (await rows(level, pointId)).find((candidate) => candidate.bucket === at(bucket));
    if (found === undefined) throw new Error(`no ${level} row at ${bucket}`);
    return found;
  }

  const total = (values: Row[]) => values.reduce((sum, value) => sum + value.consumption!, 0);

  it('gives daily register reads at Taipei midnight exact days and the half-year its exact total', async () => {
    // 2015-07-01 .. 2015-12-31: 184 days. Day i (from 0) counts 68,000 + 3i kWh, and the last day
    // 9,801 more: 184 x 68,000 + 3 x (0 + ... + 183) + 9,801 = 12,512,000 + 50,508 + 9,801 = 12,572,309.
    const id = await point('Asia/Taipei', 'cumulative', { expectedIntervalSeconds: 86_400 });
    const firstMidnight = at('2015-07-01T00:00:00+08:00');
    const increments = Array.from({ length: 184 }, (_, i) => 68_000 + 3 * i + (i === 183 ? 9_801 : 0));
    expect(increments.reduce((a, b) => a + b, 0)).toBe(12_572_309);
    const reads = [reading(id, firstMidnight, 1_000_000)];
    increments.forEach((increment, i) => reads.push(reading(id, firstMidnight + (i + 1) * DAY_MS, reads[i].value + increment)));
    expect(reads[184]).toEqual(reading(id, at('2016-01-01T00:00:00+08:00'), 13_572_309));
    // One read a day, as the meter reader sends them.
    for (let i = 0; i < reads.length; i += 7) await repo.insertBatch(reads.slice(i, i + 7));
    await drain();

    const days = await rows('1d', id);
    expect(days).toHaveLength(185);
    const h2 = days.filter((day) => day.bucket < at('2016-01-01T00:00:00+08:00'));
    expect(h2).toHaveLength(184);
    expect(Math.abs(total(h2) - 12_572_309)).toBeLessThan(CLOSE);
    h2.forEach((day, i) => {
      expect(day.bucket).toBe(firstMidnight + i * DAY_MS);
      expect(day).toMatchObject({ count: 1, firstTs: day.bucket, firstValue: reads[i].value, consumptionFlags: 0, estimated: 0 });
      expect(Math.abs(day.consumption! - increments[i])).toBeLessThan(CLOSE);
    });
    expect(Math.abs(days[0].consumption! - 68_000)).toBeLessThan(CLOSE);
    expect(Math.abs(days[183].consumption! - 78_350)).toBeLessThan(CLOSE); // 68,000 + 549 + 9,801
    // The read at 2016-01-01 00:00 closes 2015-12-31: the new year's day has the read and nothing counted yet.
    expect(days[184]).toMatchObject({ bucket: at('2016-01-01T00:00:00+08:00'), count: 1, consumption: 0, consumptionFlags: 0 });
    // Hours and quarter-hours add up to the same total, to the Wh: adding 4,416 hours and 17,664
    // quarter-hours here in double precision loses a few µWh by itself.
    const end = at('2016-01-01T00:00:00+08:00');
    expect(Math.abs(total(await rows('1h', id, firstMidnight, end)) - 12_572_309)).toBeLessThan(1e-3);
    expect(Math.abs(total(await rows('15m', id, firstMidnight, end)) - 12_572_309)).toBeLessThan(1e-3);
  }, 120_000);

  it('spreads an 18-month gap over the gap: each half-year gets its share, not the half-year after it all of it', async () => {
    // Read 2015-07-01 00:00 at 1,000,000 kWh and next 2017-01-01 00:00 at 1,550,000: 550,000 kWh over
    // 550 days (184 in 2015 H2, 182 in 2016 H1, 184 in 2016 H2), 1,000 a day, all estimated.
    const id = await point('Asia/Taipei', 'cumulative', { expectedIntervalSeconds: 86_400 });
    await repo.insertBatch([
      reading(id, at('2015-07-01T00:00:00+08:00'), 1_000_000),
      reading(id, at('2017-01-01T00:00:00+08:00'), 1_550_000),
    ]);
    await drain();
    const half = async (from: string, to: string) => {
      const days = await rows('1d', id, at(from), at(to));
      return {
        days: days.length,
        total: days.reduce((sum, day) => sum + day.consumption!, 0),
        flags: new Set(days.map((d) => d.consumptionFlags)),
      };
    };
    const h2015 = await half('2015-07-01T00:00:00+08:00', '2016-01-01T00:00:00+08:00');
    const h1 = await half('2016-01-01T00:00:00+08:00', '2016-07-01T00:00:00+08:00');
    const h2 = await half('2016-07-01T00:00:00+08:00', '2017-01-01T00:00:00+08:00');
    expect([h2015.days, h1.days, h2.days]).toEqual([184, 182, 184]);
    expect(Math.abs(h2015.total - 184_000)).toBeLessThan(1e-3);
    expect(Math.abs(h1.total - 182_000)).toBeLessThan(1e-3);
    expect(Math.abs(h2.total - 184_000)).toBeLessThan(1e-3);
    expect([...h2015.flags, ...h1.flags, ...h2.flags]).toEqual([1, 1, 1]);
    // The reading that ends the gap closes 2016-12-31; 2017-01-01 holds it and nothing else.
    expect(await row('1d', id, '2017-01-01T00:00:00+08:00')).toMatchObject({ count: 1, consumption: 0, consumptionFlags: 0 });
  }, 120_000);

  it('spreads a 9-day outage of a daily-read meter evenly over the 9 days, flagged and estimated', async () => {
    // 1,000 kWh a day, read at Taipei midnight from 2015-01-01 to 2015-07-01, except that no read
    // came from 2015-03-02 to 2015-03-09: 03-01 -> 03-10 counts 9,450 kWh, 1,050 a day.
    const id = await point('Asia/Taipei', 'cumulative', { expectedIntervalSeconds: 86_400 });
    const first = at('2015-01-01T00:00:00+08:00');
    const outage = { from: at('2015-03-01T00:00:00+08:00'), to: at('2015-03-10T00:00:00+08:00') };
    const reads: Array<ReturnType<typeof reading>> = [];
    let value = 50_000;
    for (let ts = first; ts <= at('2015-07-01T00:00:00+08:00'); ts += DAY_MS) {
      if (ts > outage.from && ts < outage.to) continue;
      if (ts > first) value += ts === outage.to ? 9_450 : 1_000;
      reads.push(reading(id, ts, value));
    }
    expect(reads).toHaveLength(182 - 8);
    expect(reads[reads.length - 1].value).toBe(231_450); // 50,000 + 172 x 1,000 + 9,450
    await repo.insertBatch(reads);
    await drain();

    const days = await rows('1d', id);
    expect(days).toHaveLength(182);
    const outageDays = days.filter((day) => day.bucket >= outage.from && day.bucket < outage.to);
    expect(outageDays.map((day) => day.bucket)).toEqual(Array.from({ length: 9 }, (_, i) => outage.from + i * DAY_MS));
    for (const day of outageDays) {
      expect(Math.abs(day.consumption! - 1_050)).toBeLessThan(CLOSE);
      expect(Math.abs(day.estimated! - 1_050)).toBeLessThan(CLOSE);
      expect(day.consumptionFlags).toBe(1);
    }
    // 2015-03-01 has its read; 03-02 .. 03-09 have none but hold the outage's share.
    expect(outageDays.map((day) => day.count)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
    // Not dumped on the day after the outage: 03-10 is an ordinary day again.
    for (const ordinary of ['2015-02-28T00:00:00+08:00', '2015-03-10T00:00:00+08:00']) {
      const day = await row('1d', id, ordinary);
      expect(day).toMatchObject({ count: 1, consumptionFlags: 0, estimated: 0 });
      expect(Math.abs(day.consumption! - 1_000)).toBeLessThan(CLOSE);
    }
    // Every quarter-hour of the outage: 9,450 / 864 = 10.9375 kWh, all estimated.
    const quarters = await rows('15m', id, outage.from, outage.to);
    expect(quarters).toHaveLength(864);
    for (const quarter of quarters) {
      expect(Math.abs(quarter.consumption! - 10.9375)).toBeLessThan(CLOSE);
      expect(Math.abs(quarter.estimated! - 10.9375)).toBeLessThan(CLOSE);
      expect(quarter.consumptionFlags).toBe(1);
    }
    // The half-year: 181 days, 172 x 1,000 + 9,450 = 181,450 kWh, of it 9,450 estimated.
    const half = days.filter((day) => day.bucket < at('2015-07-01T00:00:00+08:00'));
    expect(half).toHaveLength(181);
    expect(Math.abs(total(half) - 181_450)).toBeLessThan(CLOSE);
    expect(Math.abs(half.reduce((sum, day) => sum + day.estimated!, 0) - 9_450)).toBeLessThan(CLOSE);
  }, 120_000);

  it('counts nothing for a register 0.1 kWh lower than the read before (jitter, flag 32), not 1,250,030', async () => {
    // At 1,250,000 kWh the default noise band is 0.1 % = 1,250 kWh. Taken as a reset, the -0.1 step
    // would book 1,249,999.9 and the quarter 1,250,030.
    const id = await point('Asia/Taipei', 'cumulative', { rolloverAt: 4294967.295 });
    await repo.insertBatch([
      reading(id, at('2025-07-01T10:00:00+08:00'), 1_250_000.0),
      reading(id, at('2025-07-01T10:05:00+08:00'), 1_249_999.9),
      reading(id, at('2025-07-01T10:10:00+08:00'), 1_250_030.0),
    ]);
    await drain();
    for (const [level, bucket] of [
      ['15m', '2025-07-01T10:00:00+08:00'],
      ['1h', '2025-07-01T10:00:00+08:00'],
      ['1d', '2025-07-01T00:00:00+08:00'],
    ] as const) {
      const found = await row(level, id, bucket);
      expect(found).toMatchObject({ count: 3, consumptionFlags: 32, estimated: 0 });
      // 0 for the jitter + (1,250,030.0 - 1,249,999.9) = 30.1
      expect(Math.abs(found.consumption! - 30.1)).toBeLessThan(CLOSE);
    }
  });

  it("refreshes the next quarter's time-weighted mean when a late gauge reading arrives: 8.33 becomes 8.67", async () => {
    const id = await point('Asia/Taipei', 'gauge');
    await repo.insertBatch([reading(id, at('2025-07-01T10:05:00+08:00'), 5), reading(id, at('2025-07-01T10:20:00+08:00'), 10)]);
    await drain();
    // 10:15-10:30: 5 held 5 minutes, 10 held 10 minutes: (5 x 300 + 10 x 600) / 900 = 7,500 / 900 = 8.33
    expect(await row('15m', id, '2025-07-01T10:15:00+08:00')).toMatchObject({ count: 1, twSum: 7_500, twSeconds: 900 });
    expect(await row('15m', id, '2025-07-01T10:00:00+08:00')).toMatchObject({ count: 1, twSum: 3_000, twSeconds: 600 });
    // 10:00 hour: 3,000 + 7,500 + 9,000 + 9,000 over 600 + 900 + 900 + 900 s
    expect(await row('1h', id, '2025-07-01T10:00:00+08:00')).toMatchObject({ count: 2, twSum: 28_500, twSeconds: 3_300 });

    // 6 at 10:12, late: it cuts the 5 at 10:12 and holds until 10:20.
    await repo.insertBatch([reading(id, at('2025-07-01T10:12:00+08:00'), 6)]);
    await drain();
    // (6 x 300 + 10 x 600) / 900 = 7,800 / 900 = 8.67
    const next = await row('15m', id, '2025-07-01T10:15:00+08:00');
    expect(next).toMatchObject({ count: 1, twSum: 7_800, twSeconds: 900 });
    expect(Math.round((next.twSum! / next.twSeconds!) * 100) / 100).toBe(8.67);
    // Its own quarter: 5 x 420 + 6 x 180 = 3,180 over 600 s
    expect(await row('15m', id, '2025-07-01T10:00:00+08:00')).toMatchObject({ count: 2, twSum: 3_180, twSeconds: 600 });
    expect(await row('1h', id, '2025-07-01T10:00:00+08:00')).toMatchObject({ count: 3, twSum: 28_980, twSeconds: 3_300 });
    expect(await row('1d', id, '2025-07-01T00:00:00+08:00')).toMatchObject({ count: 3, sum: 21, consumption: null, estimated: null });
  });

  it('works through a bulk load of months in passes of at most a month of point-time, to the same rollups', async () => {
    // Three gauges read hourly for 20 days: three logged spans of 20 days each. A pass takes the
    // first (20 days) but not the second (40 > 31 days), so it takes one span at a time.
    const ids = await createMeterPoints(db, 'UTC', [{ kind: 'gauge' }, { kind: 'gauge' }, { kind: 'gauge' }]);
    const start = at('2026-02-01T00:00:00Z');
    for (const id of ids) await repo.insertBatch(Array.from({ length: 481 }, (_, h) => reading(id, start + h * 3_600_000, 10)));
    await drain(); // anything logged by other tests first
    expect(await db.query('select 1 from rollup_invalidations')).toHaveLength(0);
    for (const id of ids) await repo.insertBatch(Array.from({ length: 481 }, (_, h) => reading(id, start + h * 3_600_000 + 60_000, 20)));
    expect([await refresher.refreshPending(), await refresher.refreshPending(), await refresher.refreshPending()]).toEqual([1, 1, 1]);
    expect(await refresher.refreshPending()).toBe(0);
    // Each hour holds 10 for a minute and 20 for 59: 1,190 / 60 = 19.83 a minute-weighted mean; the day 24 times that.
    for (const id of ids) {
      const day = await row('1d', id, '2026-02-02T00:00:00Z');
      expect(day.count).toBe(48);
      expect(day.twSeconds).toBe(86_400);
      expect(day.twSum! / day.twSeconds!).toBeCloseTo(1_190 / 60, 9);
    }
  }, 120_000);

  it("takes a live stream's spans of many batches in one pass, and counts each far-apart span as a quarter-hour", async () => {
    await drain(); // anything logged by other tests first
    // 40 gauges read every second for 100 s, one stored batch a second: 4,000 logged spans.
    // Point-time: each point's first span 900 s, its next 99 one second each (near the one before):
    // 40 x (900 + 99) = 39,960 s, far under 31 days (2,678,400 s), so one pass takes all 4,000.
    const live = await createMeterPoints(
      db,
      'UTC',
      Array.from({ length: 40 }, () => ({ kind: 'gauge' as const })),
    );
    const start = at('2026-03-01T08:00:00Z');
    for (let second = 0; second < 100; second++) await repo.insertBatch(live.map((id) => reading(id, start + second * 1_000, second)));
    expect(await refresher.refreshPending()).toBe(4_000);
    expect(await refresher.refreshPending()).toBe(0);
    // 0 + 1 + ... + 99 = 4,950
    expect(await row('15m', live[0], '2026-03-01T08:00:00Z')).toMatchObject({ count: 100, sum: 4_950 });

    // One gauge's back-fill with readings two hours apart: 3,000 spans, each far from the one before,
    // each a quarter-hour: a pass takes 2,678,400 / 900 = 2,976 of them, the next pass the other 24.
    const [sparse] = await createMeterPoints(db, 'UTC', [{ kind: 'gauge' }]);
    await repo.insertBatch(Array.from({ length: 3_000 }, (_, i) => reading(sparse, start + i * 2 * 3_600_000, 1)));
    expect([await refresher.refreshPending(), await refresher.refreshPending(), await refresher.refreshPending()]).toEqual([2_976, 24, 0]);
  }, 120_000);

  it('gives two concurrent writers appending to one quarter-hour of a register 20, not 30', async () => {
    // 0, 10, 20 at 10:01, 10:05, 10:10: two steps of 10. Every way of splitting them over two writers.
    const splits: Array<[number[], number[]]> = [
      [[0, 2], [1]],
      [[1], [0, 2]],
      [[2], [0, 1]],
      [[0, 1], [2]],
      [[1, 2], [0]],
      [[0], [1, 2]],
    ];
    for (const refreshWhileWriting of [false, true]) {
      for (const [a, b] of splits) {
        const id = await point('Asia/Taipei', 'cumulative');
        const reads = [
          reading(id, at('2025-07-01T10:01:00+08:00'), 0),
          reading(id, at('2025-07-01T10:05:00+08:00'), 10),
          reading(id, at('2025-07-01T10:10:00+08:00'), 20),
        ];
        await Promise.all(
          [a, b].map(async (indexes) => {
            await repo.insertBatch(indexes.map((i) => reads[i]));
            if (refreshWhileWriting) await refresher.refreshPending();
          }),
        );
        await drain();
        const quarter = await row('15m', id, '2025-07-01T10:00:00+08:00');
        expect(quarter).toMatchObject({
          count: 3,
          sum: 30,
          firstTs: at('2025-07-01T10:01:00+08:00'),
          firstValue: 0,
          lastTs: at('2025-07-01T10:10:00+08:00'),
          lastValue: 20,
          consumption: 20,
          consumptionFlags: 0,
        });
        expect(await row('1h', id, '2025-07-01T10:00:00+08:00')).toMatchObject({ count: 3, consumption: 20 });
        expect(await row('1d', id, '2025-07-01T00:00:00+08:00')).toMatchObject({ count: 3, consumption: 20 });
        const [{ stored }] = await db.query<{ stored: number }>('select count(*)::int as stored from readings where point_id = $1', [id]);
        expect(stored).toBe(3);
      }
    }
  });

  it.each([
    // [local day, its midnight, the next midnight, hours]
    ['2025-11-02 (clocks back: 25 hours)', '2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z', 25],
    ['2025-03-09 (clocks forward: 23 hours)', '2025-03-09T05:00:00Z', '2025-03-10T04:00:00Z', 23],
    ['2025-03-10 (24 hours)', '2025-03-10T04:00:00Z', '2025-03-11T04:00:00Z', 24],
  ])('gives an America/New_York day exactly its own readings: %s', async (_day, midnight, nextMidnight, hours) => {
    const gauge = await point('America/New_York', 'gauge');
    const register = await point('America/New_York', 'cumulative', { expectedIntervalSeconds: 900 });
    // A reading every 15 minutes (gauge 1 each, register +1 each) from 24 hours before the day's
    // midnight to 24 hours after the next one.
    const reads: Array<ReturnType<typeof reading>> = [];
    for (let ts = at(midnight) - DAY_MS, i = 0; ts < at(nextMidnight) + DAY_MS; ts += 15 * MINUTE, i++) {
      reads.push(reading(gauge, ts, 1), reading(register, ts, i));
    }
    await repo.insertBatch(reads);
    await drain();

    const quarters = hours * 4;
    expect(await row('1d', gauge, midnight)).toMatchObject({
      count: quarters,
      sum: quarters,
      firstTs: at(midnight),
      lastTs: at(nextMidnight) - 15 * MINUTE,
      twSum: hours * 3600,
      twSeconds: hours * 3600,
      consumption: null,
    });
    // The register's steps ending in (midnight, next midnight]: one per quarter-hour of the day.
    expect(await row('1d', register, midnight)).toMatchObject({
      count: quarters,
      consumption: quarters,
      consumptionFlags: 0,
      estimated: 0,
      twSum: null,
    });
    const hourRows = await rows('1h', gauge, at(midnight), at(nextMidnight));
    expect(hourRows.map((hour) => hour.bucket)).toEqual(Array.from({ length: hours }, (_, i) => at(midnight) + i * 60 * MINUTE));
    expect(hourRows.every((hour) => hour.count === 4 && hour.twSeconds === 3600)).toBe(true);
    // The days either side begin at their own local midnights.
    const dayBuckets = (await rows('1d', gauge)).map((day) => new Date(day.bucket).toISOString());
    expect(dayBuckets).toContain(new Date(at(nextMidnight)).toISOString());
  });
});

const num = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
const ms = (value: unknown): number | null =>
  value === null || value === undefined ? null : value instanceof Date ? value.getTime() : Date.parse(value as string);
