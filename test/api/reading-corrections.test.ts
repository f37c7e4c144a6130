import { ApiModule } from '@hallwatch/api';
import { PgDatabase } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

/**
 * #18 item 6: an authorised person corrects or voids a stored reading; the original is kept, the
 * change is audited, the rollups follow, and a voided reading stays void when sent again.
 * Hand-worked: a register read every quarter-hour, 1000 -> 1010 -> 1020 -> 2030 (a shifted decimal
 * point) -> 1040.
 */
const SITE = 'correction-hall';
const at = (clock: string) => Date.parse(`2025-03-10T${clock}:00+08:00`);
const CORRECTED_FLAG = 16;

describe('reading corrections', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let db: PgDatabase;
  let refresher: RollupRefresher;
  let repo: ReadingRepository;
  let pointId: number;
  let viewer: string;

  const call = async (method: string, path: string, bearer: string, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & { detail?: string } };
  };
  const admin = () => env.HALLWATCH_API_TOKEN;
  const corrections = `/sites/${SITE}/assets/main-incomer/points/kWh/readings/corrections`;
  const hourConsumption = async () =>
    (
      await db.query<{ consumption: number }>('select consumption from rollups_1h where point_id = $1 and bucket = $2', [
        pointId,
        new Date(at('08:00')),
      ])
    )[0]?.consumption;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    db = new PgDatabase(databaseUrl, 2);
    refresher = new RollupRefresher(db);
    repo = new ReadingRepository(db, db);
    pointId = (await new RegistryRepository(db).findPointAddress(SITE, 'main-incomer', 'kWh'))!.pointId;
    await repo.insertBatch(
      [
        ['08:00', 1000],
        ['08:15', 1010],
        ['08:30', 1020],
        ['08:45', 2030],
        ['09:00', 1040],
      ].map(([clock, value]) => ({ pointId, ts: at(clock as string), value: value as number, flags: 0 })),
    );
    await refresher.drain();
    const created = await call('POST', '/tokens', admin(), { name: 'a viewer', role: 'viewer', sites: '*' });
    viewer = (created.body as { token: string }).token;
  });

  afterAll(async () => {
    await running?.close();
    await db?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('corrects a value: the original is kept, the change audited, the rollups follow', async () => {
    // 08:00-09:00: 10 + 10 + 1010 (1020 -> 2030) + 0 (2030 -> 1040 is a suspect drop) = 1030 kWh
    expect(await hourConsumption()).toBe(1030);

    const corrected = await call('POST', corrections, admin(), { ts: '2025-03-10T08:45:00+08:00', value: 1030, reason: 'decimal point shifted' });
    expect(corrected.status).toBe(201);
    expect(corrected.body).toMatchObject({ ts: '2025-03-10T00:45:00.000Z', action: 'correct', originalValue: 2030, value: 1030 });

    await refresher.drain();
    // 10 + 10 + 10 + 10 = 40 kWh
    expect(await hourConsumption()).toBe(40);
    const raw = await call('GET', `/sites/${SITE}/assets/main-incomer/points/kWh/readings?bucket=raw&from=2025-03-10T08:45:00%2B08:00&to=2025-03-10T08:46:00%2B08:00`, viewer);
    const [reading] = raw.body.readings as Array<{ value: number; flags: number }>;
    expect(reading.value).toBe(1030);
    expect(reading.flags & CORRECTED_FLAG).toBe(CORRECTED_FLAG);

    const audit = await call('GET', `/audit?action=${encodeURIComponent('POST /api/v1/sites')}`, admin());
    const entries = audit.body as unknown as Array<{ action: string; target: string; detail: unknown }>;
    expect(entries.some((entry) => entry.action.includes('/readings/corrections'))).toBe(true);

    const listed = await call('GET', corrections, viewer);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([expect.objectContaining({ action: 'correct', originalValue: 2030, value: 1030, reason: 'decimal point shifted' })]);
  });

  it('voids a reading: it leaves the rollups, and the device sending it again does not bring it back', async () => {
    const voided = await call('POST', corrections, admin(), { ts: at('09:00'), void: true, reason: 'test value from commissioning' });
    expect(voided.status).toBe(201);
    expect(voided.body).toMatchObject({ action: 'void', originalValue: 1040, value: null });
    await refresher.drain();
    // the 08:45 -> 09:00 step is gone: 10 + 10 + 10 = 30 kWh
    expect(await hourConsumption()).toBe(30);

    // re-delivered, beside a new reading that is stored: the marker that the batch was processed
    const stored = await repo.insertBatch([
      { pointId, ts: at('09:00'), value: 1040, flags: 0 },
      { pointId, ts: at('09:15'), value: 1050, flags: 0 },
    ]);
    expect(stored.map((reading) => reading.ts)).toEqual([at('09:15')]);
    const [{ count }] = await db.query<{ count: number }>('select count(*)::int as count from readings where point_id = $1 and ts = $2', [
      pointId,
      new Date(at('09:00')),
    ]);
    expect(count).toBe(0);
  });

  it('refuses what it cannot do, with the reason', async () => {
    const missing = await call('POST', corrections, admin(), { ts: at('07:00'), value: 1, reason: 'no such reading' });
    expect(missing.status).toBe(404);
    expect(missing.body.detail).toContain('has no stored reading at 2025-03-09T23:00:00.000Z');
    const both = await call('POST', corrections, admin(), { ts: at('08:15'), value: 1, void: true, reason: 'both at once' });
    expect(both.status).toBe(400);
    for (const body of [
      { ts: at('08:15'), value: 1, reason: 'x' },
      { ts: at('08:15'), value: 1, reason: 'r'.repeat(501) },
      { ts: 'not a time\u0000', value: 1, reason: 'bad time' },
      { ts: at('08:15'), value: '1e999', reason: 'not a number' },
      { ts: at('08:15'), value: 1, reason: 'extra field', extra: true },
    ]) {
      expect((await call('POST', corrections, admin(), body)).status).toBe(400);
    }
    expect((await call('POST', corrections, viewer, { ts: at('08:15'), value: 1, reason: 'viewers may not' })).status).toBe(403);
    expect((await call('POST', `/sites/${SITE}/assets/main-incomer/points/nope/readings/corrections`, admin(), { ts: at('08:15'), value: 1, reason: 'no point' })).status).toBe(404);
  });
});
