import { Reading } from '@hallwatch/domain';
import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { PointDefinition, RegistryRepository } from '@hallwatch/registry';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;
const TEN = at('2025-07-01T10:00:00+08:00');
const SITE = 'rollup-reads';

/** Readings of a point every 5 minutes from 10:00, values as given. */
const everyFiveMinutes = (pointId: number, values: number[]): Reading[] =>
  values.map((value, i) => ({ pointId, ts: TEN + i * 5 * MINUTE, value, flags: 0 }));

const register = (key: string): PointDefinition => ({ key, kind: 'cumulative', unit: 'kWh', tags: [], attributes: {} });
const gauge = (key: string): PointDefinition => ({ key, kind: 'gauge', unit: '', tags: [], attributes: {} });

/** The reads of the rollup tables that no other suite holds to hand-counted numbers. */
describe.each(BACKENDS)('RollupRepository on %s', (backend) => {
  let testDb: TestDatabase;
  let rollups: RollupRepository;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites(
      [
        {
          key: SITE,
          name: 'Rollup reads',
          timezone: 'Asia/Taipei',
          attributes: {},
          opcua: [],
          assets: [
            {
              key: 'main-a',
              name: 'Main A',
              type: 'electricity-meter',
              tags: ['elec', 'meter', 'siteMeter'],
              attributes: {},
              points: [register('kWh')],
            },
            {
              key: 'main-b',
              name: 'Main B',
              type: 'electricity-meter',
              tags: ['elec', 'meter', 'siteMeter'],
              attributes: {},
              points: [register('kWh')],
            },
            { key: 'pump', name: 'Pump', type: 'pump', tags: [], attributes: {}, points: [gauge('running'), gauge('flow')] },
          ],
        },
      ],
      'registry',
    );
    for (const address of await registry.allPointAddresses()) ids[`${address.asset}/${address.point}`] = address.pointId;
    await new ReadingRepository(testDb.db, testDb.db).insertBatch([
      // Main A reads the whole hour 10:00-10:55, main B only its first half hour.
      ...everyFiveMinutes(
        ids['main-a/kWh'],
        Array.from({ length: 12 }, (_, i) => 100 + i),
      ),
      ...everyFiveMinutes(ids['main-b/kWh'], [200, 201, 202, 203, 204, 205]),
      // Running 10:00-11:30, stopped 11:30-13:00: 1 hour + half of the next, one reading a quarter hour.
      ...[1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0].map((value, i) => ({
        pointId: ids['pump/running'],
        ts: TEN + i * 15 * MINUTE,
        value,
        flags: 0,
      })),
      // Flow 10:00-10:25, then nothing until 11:00.
      ...everyFiveMinutes(ids['pump/flow'], [10, 20, 30, 40, 50, 60]),
      { pointId: ids['pump/flow'], ts: TEN + 60 * MINUTE, value: 70, flags: 0 },
    ]);
    await new RollupRefresher(testDb.db).drain();
    rollups = new RollupRepository(testDb.db);
  }, 120_000);

  afterAll(() => testDb?.drop());

  it('counts the running hours of a 0/1 point as the mean of each hour', async () => {
    expect(await rollups.runHours(SITE, 'pump', 'running')).toBeCloseTo(1.5, 9);
  });

  it('gives the means of the quarter hours with readings of their own, not of those a value is only held across', async () => {
    const means = await rollups.quarterHourMeans(SITE, 'pump', 'flow', new Date(TEN), new Date(TEN + 2 * 60 * MINUTE));
    expect(means.map((row) => [row.ts, row.value])).toEqual([
      [TEN, 20],
      [TEN + 15 * MINUTE, 50],
      [TEN + 60 * MINUTE, 70],
    ]);
  });

  it('counts a quarter hour as measured only when every main meter measured it', async () => {
    expect(await rollups.measuredQuarters(SITE, 'electricity', new Date(TEN), new Date(TEN + 60 * MINUTE))).toBe(2);
    expect(await rollups.measuredQuarters(SITE, 'electricity', new Date(TEN), new Date(TEN + 15 * MINUTE))).toBe(1);
  });

  it('spans the first to the last reading of the main meters in the buckets asked for', async () => {
    expect(await rollups.readingSpan(SITE, 'electricity', new Date(TEN), new Date(TEN + 60 * MINUTE))).toEqual({
      first: TEN,
      last: TEN + 55 * MINUTE,
    });
    expect(await rollups.readingSpan(SITE, 'electricity', new Date(TEN + 30 * MINUTE), null)).toEqual({
      first: TEN + 30 * MINUTE,
      last: TEN + 55 * MINUTE,
    });
    expect(await rollups.readingSpan(SITE, 'electricity', new Date(TEN + 60 * MINUTE), null)).toEqual({ first: null, last: null });
  });
});
