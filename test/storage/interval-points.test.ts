import { Database } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { BACKENDS, createMeterPoints, createTestDatabase, TestDatabase, testSite } from '@hallwatch/testing';
import { bulkLoadCsv } from '../../apps/ingest/src/backfill/csv-bulk';

/**
 * Interval points (docs/rollups.md, "Interval points"): utility interval data, each reading the
 * amount used over the interval ending at its timestamp. Expected numbers are worked by hand.
 */

const at = (iso: string) => Date.parse(iso);
const QUARTER_MS = 15 * 60_000;
const CLOSE = 1e-9;

describe.each(BACKENDS)('interval points on %s', (backend) => {
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

  const rows = (level: '15m' | '1h' | '1d', pointId: number) =>
    db.query<{ bucket: Date; count: number; consumption: number | null; estimated: number | null; tw_sum: number | null }>(
      `select bucket, count, consumption, estimated, tw_sum from rollups_${level} where point_id = $1 order by bucket`,
      [pointId],
    );

  it('books 15-minute amounts in their own quarter-hours and leaves a missing hour missing, not 0', async () => {
    const [pointId] = await createMeterPoints(db, 'Asia/Taipei', [{ kind: 'interval', attributes: {} }]);
    // 2025-06-02 in Taipei: 96 intervals ending 00:15 ... 24:00, 10 kWh each, except the four
    // of 09:00-10:00 (ending 09:15, 09:30, 09:45, 10:00): 92 x 10 = 920 kWh.
    const dayStart = at('2025-06-02T00:00:00+08:00');
    const readings = [];
    for (let k = 1; k <= 96; k++) {
      const end = dayStart + k * QUARTER_MS;
      if (end > at('2025-06-02T09:00:00+08:00') && end <= at('2025-06-02T10:00:00+08:00')) continue;
      readings.push({ pointId, ts: end, value: 10, flags: 0 });
    }
    // delivered backwards in two batches: the order changes nothing
    await repo.insertBatch(readings.slice(46).reverse());
    await repo.insertBatch(readings.slice(0, 46).reverse());
    await refresher.drain();

    const days = await rows('1d', pointId);
    // one day only: the amount stamped 2025-06-03 00:00 is the last quarter of June 2, not a 0 kWh June 3
    expect(days.map((row) => row.bucket.getTime())).toEqual([at('2025-06-02T00:00:00+08:00')]);
    expect(days[0].count).toBe(92);
    expect(days[0].consumption).toBeCloseTo(920, 9);
    expect(days[0].estimated).toBe(0);
    expect(days[0].tw_sum).toBeNull();

    const hours = await rows('1h', pointId);
    expect(hours.map((row) => row.bucket.getTime())).not.toContain(at('2025-06-02T09:00:00+08:00'));
    expect(hours).toHaveLength(23);
    const lastQuarter = (await rows('15m', pointId)).at(-1)!;
    expect(lastQuarter.bucket.getTime()).toBe(at('2025-06-02T23:45:00+08:00'));
    expect(lastQuarter.count).toBe(1);
    expect(lastQuarter.consumption).toBeCloseTo(10, 9);
  });

  it('splits an hourly amount over its four quarter-hours, and over the hours of two days when it crosses midnight', async () => {
    const [pointId] = await createMeterPoints(db, 'Asia/Taipei', [{ kind: 'interval', attributes: { intervalSeconds: 3600 } }]);
    // 40 kWh over 23:30-00:30 local (ending 00:30): 20 on June 2 (23:30-24:00), 20 on June 3.
    await repo.insertBatch([{ pointId, ts: at('2025-06-03T00:30:00+08:00'), value: 40, flags: 0 }]);
    await refresher.drain();
    const quarters = await rows('15m', pointId);
    expect(quarters.map((row) => [row.bucket.getTime(), row.consumption])).toEqual([
      [at('2025-06-02T23:30:00+08:00'), 10],
      [at('2025-06-02T23:45:00+08:00'), 10],
      [at('2025-06-03T00:00:00+08:00'), 10],
      [at('2025-06-03T00:15:00+08:00'), 10],
    ]);
    const days = await rows('1d', pointId);
    expect(days.map((row) => [row.bucket.getTime(), row.consumption])).toEqual([
      [at('2025-06-02T00:00:00+08:00'), 20],
      [at('2025-06-03T00:00:00+08:00'), 20],
    ]);
    expect(days.map((row) => row.count)).toEqual([0, 1]);
  });

  it('extends live interval data through the append path and gives the same day as one recompute', async () => {
    const [live, once] = await createMeterPoints(db, 'Asia/Taipei', [
      { kind: 'interval', attributes: {} },
      { kind: 'interval', attributes: {} },
    ]);
    const start = at('2025-07-01T00:00:00+08:00');
    const amounts = Array.from({ length: 40 }, (_, k) => ({ ts: start + (k + 1) * QUARTER_MS, value: 1 + (k % 5) }));
    const appendedBefore = refresher.passCounts.appendedPoints;
    for (const amount of amounts) {
      await repo.insertBatch([{ pointId: live, ...amount, flags: 0 }]);
      await refresher.refreshPending();
    }
    await repo.insertBatch(amounts.map((amount) => ({ pointId: once, ...amount, flags: 0 })));
    await refresher.drain();
    expect(refresher.passCounts.appendedPoints - appendedBefore).toBeGreaterThanOrEqual(38);
    // 40 amounts cycling 1..5: eight cycles of 15 = 120 kWh
    const [liveDay] = await rows('1d', live);
    const [onceDay] = await rows('1d', once);
    expect(liveDay.consumption).toBeCloseTo(120, 9);
    expect(Math.abs(liveDay.consumption! - onceDay.consumption!)).toBeLessThan(CLOSE);
    expect(liveDay.count).toBe(40);
  });

  it('loads a CSV of interval data with a missing day as amounts: the day stays missing, the others exact', async () => {
    const site = testSite(`interval-csv-${backend}`.replace(/[^a-z0-9-]/g, '-'));
    site.assets[0].points.push({ key: 'kWh-15m', kind: 'interval', unit: 'kWh', tags: [], attributes: {} });
    await new RegistryRepository(db).applySites([site], 'registry');
    // 2015-03-01 .. 2015-03-03 (Taipei), 15-minute intervals of 5 kWh, with March 2 missing entirely
    const lines = ['asset,point,start,end,value'];
    for (const day of ['2015-03-01', '2015-03-03']) {
      const dayStart = at(`${day}T00:00:00+08:00`);
      for (let k = 0; k < 96; k++) {
        const start = new Date(dayStart + k * QUARTER_MS).toISOString();
        const end = new Date(dayStart + (k + 1) * QUARTER_MS).toISOString();
        lines.push(`main-incomer,kWh-15m,${start},${end},5`);
      }
    }
    // an hourly line on a 15-minute point is refused, with the reason
    lines.push('main-incomer,kWh-15m,2015-03-04T00:00:00+08:00,2015-03-04T01:00:00+08:00,20');
    const outcome = await bulkLoadCsv(db, lines.join('\n'), { site: site.key });
    expect(outcome.layout).toBe('intervals');
    expect(outcome.stored).toBe(192);
    expect(outcome.problems).toEqual([{ line: 194, problem: `this interval is 60 min long; ${site.key}/main-incomer/kWh-15m holds 15 min amounts` }]);
    await refresher.drain();

    const pointId = (await new RegistryRepository(db).findPointAddress(site.key, 'main-incomer', 'kWh-15m'))!.pointId;
    const days = await rows('1d', pointId);
    // 96 x 5 = 480 kWh on March 1 and March 3; no row at all for March 2
    expect(days.map((row) => [row.bucket.getTime(), row.consumption])).toEqual([
      [at('2015-03-01T00:00:00+08:00'), 480],
      [at('2015-03-03T00:00:00+08:00'), 480],
    ]);
  });
});
