import { Database } from '@hallwatch/db';
import { BulkLoader, ReadingRepository } from '@hallwatch/readings';
import { BACKENDS, createMeterPoints, createTestDatabase, eventually, TestDatabase } from '@hallwatch/testing';

/**
 * The back-fill lane: while a bulk load of history runs, a live reading through the normal path is
 * stored at once, between the bulk batches, not after the whole load. Positive markers: the load
 * had begun (its ledger counts some batches) and had not ended (it counts fewer than all, and its
 * promise is still pending) when the live reading was stored.
 */
const T0 = Date.parse('2024-01-01T00:00:00+08:00');

describe.each(BACKENDS)('the back-fill lane on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
  }, 60_000);
  afterAll(() => testDb?.drop());

  it('stores a live reading while a bulk load is half-way, not behind it', async () => {
    const [history, live] = await createMeterPoints(db, 'Asia/Taipei', [{ kind: 'gauge' }, { kind: 'gauge' }]);
    const total = 200 * 1_000;
    const readings = Array.from({ length: total }, (_, i) => ({ pointId: history, ts: T0 + i * 60_000, value: i % 97, flags: 0 }));
    const received = async () =>
      Number(
        (
          await db.query<{ n: string }>(
            `select coalesce(sum(count), 0)::text as n from ingest_ledger where source = 'lane' and outcome = 'received'`,
          )
        )[0].n,
      );

    const loader = new BulkLoader(db, testDb.url, { batchSize: 1_000 });
    let finished = false;
    const load = loader.load(readings, 'lane').then((result) => ((finished = true), result));
    await eventually(async () => expect(await received()).toBeGreaterThan(0), { timeoutMs: 60_000 });

    const now = Date.now();
    const stored = await new ReadingRepository(db, db).insertBatch([{ pointId: live, ts: now, value: 42, flags: 0 }]);
    const atLive = await received();
    expect(stored).toEqual([{ pointId: live, ts: now, value: 42, flags: 0 }]);
    expect(finished).toBe(false);
    expect(atLive).toBeGreaterThan(0);
    expect(atLive).toBeLessThan(total);

    const result = await load;
    await loader.close();
    expect(result).toMatchObject({ received: total, stored: total, duplicate: 0 });
  }, 180_000);
});
