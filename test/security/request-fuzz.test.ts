import { RequestMethod, Type } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { ModulesContainer } from '@nestjs/core';
import { Client } from 'pg';
import { ZodTypeAny } from 'zod';
import { ApiModule, HTTP_ACCESS } from '@hallwatch/api';
import { SiteDefinition } from '@hallwatch/registry';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE = 'north-hall';
/** The registry routes replace what they are given: they are fuzzed on a site of their own. */
const REGISTRY_SITE = 'fuzz-hall';

/** The test site, with a main meter and an outdoor temperature so that savings reports get far. */
function reportingSite(key: string): SiteDefinition {
  const site = testSite(key);
  site.assets[0].attributes = { role: 'main' };
  site.assets[1].points.push({ key: 'outsideT', kind: 'gauge', unit: '°C', tags: ['outside', 'temp'], attributes: {} });
  return site;
}

/** Hostile texts for path and query parameters (sent percent-encoded). */
const HOSTILE_TEXTS = [
  'a\u0000b',
  '\u0000',
  '💡\u202e\uffff',
  '\ud800',
  'x'.repeat(5_000),
  '../../etc/passwd',
  "' or 1=1 --",
  '%',
  ' ',
  '',
  '[object Object]',
  '-1',
  '0',
  '1.5',
  '1e309',
  '99999999999999999999999',
  '-99999999999999999999999',
  'NaN',
  'Infinity',
  '0001-01-01',
  '9999-12-31',
  '275760-09-14',
  '+275760-09-13T00:00:00.001Z',
  '-271821-04-19',
  '2025-02-30',
  '2025-13-45',
  '2025-01-01T25:61',
  '8640000000000001',
  '-8640000000000001',
  '00000000-0000-4000-8000-000000000000',
];

/** Hostile JSON values for each body field: the texts above and values of every other type. */
const HOSTILE_VALUES: unknown[] = [
  ...HOSTILE_TEXTS,
  -1,
  0,
  1.5,
  1e308,
  -1e308,
  5e-324,
  2 ** 53 + 1,
  1,
  9999,
  true,
  null,
  [],
  {},
  ['a\u0000b'],
  { 'a\u0000b': 1 },
  Array.from({ length: 5_000 }, (_, i) => i),
  nested(30),
];

/** Whole bodies: each route gets these besides its fields one by one. */
const HOSTILE_BODIES = [
  '{}',
  '[]',
  'null',
  '"text"',
  '1e309',
  `${'['.repeat(40)}${']'.repeat(40)}`,
  '{"a":',
  '{"__proto__":{"admin":true}}',
];

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
}

interface FuzzRoute {
  /** `METHOD /path` as the authorisation matrix names it. */
  route: string;
  method: string;
  path: string;
  pathParams: string[];
  queryKeys: string[];
  bodyKeys: string[];
  hasBody: boolean;
}

/** The keys of a zod object schema, through refinements, defaults and optionals. */
function schemaKeys(schema: ZodTypeAny | undefined): string[] {
  let current: ZodTypeAny | undefined = schema;
  for (let i = 0; current && i < 10; i++) {
    const def = current._def as { typeName: string; schema?: ZodTypeAny; innerType?: ZodTypeAny; shape?: () => Record<string, unknown> };
    if (def.typeName === 'ZodObject') return Object.keys(def.shape!());
    current = def.schema ?? def.innerType;
  }
  return [];
}

/** Every route of every controller the api app holds, with the parameters its pipes validate. */
function controllerRoutes(modules: ModulesContainer): FuzzRoute[] {
  const routes = new Map<string, FuzzRoute>();
  for (const module of modules.values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type<unknown>;
      const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
      for (const name of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[name];
        if (name === 'constructor' || typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
        const sub = String(Reflect.getMetadata(PATH_METADATA, handler));
        const bare = ['/', base, sub]
          .join('/')
          .replace(/\/+/g, '/')
          .replace(/(.)\/$/, '$1');
        const path = /^\/(health|metrics)(\/|$)/.test(bare) ? bare : `/api/v1${bare}`;
        const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, name) ?? {}) as Record<
          string,
          { data?: unknown; pipes?: unknown[] }
        >;
        const keysOf = (type: RouteParamtypes) =>
          Object.entries(args)
            .filter(([key]) => Number(key.split(':')[0]) === Number(type))
            .flatMap(([, arg]) => {
              if (typeof arg.data === 'string') return [arg.data];
              // ZodPipe keeps its schema; its keys are the parameters the route reads.
              const schemas = (arg.pipes ?? []).map((pipe) => (pipe as { schema?: ZodTypeAny }).schema).filter((schema) => schema?._def);
              return schemas.flatMap(schemaKeys);
            });
        routes.set(`${method} ${path}`, {
          route: `${method} ${path}`,
          method,
          path,
          pathParams: [...path.matchAll(/:(\w+)/g)].map((match) => match[1]),
          queryKeys: keysOf(RouteParamtypes.QUERY),
          bodyKeys: keysOf(RouteParamtypes.BODY),
          hasBody: Object.keys(args).some((key) => Number(key.split(':')[0]) === Number(RouteParamtypes.BODY)),
        });
      }
    }
  }
  return [...routes.values()];
}

