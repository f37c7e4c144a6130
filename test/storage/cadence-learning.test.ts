import { Database } from '@hallwatch/db';
import { CadenceLearner, ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { BACKENDS, createMeterPoints, createTestDatabase, TestDatabase } from '@hallwatch/testing';

/**
 * A register whose registry entry sets no expected interval gets one learned from its own cadence
 * (docs/rollups.md, "Gaps"). Expected numbers are worked out by hand in the comments.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;

interface DayOrQuarter {
  bucket: number;
  consumption: number;
  flags: number;
  estimated: number;
}

describe.each(BACKENDS)('learned register cadence on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let repo: ReadingRepository;
  let refresher: RollupRefresher;
  let learner: CadenceLearner;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    repo = new ReadingRepository(db, db);
    refresher = new RollupRefresher(db);
    learner = new CadenceLearner(db, repo, new RegistryRepository(db));
  }, 60_000);

  afterAll(() => testDb?.drop());

  async function rollups(level: '15m' | '1d', pointId: number): Promise<DayOrQuarter[]> {
    const rows = await db.query<{ bucket: Date; consumption: number; consumption_flags: number; estimated: number }>(
      `select bucket, consumption, consumption_flags, estimated from rollups_${level} where point_id = $1 order by bucket`,
      [pointId],
    );
    return rows.map((row) => ({
      bucket: new Date(row.bucket).getTime(),
      consumption: Number(row.consumption),
      flags: Number(row.consumption_flags),
      estimated: Number(row.estimated),
    }));
  }

  async function learnedSeconds(pointId: number): Promise<number | null> {
    const [row] = await db.query<{ seconds: number | null }>('select learned_interval_seconds as seconds from points where id = $1', [
      pointId,
    ]);
    return row.seconds === null ? null : Number(row.seconds);
  }

  it('learns 15 minutes from a 15-minute meter, so its 45-minute hole becomes an estimate', async () => {
    const [id] = await createMeterPoints(db, 'UTC', [{ kind: 'cumulative' }]);
    const start = Date.parse('2026-03-02T00:00:00Z');
    // Reads every 15 minutes, +10 kWh each, for quarters 0..24; quarters 25 and 26 are missing, so
    // the read at quarter 27 steps +30 kWh over 45 minutes; then quarters 28..31, +10 each.
    const quarters = [...Array.from({ length: 25 }, (_, k) => k), 27, 28, 29, 30, 31];
    await repo.insertBatch(quarters.map((k) => ({ pointId: id, ts: start + k * 15 * MINUTE, value: 1_000 + 10 * k, flags: 0 })));
    await refresher.drain();

    // Before learning, the default hour is expected: 45 minutes is no gap.
    const hole = (rows: DayOrQuarter[]) =>
      rows.filter((row) => row.bucket >= start + 24 * 15 * MINUTE && row.bucket < start + 27 * 15 * MINUTE);
    expect(hole(await rollups('15m', id))).toEqual(
      [24, 25, 26].map((k) => ({ bucket: start + k * 15 * MINUTE, consumption: 10, flags: 0, estimated: 0 })),
    );

    // 29 steps: 28 of 900 s and one of 2,700 s; the median is 900 s.
    expect(await learner.learn()).toContain(id);
    expect(await learnedSeconds(id)).toBe(900);
    await refresher.drain();

    const after = await rollups('15m', id);
    // 2,700 s > 2 x 900 s: the hole's 30 kWh are spread evenly over its three quarters and flagged as estimated.
    expect(hole(after)).toEqual([24, 25, 26].map((k) => ({ bucket: start + k * 15 * MINUTE, consumption: 10, flags: 1, estimated: 10 })));
    const elsewhere = after.filter((row) => !hole(after).includes(row));
    expect(elsewhere.every((row) => row.flags === 0 && row.estimated === 0)).toBe(true);
    expect(after.reduce((sum, row) => sum + row.consumption, 0)).toBeCloseTo(310, 9); // 31 quarters x 10 kWh

    // Nothing new to learn: the next pass changes nothing and logs nothing.
    expect(await learner.learn()).not.toContain(id);
  }, 120_000);

  it('learns a day from daily midnight reads, so only the 4-day outage is an estimate', async () => {
    const [id] = await createMeterPoints(db, 'Asia/Taipei', [{ kind: 'cumulative' }]);
    const midnight = Date.parse('2016-03-01T00:00:00+08:00');
    // Reads at local midnight of days 0..24 (+100 kWh a day), none on days 25..27, then day 28 (+400 over
    // four days) and day 29 (+100).
    const days = [...Array.from({ length: 25 }, (_, d) => d), 28, 29];
    await repo.insertBatch(days.map((d) => ({ pointId: id, ts: midnight + d * DAY, value: 50_000 + 100 * d, flags: 0 })));
    await refresher.drain();

    // Before learning, every daily step is longer than twice the default hour: all of it estimated.
    const before = await rollups('1d', id);
    expect(before.slice(0, 28).every((day) => day.flags === 1 && Math.abs(day.estimated - 100) < 1e-6)).toBe(true);

    // 26 steps: 25 of one day, one of four; the median is 86,400 s.
    expect(await learner.learn()).toContain(id);
    expect(await learnedSeconds(id)).toBe(86_400);
    await refresher.drain();

    const after = await rollups('1d', id);
    expect(after).toHaveLength(30);
    after.forEach((day, d) => {
      expect(day.bucket).toBe(midnight + d * DAY);
      // The read at day d+1's midnight closes day d; day 29 holds the last read and nothing counted yet.
      const expected =
        d === 29
          ? { consumption: 0, flags: 0, estimated: 0 }
          : d >= 24 && d <= 27
            ? { consumption: 100, flags: 1, estimated: 100 }
            : { consumption: 100, flags: 0, estimated: 0 };
      expect(day.flags).toBe(expected.flags);
      expect(day.consumption).toBeCloseTo(expected.consumption, 6);
      expect(day.estimated).toBeCloseTo(expected.estimated, 6);
    });
  }, 120_000);

  it('leaves a register alone whose registry sets its interval, and one with too few readings', async () => {
    const [set, young] = await createMeterPoints(db, 'UTC', [
      { kind: 'cumulative', attributes: { expectedIntervalSeconds: 3_600 } },
      { kind: 'cumulative' },
    ]);
    const start = Date.parse('2026-04-01T00:00:00Z');
    await repo.insertBatch([
      ...Array.from({ length: 40 }, (_, k) => ({ pointId: set, ts: start + k * MINUTE, value: k, flags: 0 })),
      // 20 readings are 19 steps: one short of learning.
      ...Array.from({ length: 20 }, (_, k) => ({ pointId: young, ts: start + k * MINUTE, value: k, flags: 0 })),
    ]);
    const learned = await learner.learn();
    expect(learned).not.toContain(set);
    expect(learned).not.toContain(young);
    expect(await learnedSeconds(set)).toBeNull();
    expect(await learnedSeconds(young)).toBeNull();
    // One more reading makes 20 steps: now it learns.
    await repo.insertBatch([{ pointId: young, ts: start + 20 * MINUTE, value: 20, flags: 0 }]);
    expect(await learner.learn()).toContain(young);
    expect(await learnedSeconds(young)).toBe(60);
  }, 120_000);
});
