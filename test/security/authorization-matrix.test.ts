import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { AccessRule, ApiModule, HTTP_ACCESS, SOCKET_ACCESS } from '@hallwatch/api';
import { Role, ROLES } from '@hallwatch/domain';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

const SITE_A = 'north-hall';
const SITE_B = 'south-hall';
const NO_SUCH_UUID = '00000000-0000-4000-8000-000000000000';
type Outcome = 'allowed' | 'forbidden' | 'unauthorised';
type Caller = Role | 'no token';

/** Example values for path parameters: things that do not exist (404) or bodies that do not validate (400) are "past authorisation". */
function concretePath(route: string, site: string, ids: Record<string, string> = {}): string {
  const id = route.includes('/alert-rules/')
    ? 'no-such-rule'
    : route.includes('/reports/:id')
      ? NO_SUCH_UUID
      : /\/(maintenance\/tasks|alert-contacts|tariffs)\/:id/.test(route)
        ? 'no-such-thing'
        : '999999';
  return route
    .replace('{*any}', '/control-room')
    .replace(':site', site)
    .replace(':asset', 'main-incomer')
    .replace(':point', 'kW')
    .replace(':utility', 'electricity')
    .replace(':year', '2024')
    .replace(':name', 'nobody')
    .replace(':id', ids.id ?? id);
}

function outcome(status: number): Outcome {
  return status === 401 ? 'unauthorised' : status === 403 ? 'forbidden' : 'allowed';
}

function expectedOutcome(rule: AccessRule, caller: Caller): Outcome {
  if (rule.roles === 'public') return 'allowed';
  if (caller === 'no token') return 'unauthorised';
  return rule.roles.includes(caller) ? 'allowed' : 'forbidden';
}