interface Baseline {
  query?: Record<string, string>;
  body?: unknown;
}

/**
 * A request of each route that gets past validation, so that each hostile value, put in place of
 * one of its parameters at a time, reaches as far as a value can. Routes not listed get no query
 * and an empty body; path parameters come from `pathValue`.
 */
function baselines(ids: Record<string, string>, tariff: unknown, rule: unknown): Record<string, Baseline> {
  const withoutKey = <T extends { key: string }>(value: T): Omit<T, 'key'> =>
    Object.fromEntries(Object.entries(value).filter(([name]) => name !== 'key')) as Omit<T, 'key'>;
  const site = testSite(SITE);
  const siteBody = withoutKey(site);
  const assetBody = withoutKey(site.assets[0]);
  const pointBody = withoutKey(site.assets[0].points[0]);
  const month = { from: '2025-01-01', to: '2025-02-01' };
  const savings = { site: SITE, ...month, baselineYear: '2024' };
  return {
    'POST /api/v1/auth/sign-in': { body: { name: 'nobody', password: 'not-the-password' } },
    'POST /api/v1/users': { body: { name: 'fuzzed', password: 'a-long-password-1', role: 'viewer', sites: [SITE] } },
    'PUT /api/v1/users/:name': { body: { role: 'viewer', sites: [SITE], enabled: true } },
    'POST /api/v1/tokens': { body: { name: 'fuzzed', role: 'viewer', sites: [SITE] } },
    'GET /api/v1/tokens': { query: { includeInactive: 'true' } },
    'GET /api/v1/audit': { query: { actor: 'someone', action: 'PUT', ...month, limit: '10' } },
    'PUT /api/v1/sites/:site': { body: siteBody },
    'PUT /api/v1/sites/:site/assets/:asset': { body: assetBody },
    'PUT /api/v1/sites/:site/assets/:asset/points/:point': { body: pointBody },
    'POST /api/v1/sites/:site/assets/:asset/points/:point/replacements': {
      body: { at: '2025-01-01T00:00:00Z', startValue: 0, note: 'new meter' },
    },
    'GET /api/v1/sites/:site/assets/:asset/points/:point/readings': { query: { ...month, bucket: '1h', limit: '10' } },
    'GET /api/v1/sites/:site/consumption': { query: { ...month, utility: 'electricity', bucket: '1d' } },
    'GET /api/v1/sites/:site/demand': { query: month },
    'GET /api/v1/sites/:site/overview': { query: { at: '2025-01-01T08:00' } },
    'GET /api/v1/ingest/dead-letters': { query: { reason: 'bad-json', limit: '10' } },
    'POST /api/v1/ingest/dead-letters/replay': { query: { reason: 'bad-json', limit: '10' } },
    'GET /api/v1/reports/savings': { query: savings },
    'POST /api/v1/reports': { body: { ...savings, baselineYear: 2024 } },
    'POST /api/v1/reports/schedules': { body: { params: { site: SITE, baselineYear: 2024 }, cadence: 'monthly', recipients: [] } },
    'GET /api/v1/sites/:site/savings/adjustments': { query: { utility: 'electricity', includeRetired: 'true' } },
    'POST /api/v1/sites/:site/savings/adjustments': {
      body: { utility: 'electricity', kind: 'amount', startsOn: '2025-01-01', endsOn: '2025-02-01', amount: 100, reason: 'an event' },
    },
    'GET /api/v1/sites/:site/savings/measures': { query: { utility: 'electricity', includeRetired: 'true' } },
    'POST /api/v1/sites/:site/savings/measures': {
      body: {
        utility: 'electricity',
        name: 'LED retrofit',
        installedOn: '2025-01-01',
        estimatedPerYear: 1000,
        estimatedNtdPerYear: 4000,
        note: null,
      },
    },
    'PUT /api/v1/sites/:site/savings/targets/:utility': { body: { baselineYear: 2024, annualReductionPct: 1 } },
    'PUT /api/v1/emission-factors/:year': { body: { kgPerKwh: 0.5, source: 'MOEA' } },
    'PUT /api/v1/tariffs/:id': { body: tariff },
    'GET /api/v1/alerts': { query: { state: 'open', site: SITE, limit: '10' } },
    'POST /api/v1/alerts/:id/ack': { body: { note: 'on it' } },
    'POST /api/v1/alerts/:id/resolve': { body: { note: 'fixed' } },
    'POST /api/v1/alerts/:id/assign': { body: { assignee: 'mei' } },
    'POST /api/v1/alerts/:id/comments': { body: { text: 'looked' } },
    'POST /api/v1/alerts/:id/shelve': { body: { minutes: 5 } },
    'PUT /api/v1/sites/:site/alert-rules/:id': { query: { enabled: 'true' }, body: rule },
    'PUT /api/v1/alert-contacts/:id': { body: { name: 'Duty', channel: 'email', address: 'duty@example.org', sites: [SITE] } },
    'PUT /api/v1/escalation-policies/:site': {
      body: { levels: [{ afterSeconds: 0, contacts: ['on-call'] }], repeatSeconds: null, minSeverity: 'P4' },
    },
    'GET /api/v1/notifications': { query: { state: 'delivered', limit: '10' } },
    'GET /api/v1/maintenance/tasks': { query: { site: SITE } },
    'PUT /api/v1/maintenance/tasks/:id': {
      body: { site: SITE, asset: 'chiller-1', name: 'Chiller check', recurrence: 'monthly', anchor: '2025-01-01', graceDays: 3 },
    },
    'GET /api/v1/maintenance/work-items': { query: { site: SITE, state: 'open', taskId: ids.task } },
    'POST /api/v1/maintenance/work-items/:id/complete': { body: { note: 'done' } },
    // OPC UA browsing has none: a request that passes would connect to a server, whose silence is a 502.
  };
}

