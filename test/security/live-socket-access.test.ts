import { Emitter } from '@socket.io/redis-emitter';
import Redis from 'ioredis';
import { io, Socket } from 'socket.io-client';
import { ApiModule } from '@hallwatch/api';
import { LIVE_NAMESPACE, LiveReadingMessage, LiveServerEvents, ScopeChange, siteRoom, socketIoKey } from '@hallwatch/live';
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

const KEPT = 'north-hall';
const REMOVED = 'south-hall';
const PASSWORD = 'watching-the-halls';

/**
 * Issue #15, item 4: open sockets kept their old site scope after an admin changed the user's sites,
 * and sockets of disabled users or expired tokens kept streaming until the next periodic check.
 * The periodic check is set to an hour here: everything below must happen at once, without it.
 */
describe('live sockets follow account changes at once', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let databaseUrl: string;
  let redis: Redis;
  let live: ReturnType<Emitter<LiveServerEvents>['of']>;
  const sockets: Socket[] = [];

  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : null) as Record<string, unknown> };
  };
  const sessionOf = async (name: string, sites: string[]) => {
    expect((await call('POST', '/api/v1/users', { name, password: PASSWORD, role: 'viewer', sites })).status).toBe(201);
    const response = await fetch(`${running.baseUrl}/api/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: PASSWORD }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  /** A connected socket with every readings batch it receives, subscribed to these sites. */
  const openSocket = async (token: string, sites: string[]) => {
    const socket = io(`${running.baseUrl}${LIVE_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    const received: LiveReadingMessage[] = [];
    socket.on('readings', (batch: LiveReadingMessage[]) => received.push(...batch));
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    for (const site of sites) expect(await socket.emitWithAck('subscribe', { site })).toEqual({ ok: true, site });
    return { socket, received };
  };
  const reading = (site: string, value: number): LiveReadingMessage => ({
    site,
    asset: 'main-incomer',
    point: 'kW',
    ts: new Date().toISOString(),
    value,
  });
  /** Publishes as ingest does (the socket.io emitter through Redis) and waits until the socket has `marker`. */
  const publishUntil = async (received: LiveReadingMessage[], readings: LiveReadingMessage[], marker: LiveReadingMessage) => {
    for (const one of readings) live.to(siteRoom(one.site)).emit('readings', [one]);
    await eventually(() => received.some((got) => got.site === marker.site && got.value === marker.value));
  };
  const ended = (socket: Socket) =>
    Promise.all([
      new Promise<{ reason: string }>((resolve) => socket.on('session-ended', resolve)),
      new Promise<string>((resolve) => socket.on('disconnect', resolve)),
    ]);

  beforeAll(async () => {
    databaseUrl = await createServerDatabase();
    env = isolatedEnv([testSite(KEPT), testSite(REMOVED)], { DATABASE_URL: databaseUrl, LIVE_TOKEN_RECHECK_SECONDS: '3600' });
    running = await startApp(ApiModule, env);
    redis = new Redis(TEST_REDIS_URL);
    live = new Emitter<LiveServerEvents>(redis, { key: socketIoKey(env.REDIS_PREFIX) }).of(LIVE_NAMESPACE);
  });

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    redis?.disconnect();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it("stops streaming a site the moment it is removed from the user's scope, and keeps the others", async () => {
    const token = await sessionOf('watcher', [KEPT, REMOVED]);
    const { socket, received } = await openSocket(token, [KEPT, REMOVED]);
    await publishUntil(received, [reading(REMOVED, 1)], reading(REMOVED, 1));

    const rescoped = new Promise<ScopeChange>((resolve) => socket.on('scope-changed', resolve));
    expect((await call('PUT', '/api/v1/users/watcher', { sites: [KEPT] })).status).toBe(200);
    expect(await rescoped).toEqual({ sites: [KEPT], left: [REMOVED] });

    const sinceChange = received.length;
    await publishUntil(received, [reading(REMOVED, 2), reading(KEPT, 3)], reading(KEPT, 3));
    expect(received.slice(sinceChange)).toEqual([reading(KEPT, 3)].map((one) => ({ ...one, ts: expect.any(String) as string })));
    expect(await socket.emitWithAck('subscribe', { site: REMOVED })).toEqual({
      ok: false,
      error: expect.objectContaining({ type: 'urn:hallwatch:problem:forbidden', status: 403, detail: `not scoped to site ${REMOVED}` }),
    });
    expect(socket.connected).toBe(true);
  });

  it('ends the socket of a user the moment the user is disabled', async () => {
    const token = await sessionOf('leaver', [KEPT]);
    const { socket } = await openSocket(token, [KEPT]);
    const end = ended(socket);
    expect((await call('DELETE', '/api/v1/users/leaver')).status).toBe(204);
    const [session, disconnect] = await end;
    expect(session.reason).toMatch(/revoked or expired, or its user disabled/);
    expect(disconnect).toBe('io server disconnect');
  });

  it('re-scopes a socket on another api instance, through Redis', async () => {
    const other = await startApp(ApiModule, env);
    try {
      const token = await sessionOf('roamer', [KEPT, REMOVED]);
      const socket = io(`${other.baseUrl}${LIVE_NAMESPACE}`, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
      expect(await socket.emitWithAck('subscribe', { site: REMOVED })).toEqual({ ok: true, site: REMOVED });
      const rescoped = new Promise<ScopeChange>((resolve) => socket.on('scope-changed', resolve));
      expect((await call('PUT', '/api/v1/users/roamer', { sites: [KEPT] })).status).toBe(200);
      expect(await rescoped).toEqual({ sites: [KEPT], left: [REMOVED] });
    } finally {
      await other.close();
    }
  });

  it('ends a socket when its token expires, not at the next periodic check', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const created = await call('POST', '/api/v1/tokens', { name: 'short-lived screen', role: 'viewer', sites: [KEPT], expiresAt });
    expect(created.status).toBe(201);
    const { socket } = await openSocket(created.body.token as string, [KEPT]);
    const [, disconnect] = await ended(socket);
    expect(disconnect).toBe('io server disconnect');
  });
});
