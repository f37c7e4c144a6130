import { Client } from 'pg';
import { ApiModule } from '@hallwatch/api';
import { HealthRegistry } from '@hallwatch/core';
import { WorkerModule } from '@hallwatch/worker';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE_A = 'north-hall';
const SITE_B = 'south-hall';
const BROKER_ERROR = 'connect ECONNREFUSED 10.20.30.40:8883';

describe('what health, metrics and refusals give away (#15 item 13)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let sql: Client;
  let everySite: string;
  let northOnly: string;

  const get = async (path: string, bearer: string | null) => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    return { status: response.status, text: await response.text() };
  };
  const createToken = async (sites: '*' | string[]) => {
    const response = await fetch(`${running.baseUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: `viewer ${JSON.stringify(sites)}`, role: 'viewer', sites }),
    });
    return ((await response.json()) as { token: string }).token;
  };

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE_A), testSite(SITE_B)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    everySite = await createToken('*');
    northOnly = await createToken([SITE_A]);
  });

  afterAll(async () => {
    await sql?.end();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('says only up or down per connection on the public /health, details and error texts with a token of every site', async () => {
    const healthy = await get('/health', null);
    expect(healthy.status).toBe(200);
    const body = JSON.parse(healthy.text) as { status: string; info: Record<string, object> };
    expect(body.status).toBe('ok');
    expect(body.info.database).toEqual({ status: 'up' });
    for (const part of Object.values(body.info)) expect(Object.keys(part)).toEqual(['status']);

    // A connection that fails the way a broker does, with its address in the error.
    running.app.get(HealthRegistry).register({ name: 'broker', check: () => Promise.reject(new Error(BROKER_ERROR)) });
    const down = await get('/health', null);
    expect(down.status).toBe(503);
    expect(JSON.parse(down.text)).toMatchObject({ status: 'error', error: { broker: { status: 'down' } } });
    expect(down.text).not.toMatch(/ECONNREFUSED|10\.20\.30\.40|pglite|postgres|timescaledb/);

    expect((await get('/health/details', null)).status).toBe(401);
    expect((await get('/health/details', northOnly)).status).toBe(403);
    const details = await get('/health/details', everySite);
    expect(details.status).toBe(503);
    expect(JSON.parse(details.text)).toMatchObject({
      error: { broker: { status: 'down', error: BROKER_ERROR } },
      info: { database: { backend: 'postgres' } },
    });
  });

  it('gives /metrics, which names sites, only to tokens of every site', async () => {
    expect((await get('/metrics', northOnly)).status).toBe(403);
    const metrics = await get('/metrics', everySite);
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/^# HELP /m);
  });

  it('refuses a site-scoped token the metrics and health details of the worker too (its port serves them as well)', async () => {
    const worker = await startApp(WorkerModule, env, { api: false });
    try {
      const at = async (path: string, bearer: string) =>
        (await fetch(`${worker.baseUrl}${path}`, { headers: { authorization: `Bearer ${bearer}` } })).status;
      expect(await at('/metrics', northOnly)).toBe(403);
      expect(await at('/health/details', northOnly)).toBe(403);
      expect(await at('/metrics', everySite)).toBe(200);
    } finally {
      await worker.close();
    }
  });

  it('does not name the site of an item outside the caller scope in the 403', async () => {
    const alert = await sql.query<{ id: number }>(
      `insert into alerts (rule_id, site, target, state, severity, title, opened_at)
       values ('manual', $1, 'main-incomer', 'open', 'P2', 'Boiler lockout', now()) returning id::int`,
      [SITE_B],
    );
    const refused = await get(`/api/v1/alerts/${alert.rows[0].id}`, northOnly);
    expect(refused.status).toBe(403);
    expect(refused.text).not.toContain(SITE_B);
    expect((await get(`/api/v1/alerts/${alert.rows[0].id}`, everySite)).text).toContain(SITE_B);
  });
});
