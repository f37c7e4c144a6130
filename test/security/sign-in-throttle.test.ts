import { ApiModule } from '@hallwatch/api';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';
import { requestFrom } from '../support/from-address';

const ATTACKER = '127.0.0.2';
const ADMIN_DESK = '127.0.0.3';

/** Issue #15, item 11: failed sign-ins for a name must not lock that user out from every address. */
describe('sign-in throttling per address and per address and name', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  const signIn = (from: string, name: string, password: string) =>
    requestFrom(from, `${running.baseUrl}/api/v1/auth/sign-in`, { method: 'POST', body: { name, password } });

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite('east-hall')], { DATABASE_URL: databaseUrl, AUTH_SIGN_IN_LIMIT: '5' });
    running = await startApp(ApiModule, env);
    const created = await requestFrom('127.0.0.1', `${running.baseUrl}/api/v1/users`, {
      method: 'POST',
      bearer: env.HALLWATCH_API_TOKEN,
      body: { name: 'admin', password: 'the-admins-password', role: 'admin' },
    });
    expect(created.status).toBe(201);
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('stops an attacker guessing the admin password, and lets the admin in from another address at once', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 10; attempt++) statuses.push((await signIn(ATTACKER, 'admin', `guess-${attempt}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    // Even the right password is refused to the attacker's address while it is blocked.
    const refused = await signIn(ATTACKER, 'admin', 'the-admins-password');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const admin = await signIn(ADMIN_DESK, 'admin', 'the-admins-password');
    expect(admin.status).toBe(200);
    expect(admin.body).toEqual(expect.objectContaining({ token: expect.any(String) }));
  });

  it('limits one address over all the names it tries', async () => {
    const from = '127.0.0.4';
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 21; attempt++) statuses.push((await signIn(from, `name-${attempt}`, 'some-password')).status);
    expect(statuses.slice(0, 20).every((status) => status === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await signIn('127.0.0.5', 'admin', 'the-admins-password')).status).toBe(200);
  });
});
