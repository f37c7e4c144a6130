import { Database } from '@hallwatch/db';
import { RawRetention, ReadingRepository, RollupRefresher, RollupRepository, RollupRow } from '@hallwatch/readings';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

const at = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;
/** A register read hourly from 08:00 to 22:00 on 10 March (+10 kWh an hour), then 08:00 and 09:00 the next day. */
const DAY = at('2025-03-10T00:00:00+08:00');
const NEXT_DAY = at('2025-03-11T00:00:00+08:00');
const WEEK = { from: new Date(at('2025-03-09T00:00:00+08:00')), to: new Date(at('2025-03-16T00:00:00+08:00')) };

describe.each(BACKENDS)('raw retention on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let readings: ReadingRepository;
  let rollups: RollupRepository;
  let refresher: RollupRefresher;
  let retention: RawRetention;
  let pointId: number;

  const store = async (rows: Array<[number, number]>) => {
    await readings.insertBatch(rows.map(([ts, value]) => ({ pointId, ts, value, flags: 0 })));
    await refresher.drain();
  };
  const days = () => rollups.pointSeries(pointId, '1d', WEEK.from, WEEK.to, 10);
  const summary = (rows: RollupRow[]) => rows.map((row) => [new Date(row.ts).toISOString(), row.count, round(row.consumption)]);

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    readings = new ReadingRepository(db, db);
    rollups = new RollupRepository(db);
    refresher = new RollupRefresher(db);
    retention = new RawRetention(db, refresher);
    const [site] = await db.query<{ id: number }>(`insert into sites (key, name) values ('retention-hall', 'Retention') returning id`);
    const [asset] = await db.query<{ id: number }>(
      `insert into assets (site_id, key, name, type) values ($1, 'meter', 'Meter', 'electricity-meter') returning id`,
      [site.id],
    );
    [{ id: pointId }] = await db.query<{ id: number }>(
      `insert into points (asset_id, key, kind, unit, attributes) values ($1, 'kWh', 'cumulative', 'kWh', '{"expectedIntervalSeconds": 3600}') returning id`,
      [asset.id],
    );
    const day = Array.from({ length: 15 }, (_, i) => [DAY + (8 + i) * HOUR, 1000 + 10 * i] as [number, number]);
    await store([...day, [NEXT_DAY + 8 * HOUR, 1200], [NEXT_DAY + 9 * HOUR, 1210]]);
  });

  afterAll(() => testDb?.drop());

  // By hand: 10 March counts 14 hourly steps of 10 (140) and 2 of the 10 hours of the overnight
  // step 1140 -> 1200 (60 over 22:00-08:00, a gap: 12); 11 March the other 8 hours (48) and +10.
  const before = [
    ['2025-03-09T16:00:00.000Z', 15, 152],
    ['2025-03-10T16:00:00.000Z', 2, 58],
  ];

  it('deletes the readings before the cutoff but the anchor, and leaves every rollup as it was', async () => {
    expect(summary(await days())).toEqual(before);
    expect(await retention.purge(new Date(NEXT_DAY))).toBe(14);
    const raw = await readings.raw(pointId, WEEK.from, WEEK.to, 100);
    expect(raw.map((row) => [row.ts, row.value])).toEqual([
      [DAY + 22 * HOUR, 1140],
      [NEXT_DAY + 8 * HOUR, 1200],
      [NEXT_DAY + 9 * HOUR, 1210],
    ]);
    expect(summary(await days())).toEqual(before);
    expect(await retention.horizons()).toEqual(new Map([[pointId, NEXT_DAY]]));
  });

  it('never rebuilds a final bucket from what is left: a re-delivered and a late reading below the horizon change nothing', async () => {
    // What ingest refuses (older-than-retention), stored here directly: the rollups must not move.
    await store([
      [DAY + 8 * HOUR, 1000],
      [DAY + 12.5 * HOUR, 1045],
      [DAY + 23 * HOUR, 1150],
    ]);
    expect(summary(await days())).toEqual(before);
    const quarters = await rollups.pointSeries(pointId, '15m', new Date(NEXT_DAY), new Date(NEXT_DAY + HOUR), 10);
    // 00:00-00:15 of 11 March: a quarter of an hour of the 60 kWh over ten hours.
    expect(round(quarters[0].consumption)).toBe(1.5);
  });

  it('takes a late reading after the horizon into its buckets as usual', async () => {
    await store([[NEXT_DAY + 8.5 * HOUR, 1205]]);
    expect(summary(await days())).toEqual([before[0], ['2025-03-10T16:00:00.000Z', 3, 58]]);
    const hours = await rollups.pointSeries(pointId, '1h', new Date(NEXT_DAY + 8 * HOUR), new Date(NEXT_DAY + 10 * HOUR), 10);
    expect(hours.map((hour) => [hour.count, round(hour.consumption)])).toEqual([
      [2, 10],
      [1, 0],
    ]);
  });

  it('compresses old readings where TimescaleDB is present, embedded too, and they stay readable and writable', async () => {
    const compressed = await retention.compress(14);
    if (backend === 'timescaledb-embedded') expect(compressed).toBeGreaterThan(0);
    else expect(compressed).toBe(0);
    await store([[NEXT_DAY + 9.5 * HOUR, 1212]]);
    const raw = await readings.raw(pointId, new Date(NEXT_DAY), WEEK.to, 100);
    expect(raw.map((row) => row.value)).toEqual([1200, 1205, 1210, 1212]);
    expect(summary(await days())).toEqual([before[0], ['2025-03-10T16:00:00.000Z', 4, 60]]);
  });
});

const round = (value: number | null) => (value === null ? null : Math.round(value * 1e6) / 1e6);
