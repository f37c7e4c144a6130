import { Database } from '@hallwatch/db';
import { RegistryRepository } from '@hallwatch/registry';
import { createTestDatabase, TestDatabase } from '@hallwatch/testing';
import { bulkLoadCsv } from './csv-bulk';

describe('the CSV back-fill through the bulk path', () => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase('timescaledb-embedded');
    db = testDb.db;
    await new RegistryRepository(db).applySites(
      [
        {
          key: 'hall',
          name: 'Hall',
          timezone: 'Asia/Taipei',
          attributes: {},
          opcua: [],
          assets: [
            {
              key: 'meter',
              name: 'Meter',
              type: 'electricity-meter',
              tags: [],
              attributes: { role: 'main' },
              points: [{ key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: [], attributes: {} }],
            },
          ],
        },
      ] as never,
      'registry',
    );
  }, 60_000);
  afterAll(() => testDb?.drop());

  it('turns 15-minute interval amounts into register readings, stores them once, and reports unknown points', async () => {
    const csv = [
      'asset,point,start,end,value',
      'meter,kWh,2015-03-01T00:00:00+08:00,2015-03-01T00:15:00+08:00,10',
      'meter,kWh,2015-03-01T00:15:00+08:00,2015-03-01T00:30:00+08:00,12.5',
      'pump,kWh,2015-03-01T00:00:00+08:00,2015-03-01T00:15:00+08:00,3',
    ].join('\n');
    const lines: string[] = [];
    const first = await bulkLoadCsv(db, csv, { site: 'hall', registerStart: 100, log: (line) => lines.push(line) });
    // A register: 100 at the first start, 110 and 122.5 at the ends (each a millisecond before its end).
    expect(first).toMatchObject({ layout: 'intervals', received: 3, stored: 3, duplicate: 0 });
    expect(first.problems.map((problem) => problem.problem)).toEqual([
      'hall/pump/kWh is not a point of the registry (2 readings not loaded)',
    ]);
    const values = await db.query<{ value: number }>('select value from readings order by ts');
    expect(values.map((row) => row.value)).toEqual([100, 110, 122.5]);
    expect(lines[0]).toMatch(/^3 stored, 0 duplicate, 0 refused of 3 readings at \d+ readings\/s \(bulk path, COPY\)$/);

    // The same file again: every reading a duplicate, nothing doubled.
    const again = await bulkLoadCsv(db, csv, { site: 'hall', registerStart: 100 });
    expect(again).toMatchObject({ received: 3, stored: 0, duplicate: 3 });
    expect((await db.query('select 1 from readings')).length).toBe(3);
  });
});