describe('authorisation matrix', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let sql: Client;
  const sockets: Socket[] = [];
  const token: Partial<Record<Role, string>> = {};
  const scoped: Partial<Record<Role, string>> = {};

  const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(method === 'GET' || method === 'DELETE' ? {} : { 'content-type': 'application/json' }),
      },
      body: method === 'GET' || method === 'DELETE' ? undefined : JSON.stringify(body ?? {}),
    });
    const text = await response.text();
    return { status: response.status, text };
  };
  const admin = () => env.HALLWATCH_API_TOKEN;
  const createToken = async (role: Role, sites: '*' | string[], name = `${role} ${JSON.stringify(sites)}`) => {
    const created = await call('POST', '/api/v1/tokens', admin(), { name, role, sites });
    expect(created.status).toBe(201);
    return (JSON.parse(created.text) as { token: string }).token;
  };
  /** Routes as Express has them: every method and path Nest (and the OpenAPI setup) registered. */
  const registeredRoutes = (): string[] => {
    const express = running.app.getHttpAdapter().getInstance() as {
      router: { stack: Array<{ route?: { path: string; methods: Record<string, boolean> } }> };
    };
    // Middleware (logging, static files) is mounted for every method at once; a route has one.
    const routes = express.router.stack
      .filter((layer) => layer.route && Object.keys(layer.route.methods).length === 1)
      .map((layer) => `${Object.keys(layer.route!.methods)[0].toUpperCase()} ${layer.route!.path}`);
    return [...new Set(routes)].sort();
  };

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE_A), testSite(SITE_B)], { DATABASE_URL: databaseUrl, AUTH_SIGN_IN_LIMIT: '10000' });
    running = await startApp(ApiModule, env);
    sql = new Client({ connectionString: databaseUrl });
    await sql.connect();
    for (const role of ROLES) token[role] = await createToken(role, '*');
    for (const role of ROLES.filter((role) => role !== 'admin')) scoped[role] = await createToken(role, [SITE_A], `${role} of ${SITE_A}`);
    // Something of each site to list and address by id.
    for (const site of [SITE_A, SITE_B]) {
      expect((await call('POST', `/api/v1/sites/${site}/alert-rules/starter-pack`, admin())).status).toBeLessThan(300);
      const task = { site, asset: 'chiller-1', name: `Chiller check ${site}`, recurrence: 'monthly', anchor: '2025-01-01' };
      expect((await call('PUT', `/api/v1/maintenance/tasks/check-${site}`, admin(), task)).status).toBe(200);
      await sql.query(
        `insert into alerts (rule_id, site, target, state, severity, title, opened_at) values ($1 || ':manual', $1, 'main-incomer', 'open', 'P2', $2, now())`,
        [site, `Test alert ${site}`],
      );
      await sql.query(`insert into maintenance_work_items (task_id, due_on) values ($1, current_date)`, [`check-${site}`]);
      await sql.query(`insert into report_runs (id, kind, params, requested_by) values (gen_random_uuid(), 'savings', $1, 'test')`, [
        JSON.stringify({ site, utility: 'electricity', from: '2025-01-01', to: '2025-02-01' }),
      ]);
      await sql.query(`insert into report_schedules (params, cadence, created_by) values ($1, 'monthly', 'test')`, [
        JSON.stringify({ site, utility: 'electricity' }),
      ]);
    }
    // The starter pack's rule ids are per pack, not per site: give the second site a rule of its own.
    await sql.query(
      `insert into alert_rules (id, site, definition, updated_by)
       select id || '-b', $2, jsonb_set(jsonb_set(definition, '{id}', to_jsonb(id || '-b')), '{site}', to_jsonb($2::text)), 'test'
       from alert_rules where site = $1 order by id limit 1`,
      [SITE_A, SITE_B],
    );
    await call('PUT', '/api/v1/alert-contacts/duty', admin(), { name: 'Duty', channel: 'email', address: 'duty@example.org' });
    for (const site of [SITE_A, SITE_B]) {
      const contact = { name: `Crew of ${site}`, channel: 'chat', address: `https://hooks.example.com/${site}/crew-channel`, sites: [site] };
      expect((await call('PUT', `/api/v1/alert-contacts/crew-${site}`, admin(), contact)).status).toBe(200);
    }
    for (const site of ['*', SITE_A, SITE_B]) {
      const policy = { levels: [{ afterSeconds: 0, contacts: ['duty'] }], repeatSeconds: null, minSeverity: 'P4' };
      expect((await call('PUT', `/api/v1/escalation-policies/${encodeURIComponent(site)}`, admin(), policy)).status).toBe(200);
    }
    await sql.query(
      `insert into notifications (id, alert_id, contact_id, channel, reason, level) select gen_random_uuid(), id, 'duty', 'email', 'opened', 0 from alerts`,
    );
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await sql?.end();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('documents every route the api registers, and nothing it does not', () => {
    expect(registeredRoutes()).toEqual(Object.keys(HTTP_ACCESS).sort());
  });

  it('says in docs/authorization-matrix.md what the machine-readable matrix says', () => {
    const doc = readFileSync(join(__dirname, '../../docs/authorization-matrix.md'), 'utf8');
    const rows = new Map(
      doc
        .split('\n')
        .map((line) => /^\|\s*`(GET|POST|PUT|DELETE|SOCKET) ([^`]+)`\s*\|([^|]+)\|\s*`([a-z-]+)`\s*\|/.exec(line))
        .filter((match): match is RegExpExecArray => match !== null)
        .map((match) => [`${match[1]} ${match[2]}`, { roles: match[3].trim(), scope: match[4] }]),
    );
    const documented = (rule: AccessRule) => ({
      roles: rule.roles === 'public' ? 'public (no token)' : rule.roles.length === ROLES.length ? 'every role' : rule.roles.join(', '),
      scope: rule.scope,
    });
    const expected = Object.fromEntries(
      Object.entries({ ...HTTP_ACCESS, ...SOCKET_ACCESS }).map(([route, rule]) => [route, documented(rule)]),
    );
    expect(Object.fromEntries(rows)).toEqual(expected);
  });

  it('gives every role, and no token, exactly what the matrix says on every route', async () => {
    const callers: Caller[] = [...ROLES, 'no token'];
    const expected: Record<string, Outcome> = {};
    const actual: Record<string, Outcome> = {};
    await Promise.all(
      Object.entries(HTTP_ACCESS).map(async ([route, rule]) => {
        const [method, pattern] = route.split(' ');
        for (const caller of callers) {
          // Signing out revokes the token presented: give it one of its own.
          const bearer = caller === 'no token' ? null : route.endsWith('/sign-out') ? await createToken(caller, '*') : token[caller]!;
          const { status } = await call(method, concretePath(pattern, SITE_A), bearer);
          expected[`${route} as ${caller}`] = expectedOutcome(rule, caller);
          actual[`${route} as ${caller}`] = outcome(status);
        }
      }),
    );
    expect(Object.keys(actual)).toHaveLength(Object.keys(HTTP_ACCESS).length * callers.length);
    expect(actual).toEqual(expected);
  });

  it('refuses a caller scoped to one site every route that names another site', async () => {
    const expected: Record<string, Outcome> = {};
    const actual: Record<string, Outcome> = {};
    for (const [route, rule] of Object.entries(HTTP_ACCESS)) {
      if (rule.roles === 'public' || !route.includes(':site')) continue;
      const role = rule.roles.find((candidate) => candidate !== 'admin');
      if (!role) continue; // admin-only: admins are scoped to every site
      const [method, pattern] = route.split(' ');
      for (const site of [SITE_A, SITE_B]) {
        const { status } = await call(method, concretePath(pattern, site), scoped[role]!);
        expected[`${route} at ${site}`] = site === SITE_A ? 'allowed' : 'forbidden';
        actual[`${route} at ${site}`] = outcome(status);
      }
    }
    expect(Object.keys(actual).length).toBeGreaterThan(30);
    expect(actual).toEqual(expected);
  });

  it('checks sites named in the query or the body', async () => {
    const savings = (site: string) => `/api/v1/reports/savings?site=${site}&from=2025-01-01&to=2025-02-01&baselineYear=2024`;
    expect((await call('GET', savings(SITE_B), scoped.viewer!)).status).toBe(403);
    expect((await call('GET', savings(SITE_A), scoped.viewer!)).status).not.toBe(403);
    expect((await call('GET', `/api/v1/alerts?site=${SITE_B}`, scoped.viewer!)).status).toBe(403);
    const report = (site: string) => ({ site, from: '2025-01-01', to: '2025-02-01', baselineYear: 2024 });
    expect((await call('POST', '/api/v1/reports', scoped['energy-officer']!, report(SITE_B))).status).toBe(403);
    const schedule = (site: string) => ({ params: { site, baselineYear: 2024 }, cadence: 'monthly' });
    expect((await call('POST', '/api/v1/reports/schedules', scoped['energy-officer']!, schedule(SITE_B))).status).toBe(403);
    const task = { site: SITE_B, asset: 'chiller-1', name: 'Moved', recurrence: 'monthly', anchor: '2025-01-01' };
    expect((await call('PUT', `/api/v1/maintenance/tasks/check-${SITE_A}`, scoped.maintenance!, task)).status).toBe(403);
    expect((await call('PUT', '/api/v1/maintenance/tasks/new-in-b', scoped.maintenance!, task)).status).toBe(403);
  });

  it('checks the site of what an id addresses', async () => {
    const ids = async (query: string) =>
      new Map((await sql.query<{ site: string; id: string }>(query)).rows.map((row) => [row.site, row.id]));
    const alerts = await ids('select site, id::text from alerts');
    const items = await ids('select t.site, w.id::text from maintenance_work_items w join maintenance_tasks t on t.id = w.task_id');
    const runs = await ids(`select params->>'site' as site, id::text from report_runs`);
    const schedules = await ids(`select params->>'site' as site, id::text from report_schedules`);
    const cases: Array<[string, string, Role, Map<string, string>, unknown?]> = [
      ['GET', '/api/v1/alerts/:id', 'viewer', alerts],
      ['POST', '/api/v1/alerts/:id/ack', 'maintenance', alerts],
      ['POST', '/api/v1/alerts/:id/comments', 'engineer', alerts, { text: 'looked' }],
      ['POST', '/api/v1/alerts/:id/shelve', 'engineer', alerts, { minutes: 5 }],
      ['POST', '/api/v1/maintenance/work-items/:id/complete', 'maintenance', items],
      ['GET', '/api/v1/reports/:id', 'viewer', runs],
      ['DELETE', '/api/v1/reports/schedules/:id', 'energy-officer', schedules],
    ];
    for (const [method, route, role, byId, body] of cases) {
      const at = (site: string) => call(method, route.replace(':id', byId.get(site)!), scoped[role]!, body);
      expect([route, (await at(SITE_B)).status]).toEqual([route, 403]);
      expect([route, (await at(SITE_A)).status]).not.toEqual([route, 403]);
    }
    const ruleOfB = (await sql.query<{ id: string }>('select id from alert_rules where site = $1 limit 1', [SITE_B])).rows[0].id;
    expect((await call('GET', `/api/v1/sites/${SITE_A}/alert-rules/${ruleOfB}`, scoped.viewer!)).status).toBe(403);
    expect((await call('DELETE', `/api/v1/maintenance/tasks/check-${SITE_B}`, scoped.maintenance!)).status).toBe(403);
  });

  it('leaves other sites out of every list, while a caller of every site sees them', async () => {
    const alertSites = new Map(
      (await sql.query<{ id: number; site: string }>('select id::int, site from alerts')).rows.map((row) => [row.id, row.site]),
    );
    /** Sites an answer mentions; notifications name their alert, not a site. */
    const sitesIn = (route: string, text: string) =>
      [SITE_A, SITE_B].filter((site) =>
        route.endsWith('/notifications')
          ? (JSON.parse(text) as Array<{ alertId: number }>).some((notification) => alertSites.get(notification.alertId) === site)
          : text.includes(`"${site}"`),
      );
    const lists = Object.entries(HTTP_ACCESS).filter(([, rule]) => rule.scope === 'list');
    expect(lists.length).toBeGreaterThanOrEqual(9);
    const seen: Record<string, { all: string[]; scoped: string[] }> = {};
    for (const [route] of lists) {
      const path = route.split(' ')[1];
      const [all, mine] = await Promise.all([call('GET', path, token.viewer!), call('GET', path, scoped.viewer!)]);
      expect([route, all.status, mine.status]).toEqual([route, 200, 200]);
      seen[route] = { all: sitesIn(route, all.text), scoped: sitesIn(route, mine.text) };
    }
    expect(seen).toEqual(Object.fromEntries(lists.map(([route]) => [route, { all: [SITE_A, SITE_B], scoped: [SITE_A] }])));
  });

  it('refuses routes about every site to a caller scoped to some, and scoped admins altogether', async () => {
    for (const [route, rule] of Object.entries(HTTP_ACCESS).filter(([, rule]) => rule.scope === 'all-sites')) {
      const [method, path] = route.split(' ');
      const role = (rule.roles as Role[]).find((candidate) => candidate !== 'admin')!;
      expect([route, (await call(method, concretePath(path, SITE_A), scoped[role]!)).status]).toEqual([route, 403]);
      expect([route, (await call(method, concretePath(path, SITE_A), token[role]!)).status]).not.toEqual([route, 403]);
    }
    expect((await call('POST', '/api/v1/tokens', admin(), { name: 'scoped admin', role: 'admin', sites: [SITE_A] })).status).toBe(400);
  });

  describe('the /live socket', () => {
    const connect = (auth: Record<string, unknown>) => {
      const socket = io(`${running.baseUrl}/live`, { auth, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      return socket;
    };
    const connected = (socket: Socket) =>
      new Promise<void>((resolve, reject) => {
        socket.once('connect', () => resolve());
        socket.once('connect_error', reject);
      });
    const subscribe = (socket: Socket, site: string) =>
      socket.emitWithAck('subscribe', { site }) as Promise<{ ok: boolean; error?: string }>;

    it('refuses a handshake without a valid token', async () => {
      await expect(connected(connect({}))).rejects.toThrow(/unauthorised/);
      await expect(connected(connect({ token: 'not-a-token-not-a-token' }))).rejects.toThrow(/unauthorised/);
    });

    it.each(ROLES.filter((role) => role !== 'admin'))('lets a %s scoped to one site subscribe to that site only', async (role) => {
      const socket = connect({ token: scoped[role] });
      await connected(socket);
      expect(await subscribe(socket, SITE_A)).toEqual({ ok: true, site: SITE_A });
      expect(await subscribe(socket, SITE_B)).toEqual({ ok: false, error: expect.objectContaining({ type: 'urn:hallwatch:problem:forbidden', status: 403 }) });
    });

    it.each(ROLES)('lets a %s of every site subscribe to any site', async (role) => {
      const socket = connect({ token: token[role] });
      await connected(socket);
      expect(await subscribe(socket, SITE_B)).toEqual({ ok: true, site: SITE_B });
    });
  });
});
