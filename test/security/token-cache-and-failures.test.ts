import { randomBytes } from 'node:crypto';
import { io } from 'socket.io-client';
import { ApiModule } from '@hallwatch/api';
import { AuthService, TOKEN_CACHE_LIMITS } from '@hallwatch/auth';
import { createServerDatabase, dropServerDatabase, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';
import { requestFrom } from '../support/from-address';

const GUESSER = '127.0.0.2';
const COLLEAGUE = '127.0.0.3';

/** Issue #15, item 6: invalid tokens were cached forever, and nothing slowed down anyone presenting them. */
describe('the token cache is bounded and failed authentication is limited per address', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  const me = (from: string, bearer: string) => requestFrom(from, `${running.baseUrl}/api/v1/auth/me`, { bearer });
  const randomToken = () => randomBytes(32).toString('base64url');

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite('east-hall')], { DATABASE_URL: databaseUrl, AUTH_SIGN_IN_LIMIT: '5', TRUST_PROXY: 'loopback' });
    running = await startApp(ApiModule, env);
  });

  afterAll(async () => {
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('keeps at most its cap of answers for invalid tokens, however many are tried', async () => {
    const auth = running.app.get(AuthService);
    expect(await auth.verify(env.HALLWATCH_API_TOKEN)).toEqual(expect.objectContaining({ role: 'admin' }));
    for (let tried = 0; tried < TOKEN_CACHE_LIMITS.invalid + 500; tried++) expect(await auth.verify(randomToken())).toBeUndefined();
    expect(auth.cachedAnswers).toEqual({ valid: 1, invalid: TOKEN_CACHE_LIMITS.invalid });
  });

  it('answers 429 with Retry-After to an address past 20 distinct invalid tokens a minute, and 401 to another address', async () => {
    const statuses: number[] = [];
    // A screen retrying its one expired token is refused each time, but counts once.
    const expired = randomToken();
    for (let attempt = 0; attempt < 25; attempt++) statuses.push((await me(GUESSER, expired)).status);
    for (let attempt = 0; attempt < 19; attempt++) statuses.push((await me(GUESSER, randomToken())).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    const limited = await me(GUESSER, randomToken());
    expect(limited.status).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(limited.body).toEqual(expect.objectContaining({ type: 'urn:hallwatch:problem:too-many-requests', status: 429 }));

    expect((await me(COLLEAGUE, randomToken())).status).toBe(401);
    expect((await me(COLLEAGUE, env.HALLWATCH_API_TOKEN)).status).toBe(200);
  });

  it('limits socket handshakes per client address, as told by a trusted proxy', async () => {
    /** The handshake's outcome: 'connected', or the server's refusal. */
    const handshake = (token: string, forwardedFor: string) =>
      new Promise<string>((resolve) => {
        const socket = io(`${running.baseUrl}/live`, {
          auth: { token },
          transports: ['websocket'],
          reconnection: false,
          extraHeaders: { 'x-forwarded-for': forwardedFor },
        });
        socket.on('connect', () => resolve('connected')).on('connect_error', (error) => resolve(error.message));
        socket.on('connect', () => socket.disconnect()).on('connect_error', () => socket.disconnect());
      });
    const outcomes: string[] = [];
    for (let attempt = 0; attempt < 21; attempt++) outcomes.push(await handshake(randomToken(), '203.0.113.7'));
    expect(outcomes.slice(0, 20).every((outcome) => outcome.startsWith('unauthorised'))).toBe(true);
    expect(outcomes[20]).toMatch(/^too-many-requests/);
    // Another client behind the same proxy is not held back.
    expect(await handshake(randomToken(), '203.0.113.8')).toMatch(/^unauthorised/);
    expect(await handshake(env.HALLWATCH_API_TOKEN, '203.0.113.8')).toBe('connected');
  });
});