function pathValue(route: string, param: string, ids: Record<string, string>): string {
  // Replacements need a register, which PUT .../points/:point (fuzzed on kW) leaves alone.
  const point = route.includes('/replacements') ? 'kWh' : 'kW';
  const site = /^PUT \/api\/v1\/sites\/:site(\/assets|$)/.test(route) ? REGISTRY_SITE : SITE;
  const byParam: Record<string, string> = {
    site,
    asset: 'main-incomer',
    point,
    utility: 'electricity',
    year: '2024',
    name: 'nobody',
    floor: '1F',
    alertId: ids.alert,
  };
  if (param !== 'id') return byParam[param];
  if (route.includes('/alerts/')) return ids.alert;
  if (route.includes('/alert-rules/')) return ids.rule;
  if (route.includes('/maintenance/tasks/')) return ids.task;
  if (route.includes('/work-items/')) return ids.workItem;
  if (route.includes('/reports/schedules/')) return ids.schedule;
  if (route.includes('/reports/')) return ids.run;
  if (route.includes('/alert-contacts/')) return 'duty';
  if (route.includes('/tariffs/')) return 'fuzzed-tariff';
  return '999999';
}

interface Probe {
  route: string;
  /** Which parameter holds the hostile value, and a short rendering of it. */
  what: string;
  method: string;
  url: string;
  body?: string;
}

/** Percent-encoded; a lone surrogate becomes the malformed UTF-8 a hostile client would send for it. */
function encodePathValue(value: string): string {
  return value
    .split(/([\ud800-\udfff])/)
    .map((part) => (/^[\ud800-\udfff]$/.test(part) ? '%ED%A0%80' : encodeURIComponent(part)))
    .join('');
}

function describeValue(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 40 ? `${text.slice(0, 37)}...(${text.length})` : text;
}

