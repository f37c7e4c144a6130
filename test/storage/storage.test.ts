import { AppConfig } from '@hallwatch/config';
import { Reading, ReadingFlags } from '@hallwatch/domain';
import { DeadLetterRepository, ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

const at = (iso: string) => Date.parse(iso);

/** 2025-07-01 10:00-11:59 Taipei, one reading a minute, value = minute index. */
function cleanDay(pointId: number): Reading[] {
  const start = at('2025-07-01T10:00:00+08:00');
  return Array.from({ length: 120 }, (_, minute) => ({ pointId, ts: start + minute * 60_000, value: minute, flags: ReadingFlags.none }));
}

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const copy = [...items];
  let state = seed;
  for (let i = copy.length - 1; i > 0; i--) {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    const j = state % (i + 1);
    [copy[i], copy[j]] = [copy[j], copy[i]];
  }
  return copy;
}

describe.each(BACKENDS)('storage on %s', (backend) => {
  let testDb: TestDatabase;
  let readings: ReadingRepository;
  let rollups: RollupRepository;
  let pointA: number;
  let pointB: number;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites(
      [
        {
          key: 'storage-test',
          name: 'Storage test',
          timezone: 'Asia/Taipei',
          attributes: {},
          opcua: [],
          assets: [
            {
              key: 'meter',
              name: 'Meter',
              type: 'electricity-meter',
              tags: [],
              attributes: {},
              points: [
                { key: 'kW', kind: 'gauge', unit: 'kW', tags: [], attributes: {} },
                { key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: [], attributes: {} },
              ],
            },
          ],
        },
      ],
      'registry',
    );
    const addresses = await registry.allPointAddresses();
    pointA = addresses.find((address) => address.point === 'kW')!.pointId;
    pointB = addresses.find((address) => address.point === 'kWh')!.pointId;
    readings = new ReadingRepository(testDb.db, testDb.db);
    rollups = new RollupRepository(testDb.db);
  });

  afterAll(() => testDb.drop());

  it('reports TimescaleDB only where it is installed', () => {
    expect(testDb.db.capabilities.timescaledb).toBe(backend === 'timescaledb-embedded');
  });

  it('stores a batch once: re-delivery inserts nothing and changes no value', async () => {
    const batch = cleanDay(pointA);
    expect(await readings.insertBatch(batch)).toHaveLength(120);
    const again = batch.map((reading) => ({ ...reading, value: reading.value + 1000 }));
    expect(await readings.insertBatch(again)).toHaveLength(0);
    const stored = await readings.raw(pointA, new Date(at('2025-07-01T00:00:00+08:00')), new Date(at('2025-07-02T00:00:00+08:00')), 1000);
    expect(stored.map((row) => row.value)).toEqual(batch.map((reading) => reading.value));
  });

  it('keeps rollups of a shuffled, duplicated, chunked delivery equal to the clean delivery', async () => {
    const clean = cleanDay(pointB);
    const messy = shuffled([...clean, ...clean.slice(10, 50), ...clean.slice(90)], 7);
    for (let i = 0; i < messy.length; i += 17) await readings.insertBatch(messy.slice(i, i + 17));
    await new RollupRefresher(testDb.db).drain();

    const from = new Date(at('2025-07-01T00:00:00+08:00'));
    const to = new Date(at('2025-07-02T00:00:00+08:00'));
    const quarters = await rollups.pointSeries(pointB, '15m', from, to, 100);
    expect(quarters).toHaveLength(8);
    // kWh is a register stepping +1 a minute from 10:00: a step belongs to the quarter it ends in
    // (10:14 -> 10:15 closes 10:00-10:15), so every quarter counts 15 steps but the last, which
    // ends with the 11:59 reading (14).
    expect(quarters[0]).toEqual({
      ts: at('2025-07-01T10:00:00+08:00'),
      count: 15,
      sum: 105,
      mean: 7,
      min: 0,
      max: 14,
      first: 0,
      last: 14,
      consumption: 15,
      consumptionFlags: 0,
      estimated: 0,
      // a register has no time-weighted mean
      twMean: null,
    });
    expect(quarters.slice(1).map((quarter) => quarter.consumption)).toEqual([15, 15, 15, 15, 15, 15, 14]);
    expect(quarters[7]).toMatchObject({ ts: at('2025-07-01T11:45:00+08:00'), count: 15, min: 105, max: 119, first: 105, last: 119 });

    const hours = await rollups.pointSeries(pointB, '1h', from, to, 100);
    expect(hours.map((hour) => [hour.count, hour.sum, hour.first, hour.last])).toEqual([
      [60, (59 * 60) / 2, 0, 59],
      [60, (60 + 119) * 30, 60, 119],
    ]);
    const [day] = await rollups.pointSeries(pointB, '1d', from, to, 10);
    expect(day).toMatchObject({ ts: at('2025-07-01T00:00:00+08:00'), count: 120, min: 0, max: 119, first: 0, last: 119 });
  });

  it('puts a reading just after Taipei midnight into the next day', async () => {
    const lateEvening = { pointId: pointA, ts: at('2025-07-01T23:59:59+08:00'), value: 1, flags: 0 };
    const afterMidnight = { pointId: pointA, ts: at('2025-07-02T00:00:00+08:00'), value: 2, flags: 0 };
    await readings.insertBatch([lateEvening, afterMidnight]);
    await new RollupRefresher(testDb.db).drain();
    const days = await rollups.pointSeries(
      pointA,
      '1d',
      new Date(at('2025-07-01T00:00:00+08:00')),
      new Date(at('2025-07-03T00:00:00+08:00')),
      10,
    );
    expect(days.map((row) => [row.ts, row.count])).toEqual([
      [at('2025-07-01T00:00:00+08:00'), 121],
      [at('2025-07-02T00:00:00+08:00'), 1],
    ]);
  });

  it('keeps dead letters with their reason', async () => {
    const deadLetters = new DeadLetterRepository(testDb.db, AppConfig.from({}));
    await deadLetters.insertMany([
      { source: 'mqtt', topic: 'hallwatch/v1/x/y', payload: '{oops', reason: 'bad-json', receivedAt: Date.now() },
      { source: 'mqtt', topic: 'hallwatch/v1/x/y', payload: '{}', reason: 'bad-shape', detail: 'values missing', receivedAt: Date.now() },
    ]);
    expect((await deadLetters.list({ reason: 'bad-json', limit: 10 })).letters).toEqual([
      expect.objectContaining({ payload: '{oops', reason: 'bad-json', topic: 'hallwatch/v1/x/y' }),
    ]);
  });
});
