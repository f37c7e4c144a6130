import { join } from 'node:path';
import { Database } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { loadRegistryFile, RegistryRepository } from '@hallwatch/registry';
import { BuildingModel, demoHistory, demoRegisterStarts } from '@hallwatch/simulators';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

/**
 * The demo's history is plausible: a history of the demo city hall, the live simulator after it,
 * and a restart two days later, stored and rolled up as ingest does, never show a month whose
 * peak 15-minute demand (quarter kWh × 4 from the stored rollups) exceeds the 6,000 kW contract,
 * nor the highest load the meter's own kW gauge showed that month (plus 10% for noise).
 * Before, the live simulator (and each restart) started the register at its seeded value whatever
 * the history had counted: the step between them went into the rollups as a rollover or a meter
 * reset spread over the time between them: 17,161.8 kW in the issue.
 */
const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const CONTRACT_KW = Number(site.attributes.contractCapacityKw);
const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

describe.each(BACKENDS)('the demo history on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    await new RegistryRepository(db).applySites([site], 'registry');
  }, 60_000);
  afterAll(() => testDb?.drop());

  it('keeps every month of history, live data and a restart within the contract and the load the meter showed', async () => {
    const [{ id: kwhId }] = await db.query<{ id: number }>(
      `select p.id from points p join assets a on a.id = p.asset_id where a.key = 'main-incomer' and p.key = 'kWh'`,
    );
    const seed = 104;
    const from = at('2026-06-20T00:00:00+08:00');
    const liveStart = at('2026-08-10T09:00:00+08:00');
    const readings: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
    const gaugeMax = new Map<string, number>();
    const month = (ts: number) => new Date(ts + 8 * 3_600_000).toISOString().slice(0, 7);
    const record = (ts: number, values: Record<string, number> | undefined) => {
      readings.push({ pointId: kwhId, ts, value: values!.kWh, flags: 0 });
      gaugeMax.set(month(ts), Math.max(gaugeMax.get(month(ts)) ?? 0, values!.kW));
    };

    const end = demoRegisterStarts(site, seed);
    for (const tick of await demoHistory(site, { seed, from, to: liveStart, endRegisters: end }))
      record(tick.ts, tick.values.get('main-incomer'));
    // The live simulator starts where the history ends, and runs a working day at one reading a minute.
    const live = new BuildingModel(site, seed, { registers: end });
    for (let ts = liveStart; ts < liveStart + 9 * 60 * MINUTE; ts += MINUTE) record(ts, live.sample(ts).get('main-incomer'));
    // Stopped over a weekend-long two days, started again from the registers it stored last.
    const restart = new BuildingModel(site, seed, { registers: live.registerValues() });
    const restartAt = liveStart + 2 * 24 * 60 * MINUTE;
    for (let ts = restartAt; ts < restartAt + 3 * 60 * MINUTE; ts += MINUTE) record(ts, restart.sample(ts).get('main-incomer'));

    const repo = new ReadingRepository(db, db);
    for (let i = 0; i < readings.length; i += 5_000) await repo.insertBatch(readings.slice(i, i + 5_000));
    const refresher = new RollupRefresher(db);
    for (let round = 0; (await refresher.refreshPending()) > 0; round++) if (round > 10_000) throw new Error('refresh does not end');

    const peaks = await db.query<{ month: string; kw: number; quarters: number }>(
      `select to_char(bucket at time zone 'Asia/Taipei', 'YYYY-MM') as month, 4 * max(consumption)::float8 as kw, count(*)::int as quarters
         from rollups_15m where point_id = $1 group by 1 order by 1`,
      [kwhId],
    );
    expect(peaks.map((peak) => peak.month)).toEqual(['2026-06', '2026-07', '2026-08']);
    for (const peak of peaks) {
      expect(peak.kw).toBeLessThanOrEqual(CONTRACT_KW);
      expect(peak.kw).toBeLessThanOrEqual(1.1 * gaugeMax.get(peak.month)!);
      // A summer month of a city hall that runs its chillers: well above the night load.
      expect(peak.kw).toBeGreaterThan(0.5 * gaugeMax.get(peak.month)!);
    }
    // Nothing was taken for a meter reset (2) or a suspect step (4) anywhere (a 32-bit register's rollover, 8, is real).
    const [{ flags }] = await db.query<{ flags: number }>(
      'select bit_or(consumption_flags)::int as flags from rollups_15m where point_id = $1',
      [kwhId],
    );
    expect(flags & (2 | 4)).toBe(0);
  }, 180_000);
});