/** Every route, each parameter in turn replaced by each hostile value, plus hostile whole bodies. */
function probes(routes: FuzzRoute[], ids: Record<string, string>, known: Record<string, Baseline>): Probe[] {
  const list: Probe[] = [];
  for (const route of routes) {
    const baseline = known[route.route] ?? {};
    const path = (params: Record<string, string>) =>
      route.path.replace(/:(\w+)/g, (_, name: string) => encodePathValue(params[name] ?? pathValue(route.route, name, ids)));
    const query = (values: Record<string, string>) => {
      const text = new URLSearchParams(values).toString();
      return text ? `?${text}` : '';
    };
    const baseQuery = baseline.query ?? {};
    const baseBody = baseline.body ?? {};
    const body = (value: unknown) => (route.method === 'GET' ? undefined : JSON.stringify(value));
    const probe = (what: string, url: string, sent?: string) =>
      list.push({ route: route.route, what, method: route.method, url, body: sent });

    probe('baseline', path({}) + query(baseQuery), body(baseBody));
    for (const param of route.pathParams)
      for (const value of HOSTILE_TEXTS)
        probe(`:${param}=${describeValue(value)}`, path({ [param]: value }) + query(baseQuery), body(baseBody));
    for (const key of route.queryKeys)
      for (const value of HOSTILE_TEXTS)
        probe(`?${key}=${describeValue(value)}`, path({}) + query({ ...baseQuery, [key]: value }), body(baseBody));
    if (route.method === 'GET') continue;
    const fields = [...new Set([...route.bodyKeys, ...Object.keys(typeof baseBody === 'object' && baseBody !== null ? baseBody : {})])];
    for (const key of fields)
      for (const value of HOSTILE_VALUES)
        probe(`body.${key}=${describeValue(value)}`, path({}) + query(baseQuery), body({ ...baseBody, [key]: value }));
    for (const text of HOSTILE_BODIES) probe(`body ${describeValue(text)}`, path({}) + query(baseQuery), text);
  }
  return list;
}

