import Redis from 'ioredis';
import { io } from 'socket.io-client';
import { ApiModule } from '@hallwatch/api';
import {
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  testSite,
  TEST_REDIS_URL,
} from '@hallwatch/testing';

const SITE = 'east-hall';

describe('users, sessions, API tokens, sign-in limits and the audit log', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let redis: Redis;

  const call = async (method: string, path: string, bearer: string | null, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> & Array<Record<string, unknown>> };
  };
  const admin = () => env.HALLWATCH_API_TOKEN;
  const signIn = (name: string, password: string) => call('POST', '/api/v1/auth/sign-in', null, { name, password });

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(SITE)], {
      DATABASE_URL: databaseUrl,
      AUTH_SESSION_HOURS: '12',
      AUTH_SIGN_IN_LIMIT: '5',
      LIVE_TOKEN_RECHECK_SECONDS: '1',
    });
    running = await startApp(ApiModule, env);
    redis = new Redis(TEST_REDIS_URL);
  });

  /** Sign-in counters live in Redis: every test starts with none, so that only its own attempts count. */
  const forgetAttempts = async (throttler: 'ip' | 'ip-name' | '*' = '*') => {
    const keys = await redis.keys(`${env.REDIS_PREFIX}:throttle:${throttler}:*`);
    if (keys.length > 0) await redis.del(...keys);
  };
  beforeEach(() => forgetAttempts());

  afterAll(async () => {
    redis?.disconnect();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('signs a user in for a session that carries their role and sites, and signs it out at once', async () => {
    const created = await call('POST', '/api/v1/users', admin(), {
      name: 'mei',
      password: 'chiller-plant-42',
      role: 'engineer',
      sites: [SITE],
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual(expect.objectContaining({ name: 'mei', role: 'engineer', sites: [SITE], disabledAt: null }));
    expect(JSON.stringify(created.body)).not.toMatch(/scrypt|chiller-plant/);
    expect((await call('POST', '/api/v1/users', admin(), { name: 'mei', password: 'another-password', role: 'viewer' })).status).toBe(409);

    const session = await signIn('mei', 'chiller-plant-42');
    expect(session.status).toBe(200);
    const token = session.body.token as string;
    const hours = (Date.parse(session.body.expiresAt as string) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    expect((await call('GET', '/api/v1/auth/me', token)).body).toEqual({
      name: 'mei',
      role: 'engineer',
      sites: [SITE],
      kind: 'session',
      expiresAt: session.body.expiresAt,
    });
    expect((await call('GET', '/api/v1/sites', token)).body.map((site) => site.key)).toEqual([SITE]);

    expect((await call('POST', '/api/v1/auth/sign-out', token)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401);
  });

  it('refuses a wrong password or an unknown name alike', async () => {
    const wrong = await signIn('mei', 'not-her-password');
    const unknown = await signIn('nobody-here', 'whatever-password');
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it('applies a role change, a password reset and disabling to open sessions at once', async () => {
    await call('POST', '/api/v1/users', admin(), { name: 'chen', password: 'first-password', role: 'viewer' });
    const first = (await signIn('chen', 'first-password')).body.token as string;
    expect((await call('GET', '/api/v1/auth/me', first)).body.role).toBe('viewer'); // now cached
    expect((await call('PUT', '/api/v1/users/chen', admin(), { role: 'maintenance', sites: [SITE] })).status).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', first)).body).toEqual(expect.objectContaining({ role: 'maintenance', sites: [SITE] }));

    expect((await call('PUT', '/api/v1/users/chen', admin(), { password: 'second-password' })).status).toBe(200);
    expect((await call('GET', '/api/v1/auth/me', first)).status).toBe(401);
    expect((await signIn('chen', 'first-password')).status).toBe(401);
    const second = (await signIn('chen', 'second-password')).body.token as string;
    expect((await call('GET', '/api/v1/auth/me', second)).status).toBe(200);

    expect((await call('DELETE', '/api/v1/users/chen', admin())).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', second)).status).toBe(401);
    expect((await signIn('chen', 'second-password')).status).toBe(401);
    const listed = (await call('GET', '/api/v1/users', admin())).body.find((user) => user.name === 'chen');
    expect(listed?.disabledAt).toEqual(expect.any(String));
    expect((await call('PUT', '/api/v1/users/chen', admin(), { role: 'admin', sites: [SITE] })).status).toBe(400);
  });

  it('shows an API token once, lists tokens without hashes, and revokes at once', async () => {
    const created = await call('POST', '/api/v1/tokens', admin(), { name: 'bms-integration', role: 'viewer', sites: [SITE] });
    expect(created.status).toBe(201);
    const token = created.body.token as string;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await call('GET', '/api/v1/sites', token)).status).toBe(200); // cached from here on
    const listed = await call('GET', '/api/v1/tokens', admin());
    const entry = listed.body.find((row) => row.id === created.body.id);
    expect(entry).toEqual(
      expect.objectContaining({ name: 'bms-integration', kind: 'api', role: 'viewer', sites: [SITE], createdBy: 'HALLWATCH_API_TOKEN' }),
    );
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toMatch(/[0-9a-f]{64}/);

    // A live socket opened with the token loses its stream when the token is revoked.
    const socket = io(`${running.baseUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    expect(await socket.emitWithAck('subscribe', { site: SITE })).toEqual({ ok: true, site: SITE });
    const dropped = new Promise<string>((resolve) => socket.on('disconnect', resolve));

    expect((await call('DELETE', `/api/v1/tokens/${String(created.body.id)}`, admin())).status).toBe(204);
    expect((await call('GET', '/api/v1/sites', token)).status).toBe(401);
    expect(await dropped).toBe('io server disconnect');
    expect((await call('DELETE', `/api/v1/tokens/${String(created.body.id)}`, admin())).status).toBe(404);
  });

  it('stops accepting a token when it expires, even from the cache', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const token = (await call('POST', '/api/v1/tokens', admin(), { name: 'short-lived', role: 'viewer', expiresAt })).body.token as string;
    expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(200);
    await eventually(async () => expect((await call('GET', '/api/v1/auth/me', token)).status).toBe(401), { timeoutMs: 5000 });
    expect(
      (await call('POST', '/api/v1/tokens', admin(), { name: 'past', role: 'viewer', expiresAt: '2020-01-01T00:00:00Z' })).status,
    ).toBe(400);
  });

  it('limits sign-in attempts per address and user name with a clear 429', async () => {
    await call('POST', '/api/v1/users', admin(), { name: 'guessed', password: 'the-real-password', role: 'viewer' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 5; attempt++) statuses.push((await signIn('guessed', `guess-${attempt}-wrong`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const limited = await signIn('guessed', 'the-real-password');
    expect(limited.status).toBe(429);
    expect(limited.body.detail).toMatch(/^Too many sign-in attempts: at most 5 a minute for one name and 20 a minute from one address/);
    expect((await signIn('mei', 'chiller-plant-42')).status).toBe(200);
  });

  it('limits sign-in attempts per client address', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) statuses.push((await signIn(`name-${attempt}`, 'some-password')).status);
    expect(statuses).toEqual([...Array<number>(20).fill(401), 429]);
  });

  it('keeps sign-ins and changes in the audit log, without passwords, for admins only', async () => {
    const log = await call('GET', '/api/v1/audit?limit=500', admin());
    expect(log.status).toBe(200);
    const text = JSON.stringify(log.body);
    for (const secret of ['chiller-plant-42', 'first-password', 'second-password', 'the-real-password', 'not-her-password'])
      expect(text).not.toContain(secret);
    const signIns = (await call('GET', '/api/v1/audit?action=auth.sign-in&actor=mei', admin())).body;
    expect(signIns.map((entry) => (entry.detail as { outcome: string }).outcome).sort()).toEqual(['failure', 'success', 'success']);
    expect(signIns[0]).toEqual(expect.objectContaining({ actor: 'mei', ip: expect.any(String) }));
    const userChanges = (await call('GET', `/api/v1/audit?action=${encodeURIComponent('PUT /api/v1/users')}`, admin())).body;
    expect(userChanges).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          actor: 'HALLWATCH_API_TOKEN',
          action: 'PUT /api/v1/users/:name',
          target: 'chen',
          detail: expect.objectContaining({ body: { password: '[redacted]' }, outcome: 'ok' }),
        }),
      ]),
    );
    const revoked = (await call('GET', `/api/v1/audit?action=${encodeURIComponent('DELETE /api/v1/tokens/:id')}`, admin())).body;
    expect(revoked.map((entry) => (entry.detail as { outcome: string }).outcome)).toEqual(['failed', 'ok']);
    const future = encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString());
    expect((await call('GET', `/api/v1/audit?from=${future}`, admin())).body).toEqual([]);
    const viewer = (await call('POST', '/api/v1/tokens', admin(), { name: 'curious', role: 'viewer' })).body.token as string;
    expect((await call('GET', '/api/v1/audit', viewer)).status).toBe(403);
  });
});
