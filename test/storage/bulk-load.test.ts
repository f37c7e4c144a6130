import { Database } from '@hallwatch/db';
import { BulkLoader, ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import {
  BACKENDS,
  createMeterPoints,
  createTestDatabase,
  diffRollups,
  referenceRollups,
  storedReadings,
  storedRollups,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * The bulk path (COPY into staging, then insert ... on conflict do nothing) stores exactly the set
 * sent, counts duplicates and rejections in the ingest ledger instead of failing, and leaves the
 * rollups what the normal path and the independent reference (test/support/rollup-reference.ts) give.
 */
const MINUTE = 60_000;
const T0 = Date.parse('2025-07-01T00:00:00+08:00');
const TZ = 'Asia/Taipei';

/** A register counting about 600 kW with a 40-minute gap, and a gauge: three days at 5 minutes. */
function series(registerId: number, gaugeId: number) {
  const register: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
  const gauge: typeof register = [];
  let kWh = 1_000_000;
  for (let i = 0; i < 3 * 288; i++) {
    const ts = T0 + i * 5 * MINUTE;
    const kW = 600 + 300 * Math.sin(i / 20);
    kWh += (kW * 5) / 60;
    if (i % 200 >= 192) continue; // a gap of 40 minutes now and then
    register.push({ pointId: registerId, ts, value: Math.round(kWh * 1000) / 1000, flags: 0 });
    gauge.push({ pointId: gaugeId, ts, value: Math.round(kW * 100) / 100, flags: 0 });
  }
  return { register, gauge };
}

describe.each(BACKENDS)('the bulk path on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
  }, 60_000);
  afterAll(() => testDb?.drop());

  it('stores the set sent, counts duplicates and rejections, and rolls up as the normal path and the reference do', async () => {
    const attributes = { expectedIntervalSeconds: 300 };
    const [bulkRegister, bulkGauge, normalRegister, normalGauge] = await createMeterPoints(db, TZ, [
      { kind: 'cumulative', attributes },
      { kind: 'gauge' },
      { kind: 'cumulative', attributes },
      { kind: 'gauge' },
    ]);
    const bulk = series(bulkRegister, bulkGauge);
    const normal = series(normalRegister, normalGauge);
    const unique = [...bulk.register, ...bulk.gauge];
    const repo = new ReadingRepository(db, db);
    // 100 already there through the normal path, 50 sent twice in the load, 3 not numbers.
    await repo.insertBatch(bulk.register.slice(0, 100));
    const sent = [
      ...unique,
      ...bulk.gauge.slice(500, 550),
      { pointId: bulkGauge, ts: T0 - MINUTE, value: Number.NaN, flags: 0 },
      { pointId: bulkGauge, ts: T0 - 2 * MINUTE, value: Number.POSITIVE_INFINITY, flags: 0 },
      { pointId: bulkRegister, ts: T0 - MINUTE, value: Number.NaN, flags: 0 },
    ];
    const loader = new BulkLoader(db, testDb.url, { batchSize: 700 });
    const result = await loader.load(sent, 'bulk-test', T0 + 10 * 24 * 60 * MINUTE);
    await loader.close();
    expect(result).toMatchObject({
      received: unique.length + 53,
      stored: unique.length - 100,
      duplicate: 150,
      rejected: 3,
      late: unique.length + 50,
    });
    const ledger = await db.query<{ outcome: string; count: number }>(
      `select outcome, count::int as count from ingest_ledger where source = 'bulk-test' order by outcome`,
    );
    expect(Object.fromEntries(ledger.map((row) => [row.outcome, row.count]))).toEqual({
      duplicate: 150,
      late: unique.length + 50,
      received: unique.length + 53,
      'rejected:bad-value': 3,
      stored: unique.length - 100,
    });

    // The stored set is the set sent: nothing lost, nothing doubled, the non-numbers left out.
    const stored = await storedReadings(db, [bulkRegister, bulkGauge]);
    expect(stored.get(bulkRegister)).toEqual(bulk.register.map(({ ts, value }) => ({ ts, value })));
    expect(stored.get(bulkGauge)).toEqual(bulk.gauge.map(({ ts, value }) => ({ ts, value })));

    // The same readings through the normal path, then the refresher for both.
    await repo.insertBatch([...normal.register, ...normal.gauge]);
    const refresher = new RollupRefresher(db);
    for (let round = 0; (await refresher.refreshPending()) > 0; round++) if (round > 1_000) throw new Error('refresh does not end');
    const rollups = await storedRollups(db, [bulkRegister, bulkGauge, normalRegister, normalGauge]);
    expect(diffRollups(rollups.get(normalRegister)!, rollups.get(bulkRegister)!)).toEqual([]);
    expect(diffRollups(rollups.get(normalGauge)!, rollups.get(bulkGauge)!)).toEqual([]);
    const reference = (kind: 'cumulative' | 'gauge', readings: typeof bulk.register) =>
      referenceRollups({ kind, attributes: kind === 'cumulative' ? attributes : {}, readings, replacements: [], timezone: TZ });
    expect(diffRollups(reference('cumulative', bulk.register), rollups.get(bulkRegister)!)).toEqual([]);
    expect(diffRollups(reference('gauge', bulk.gauge), rollups.get(bulkGauge)!)).toEqual([]);
    expect(rollups.get(bulkRegister)!['1d'].size).toBe(3);
  }, 120_000);

  it('leaves a voided reading void when the history is loaded again, as ingest does', async () => {
    const [pointId] = await createMeterPoints(db, TZ, [{ kind: 'gauge' }]);
    const sent = [0, 5, 10].map((minutes) => ({ pointId, ts: T0 + minutes * MINUTE, value: 100 + minutes, flags: 0 }));
    const repo = new ReadingRepository(db, db);
    await repo.insertBatch(sent);
    expect(await repo.correct(pointId, new Date(T0 + 5 * MINUTE), null, 'commissioning test value', 'test')).not.toBeNull();
    const loader = new BulkLoader(db, testDb.url);
    const result = await loader.load(sent, 'bulk-voided', T0 + 20 * MINUTE);
    await loader.close();
    // Nothing new: the two kept ones are there already, and the voided one stays out.
    expect(result).toMatchObject({ received: 3, stored: 0, duplicate: 3 });
    expect((await storedReadings(db, [pointId])).get(pointId)!.map((reading) => reading.value)).toEqual([100, 110]);
  });

  it("refuses, as ingest does, readings older than the point's raw-retention horizon, and counts them", async () => {
    const [pointId] = await createMeterPoints(db, TZ, [{ kind: 'gauge' }]);
    await db.query('insert into raw_retention (point_id, purged_before, anchor_ts) values ($1, $2, $3)', [
      pointId,
      new Date(T0),
      new Date(T0 - 5 * MINUTE),
    ]);
    const sent = [-10, -5, 0, 5, 10].map((minutes) => ({ pointId, ts: T0 + minutes * MINUTE, value: minutes, flags: 0 }));
    const loader = new BulkLoader(db, testDb.url);
    const result = await loader.load(sent, 'bulk-horizon', T0 + 20 * MINUTE);
    await loader.close();
    expect(result).toMatchObject({ received: 5, stored: 3, duplicate: 0, rejected: 2, late: 1 });
    const ledger = await db.query<{ outcome: string; count: number }>(
      `select outcome, count::int as count from ingest_ledger where source = 'bulk-horizon' order by outcome`,
    );
    // Late: T0 only (more than 15 minutes before T0 + 20 min, and stored); the refused ones are not counted late.
    expect(Object.fromEntries(ledger.map((row) => [row.outcome, row.count]))).toEqual({
      late: 1,
      received: 5,
      'rejected:older-than-retention': 2,
      stored: 3,
    });
    expect((await storedReadings(db, [pointId])).get(pointId)!.map((reading) => reading.value)).toEqual([0, 5, 10]);
  });
});