describe('no request gives a 5xx, whatever its parameters hold (#15 item 12)', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let sql: Client;
  const ids: Record<string, string> = {};

  const call = async (method: string, url: string, bearer: string, body?: string) => {
    const response = await fetch(`${running.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body,
    });
    return { status: response.status, text: await response.text() };
  };
  const admin = () => env.HALLWATCH_API_TOKEN;
  const first = async (query: string, params: unknown[] = []) =>
    String(Object.values((await sql.query(query, params)).rows[0] as object)[0]);

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    // Errors only: thousands of refused requests would each log a warning, and writing them is most of the time.
    env = isolatedEnv([reportingSite(SITE), testSite(REGISTRY_SITE)], {
      DATABASE_URL: databaseUrl,
      AUTH_SIGN_IN_LIMIT: '10000',
      LOG_LEVEL: 'error',
    });
    running = await startApp(ApiModule, env);
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    expect((await call('POST', `/api/v1/sites/${SITE}/alert-rules/starter-pack`, admin())).status).toBeLessThan(300);
    const task = { site: SITE, asset: 'chiller-1', name: 'Chiller check', recurrence: 'monthly', anchor: '2025-01-01' };
    expect((await call('PUT', '/api/v1/maintenance/tasks/check', admin(), JSON.stringify(task))).status).toBe(200);
    ids.task = 'check';
    ids.alert = await first(
      `insert into alerts (rule_id, site, target, state, severity, title, opened_at) values ('manual', $1, 'main-incomer', 'open', 'P2', 'Trip', now()) returning id`,
      [SITE],
    );
    ids.workItem = await first(`insert into maintenance_work_items (task_id, due_on) values ('check', current_date) returning id`);
    ids.run = await first(
      `insert into report_runs (id, kind, params, requested_by) values (gen_random_uuid(), 'savings', $1, 'test') returning id`,
      [JSON.stringify({ site: SITE, utility: 'electricity', from: '2025-01-01', to: '2025-02-01' })],
    );
    ids.schedule = await first(`insert into report_schedules (params, cadence, created_by) values ($1, 'monthly', 'test') returning id`, [
      JSON.stringify({ site: SITE, utility: 'electricity' }),
    ]);
    ids.rule = await first('select id from alert_rules where site = $1 order by id limit 1', [SITE]);
    // 'duty' is fuzzed (and deleted); escalation policies name 'on-call'.
    for (const contact of ['duty', 'on-call']) {
      const body = JSON.stringify({ name: contact, channel: 'email', address: `${contact}@example.org` });
      expect((await call('PUT', `/api/v1/alert-contacts/${contact}`, admin(), body)).status).toBe(200);
    }
  });

  afterAll(async () => {
    await sql?.end();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  const routes = () => controllerRoutes(running.app.get(ModulesContainer));

  it('finds every api route of the authorisation matrix among the controllers, with the parameters their pipes read', () => {
    const api = Object.keys(HTTP_ACCESS).filter((route) => !/\{\*any\}|\/api\/docs/.test(route));
    expect(
      routes()
        .map((route) => route.route)
        .sort(),
    ).toEqual(api.sort());
    expect(routes().find((route) => route.route === 'GET /api/v1/reports/savings')?.queryKeys).toEqual(
      expect.arrayContaining(['site', 'from', 'to', 'baselineYear', 'method']),
    );
  });

  it('answers the requests the attack found with 4xx: NUL in a parameter, savings for years 0001 to 9999 or normalised with no baseline, 150 KB bodies', async () => {
    expect((await call('GET', `/api/v1/sites/${SITE}%00`, admin())).status).toBe(400);
    expect((await call('GET', `/api/v1/alerts?site=${SITE}%00`, admin())).status).toBe(400);
    expect((await call('PUT', '/api/v1/maintenance/tasks/check', admin(), JSON.stringify({ name: 'a\u0000b' }))).status).toBe(400);
    const savings = (query: string) => call('GET', `/api/v1/reports/savings?site=${SITE}&${query}`, admin());
    for (const query of [
      'from=0001-01-01&to=9999-12-31&baselineYear=2024',
      'from=2025-01-01&to=9999-12-31&baselineYear=2024',
      'from=2025-02-01&to=2025-02-30&baselineYear=2024',
    ])
      expect([query, (await savings(query)).status]).toEqual([query, 400]);
    // No readings at all: no baseline to normalise against, in every format.
    for (const format of ['json', 'csv', 'xlsx', 'pdf']) {
      for (const baseline of ['', '&baselineYear=2024', '&baselineFrom=2024-01-01&baselineTo=2025-01-01']) {
        const query = `from=2025-01-01&to=2025-02-01&method=normalised&format=${format}${baseline}`;
        const { status } = await savings(query);
        expect([query, status < 500]).toEqual([query, true]);
      }
    }
    const big = await call('PUT', '/api/v1/maintenance/tasks/check', admin(), JSON.stringify({ name: 'x'.repeat(150_000) }));
    expect(big.status).toBe(413);
  });

  it('answers every hostile value in every path, query and body parameter of every route with a 4xx or success, never a 5xx', async () => {
    const [tariff] = JSON.parse((await call('GET', '/api/v1/tariffs', admin())).text) as Array<Record<string, unknown>>;
    const rule = JSON.parse(await first('select definition::text from alert_rules where id = $1', [ids.rule])) as unknown;
    const known = baselines(ids, { ...tariff, id: 'fuzzed-tariff' }, rule);
    const created = await call('POST', '/api/v1/tokens', admin(), JSON.stringify({ name: 'signs out', role: 'viewer' }));
    const signOut = JSON.parse(created.text) as { token: string };
    const all = probes(routes(), ids, known);
    const failures: string[] = [];
    const answered: Record<string, number> = {};
    const baselineAnswers: Record<string, { status: number; text: string }> = {};
    const queue = [...all];
    const worker = async () => {
      for (let probe = queue.shift(); probe; probe = queue.shift()) {
        // Signing out revokes the token presented: never the admin's.
        const bearer = probe.route === 'POST /api/v1/auth/sign-out' ? signOut.token : admin();
        const { status, text } = await call(probe.method, probe.url, bearer, probe.body);
        answered[`${String(status)[0]}xx`] = (answered[`${String(status)[0]}xx`] ?? 0) + 1;
        if (probe.what === 'baseline') baselineAnswers[probe.route] = { status, text: text.slice(0, 300) };
        if (status >= 500) failures.push(`${probe.route} ${probe.what} -> ${status} ${text.slice(0, 120)}`);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    const fuzzed = routes();
    const parameters = fuzzed.reduce((sum, route) => sum + route.pathParams.length + route.queryKeys.length + route.bodyKeys.length, 0);
    process.stdout.write(
      `request fuzz: ${all.length} requests over ${fuzzed.length} routes and ${parameters} parameters, answered ${JSON.stringify(answered)}, 5xx ${failures.length}\n`,
    );
    expect(all.length).toBeGreaterThan(5_000);
    expect(failures).toEqual([]);
    // The baselines got past validation, so the values one by one reached the services behind it.
    const refused = Object.entries(baselineAnswers).filter(([route, answer]) => known[route] && answer.status === 400);
    expect(refused).toEqual([]);
  }, 600_000);
});
