import { join } from 'node:path';
import { Database } from '@hallwatch/db';
import { loadRegistryFile, RegistryRepository } from '@hallwatch/registry';
import { demoHistoryStatus, demoRegisterStarts, startDemo } from '@hallwatch/simulators';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

/**
 * The demo's first start loads its history (a short window here: DEMO_HISTORY_FROM three days
 * back) and the alert rules its faults trip; the second start on the same database loads nothing
 * and continues the registers it stored.
 */
const sites = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const NOW = Date.parse('2026-07-15T10:07:00+08:00');
const FROM = '2026-07-12T00:00:00+08:00';

describe.each(BACKENDS)('the demo start on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    await new RegistryRepository(db).applySites(sites, 'registry');
  }, 60_000);
  afterAll(() => testDb?.drop());

  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0].n);
  const kwhOfMain = `select count(*) as n from readings r join points p on p.id = r.point_id join assets a on a.id = p.asset_id
                      where a.key = 'main-incomer' and p.key = 'kWh'`;

  it('loads the history on the first start, and not on the second, which continues the stored registers', async () => {
    const lines: string[] = [];
    let changed = 0;
    const first = await startDemo({
      db,
      databaseUrl: testDb.url,
      sites,
      seed: 104,
      from: FROM,
      now: NOW,
      log: (line) => lines.push(line),
      rulesChanged: async () => void changed++,
    });
    expect(first.firstStart).toBe(true);
    expect(first.registers['demo-city-hall']).toEqual(demoRegisterStarts(sites[0], 104));
    await first.history;

    // Every quarter hour from 00:00 on the 12th to 10:00 on the 15th (the live simulator starts at 10:07).
    const quarters = 3 * 96 + 10 * 4 + 1;
    expect(await count(kwhOfMain)).toBe(quarters);
    const [range] = await db.query<{ first: Date; last: Date }>(
      `select min(r.ts) as first, max(r.ts) as last from readings r join points p on p.id = r.point_id join assets a on a.id = p.asset_id
        where a.key = 'main-incomer' and p.key = 'kWh'`,
    );
    expect(new Date(range.first).getTime()).toBe(Date.parse(FROM));
    expect(new Date(range.last).getTime()).toBe(Date.parse('2026-07-15T10:00:00+08:00'));
    const [status] = await demoHistoryStatus(db);
    expect(status).toMatchObject({ site: 'demo-city-hall', percent: 100, finished: true });
    expect(status.loaded).toBe(status.readings);
    const [stored] = await db.query<{ n: string }>(
      `select count::text as n from ingest_ledger where source = 'demo-history' and outcome = 'stored'`,
    );
    expect(Number(stored.n)).toBe(status.readings);
    expect(await count(`select count(*) as n from alert_rules where origin = 'demo'`)).toBeGreaterThan(20);
    expect(changed).toBe(1);
    expect(lines.some((line) => /loading demo history 100%/.test(line))).toBe(true);
    expect(lines.some((line) => /readings loaded at \d+ readings\/s through the bulk path/.test(line))).toBe(true);

    const readingsBefore = await count('select count(*) as n from readings');
    const second = await startDemo({
      db,
      databaseUrl: testDb.url,
      sites,
      seed: 104,
      from: FROM,
      now: NOW + 3_600_000,
      log: (line) => lines.push(line),
    });
    await second.history;
    // The positive marker: the second start says it found the first one's history, and stored nothing.
    expect(second.firstStart).toBe(false);
    expect(lines.at(-1)).toBe('demo history of demo-city-hall: loaded on an earlier start, not again');
    expect(await count('select count(*) as n from readings')).toBe(readingsBefore);
    // The live simulator continues from the newest stored register, not the seeded start.
    const [last] = await db.query<{ value: number }>(
      `select r.value from readings r join points p on p.id = r.point_id join assets a on a.id = p.asset_id
        where a.key = 'main-incomer' and p.key = 'kWh' order by r.ts desc limit 1`,
    );
    expect(second.registers['demo-city-hall']['main-incomer/kWh']).toBe(last.value);
    expect(last.value).not.toBe(demoRegisterStarts(sites[0], 104)['main-incomer/kWh']);
  }, 120_000);
});
