import { ApiModule } from '@hallwatch/api';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';

/** Issue #15, item 5: HALLWATCH_API_TOKEN could be neither rotated nor revoked. */
describe('the seed admin token is a bootstrap only', () => {
  let env: Record<string, string>;
  let running: RunningApp | undefined;
  let databaseUrl: string;

  const call = async (method: string, path: string, bearer: string) => {
    const response = await fetch(`${running!.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${bearer}` } });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as unknown };
  };
  /** Stops the running api and starts it again on the same database with this seed value. */
  const restartWithSeed = async (seed: string) => {
    await running?.close();
    running = await startApp(ApiModule, { ...env, HALLWATCH_API_TOKEN: seed });
  };

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite('east-hall')], { DATABASE_URL: databaseUrl });
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('revokes the previous seed token when the value changes', async () => {
    await restartWithSeed('first-seed-token-value');
    expect((await call('GET', '/api/v1/auth/me', 'first-seed-token-value')).status).toBe(200);

    await restartWithSeed('second-seed-token-value');
    expect((await call('GET', '/api/v1/auth/me', 'second-seed-token-value')).body).toEqual(
      expect.objectContaining({ name: 'HALLWATCH_API_TOKEN', role: 'admin' }),
    );
    expect((await call('GET', '/api/v1/auth/me', 'first-seed-token-value')).status).toBe(401);

    // Going back to a replaced value does not bring it back, nor does it revoke the current one.
    await restartWithSeed('first-seed-token-value');
    expect((await call('GET', '/api/v1/auth/me', 'first-seed-token-value')).status).toBe(401);
    await restartWithSeed('second-seed-token-value');
    expect((await call('GET', '/api/v1/auth/me', 'second-seed-token-value')).status).toBe(200);
  });

  it('keeps a revoked seed token revoked across restarts', async () => {
    const seed = 'second-seed-token-value';
    const tokens = (await call('GET', '/api/v1/tokens', seed)).body as Array<{ id: number; name: string }>;
    const own = tokens.find((token) => token.name === 'HALLWATCH_API_TOKEN')!;
    const other = (await fetch(`${running!.baseUrl}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${seed}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'second admin', role: 'admin' }),
    }).then((response) => response.json())) as { token: string };

    expect((await call('DELETE', `/api/v1/tokens/${own.id}`, other.token)).status).toBe(204);
    expect((await call('GET', '/api/v1/auth/me', seed)).status).toBe(401);

    await restartWithSeed(seed);
    expect((await call('GET', '/api/v1/auth/me', seed)).status).toBe(401);
    expect((await call('GET', '/api/v1/auth/me', other.token)).status).toBe(200);
  });
});
