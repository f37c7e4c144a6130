import { Client } from 'pg';
import { ApiModule } from '@hallwatch/api';
import { SiteDefinition } from '@hallwatch/registry';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE = 'east-hall';
const OTHER = 'west-hall';
const NS = 'xmlns="http://www.w3.org/2000/svg"';
const GOOD = `<svg ${NS} viewBox="0 0 200 100"><rect data-zone="zone-2f-a" width="100" height="100"/><text x="4" y="20">二樓 東區 ☀</text></svg>`;

/** A site with two zones on 2F, so it has a floor to put a plan on. */
function siteWithZones(key: string): SiteDefinition {
  const site = testSite(key);
  const zone = (suffix: string) => ({
    key: `zone-2f-${suffix}`,
    name: `2F ${suffix}`,
    type: 'zone',
    tags: ['zone'],
    attributes: { floor: '2F' },
    points: [{ key: 'temp', kind: 'gauge' as const, unit: '°C', tags: ['temp'], attributes: {} }],
  });
  return { ...site, assets: [...site.assets, zone('a'), zone('b')] };
}

describe('floor plans and work items from alerts through the API (#19 items 3, 4)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let sql: Client;
  const tokens: Record<string, string> = {};

  const send = async (method: string, path: string, body?: unknown, token = env.HALLWATCH_API_TOKEN) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const plan = (body: unknown, token?: string) => send('PUT', `/api/v1/sites/${SITE}/floors/2F/plan`, body, token);
  const storedPlans = async () =>
    (await sql.query<Record<string, unknown>>('select site, floor, kind, svg from floor_plans order by site, floor')).rows;

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([siteWithZones(SITE), siteWithZones(OTHER)], { DATABASE_URL: databaseUrl });
    running = await startApp(ApiModule, env);
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    for (const [name, role, sites] of [
      ['viewer', 'viewer', '*'],
      ['engineer', 'engineer', [SITE]],
      ['west-engineer', 'engineer', [OTHER]],
      ['crew', 'maintenance', [SITE]],
    ] as const) {
      const created = await send('POST', '/api/v1/tokens', { name, role, sites });
      expect(created.status).toBe(201);
      tokens[name] = created.body.token as string;
    }
  });

  afterAll(async () => {
    await sql?.end();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('has no plan until one is set, then stores the checked drawing (unicode kept) and audits the change', async () => {
    expect((await send('GET', `/api/v1/sites/${SITE}/floors/2F/plan`)).status).toBe(404);
    const saved = await plan({ kind: 'svg', svg: GOOD }, tokens.engineer);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ site: SITE, floor: '2F', kind: 'svg', svg: GOOD, updatedBy: 'engineer' });
    expect((await send('GET', `/api/v1/sites/${SITE}/floors/2F/plan`, undefined, tokens.viewer)).body.svg).toBe(GOOD);
    const audit = await sql.query<{ actor: string; detail: { outcome: string } }>(
      `select actor, detail from audit_log where action like 'PUT %/floors/%' order by id`,
    );
    expect(audit.rows).toEqual([
      {
        actor: 'engineer',
        detail: expect.objectContaining({ outcome: 'ok', params: { site: SITE, floor: '2F' }, body: { kind: 'svg', svg: GOOD } }),
      },
    ]);
  });

  it.each([
    ['a script', `<svg ${NS}><script>fetch('/api/v1/users')</script></svg>`, 400],
    ['an onload handler', `<svg ${NS} onload="alert(1)"><rect/></svg>`, 400],
    ['an external href', `<svg ${NS}><use href="https://evil.example/x.svg#a"/></svg>`, 400],
    ['a javascript: href in odd spacing', `<svg ${NS}><use href=" java&#x09;script:alert(1)"/></svg>`, 400],
    ['a document type with entities', `<!DOCTYPE svg [<!ENTITY e SYSTEM "file:///etc/passwd">]><svg ${NS}>&e;</svg>`, 400],
    ['a NUL byte', `<svg ${NS}><text>a\u0000b</text></svg>`, 400],
    ['a lone surrogate', `<svg ${NS}><text>\ud800</text></svg>`, 400],
    ['not SVG', 'hello', 400],
    ['a drawing just over the plan limit', `<svg ${NS}><desc>${'x'.repeat(97 * 1024)}</desc></svg>`, 400],
    ['a huge upload', `<svg ${NS}><desc>${'x'.repeat(5 * 1024 * 1024)}</desc></svg>`, 413],
  ])('refuses %s with a clear 4xx and keeps the plan it had', async (_name, svg, status) => {
    const refused = await plan({ kind: 'svg', svg });
    expect(refused.status).toBe(status);
    expect(typeof refused.body.detail).toBe('string');
    expect(await storedPlans()).toEqual([{ site: SITE, floor: '2F', kind: 'svg', svg: GOOD }]);
  });

  it('refuses other shapes of body, unknown floors and sites, and callers without the role or the site', async () => {
    expect((await plan({ kind: 'svg' })).status).toBe(400);
    expect((await plan({ kind: 'grid', svg: GOOD })).status).toBe(400);
    expect((await plan({ kind: 'pdf' })).status).toBe(400);
    expect((await send('PUT', `/api/v1/sites/${SITE}/floors/9F/plan`, { kind: 'grid' })).status).toBe(404);
    expect((await send('PUT', `/api/v1/sites/nowhere/floors/2F/plan`, { kind: 'grid' })).status).toBe(404);
    expect((await plan({ kind: 'grid' }, tokens.viewer)).status).toBe(403);
    expect((await plan({ kind: 'grid' }, tokens.crew)).status).toBe(403);
    expect((await plan({ kind: 'grid' }, tokens['west-engineer'])).status).toBe(403);
    expect((await send('GET', `/api/v1/sites/${SITE}/floors/2F/plan`, undefined, tokens['west-engineer'])).status).toBe(403);
    expect(await storedPlans()).toEqual([{ site: SITE, floor: '2F', kind: 'svg', svg: GOOD }]);
    // And back to the generated grid: no drawing is kept.
    expect((await plan({ kind: 'grid' }, tokens.engineer)).body).toMatchObject({ kind: 'grid', svg: null });
    expect(await storedPlans()).toEqual([{ site: SITE, floor: '2F', kind: 'grid', svg: null }]);
  });

  it('makes an alert a work item for its asset once, noted in its history; only crews of its site may', async () => {
    const inserted = await sql.query<{ id: number }>(
      `insert into alerts (rule_id, site, target, state, severity, title, opened_at)
       values ('manual', $1, 'chiller-1', 'open', 'P2', 'Chiller 1 low delta-T', now()) returning id::int`,
      [SITE],
    );
    const alertId = inserted.rows[0].id;
    const path = `/api/v1/maintenance/work-items/from-alert/${alertId}`;
    expect((await send('POST', path, {}, tokens.viewer)).status).toBe(403);
    expect((await send('POST', path, {}, tokens['west-engineer'])).status).toBe(403);
    expect((await send('POST', '/api/v1/maintenance/work-items/from-alert/999999', {})).status).toBe(404);

    const made = await send('POST', path, { note: 'check the strainer' }, tokens.crew);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ site: SITE, asset: 'chiller-1', taskName: 'Chiller 1 low delta-T', state: 'open' });
    const again = await send('POST', path, {}, tokens.crew);
    expect(again.body.id).toBe(made.body.id);
    const open = await send('GET', `/api/v1/maintenance/work-items?site=${SITE}&state=open`, undefined, tokens.crew);
    expect((open.body as unknown as Array<{ id: number }>).filter((item) => item.id === made.body.id)).toHaveLength(1);

    const detail = await send('GET', `/api/v1/alerts/${alertId}`);
    expect(detail.body.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ actor: 'crew', action: 'work-item', detail: { workItem: made.body.id, note: 'check the strainer' } }),
      ]),
    );
    const done = await send('POST', `/api/v1/maintenance/work-items/${made.body.id as number}/complete`, { note: 'cleaned' }, tokens.crew);
    expect(done.body).toMatchObject({ state: 'done', note: 'cleaned', completedBy: 'crew' });
  });
});
