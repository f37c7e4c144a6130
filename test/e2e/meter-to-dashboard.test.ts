import { connectAsync, MqttClient } from 'mqtt';
import { io, Socket } from 'socket.io-client';
import type { LiveReadingMessage } from '@hallwatch/live';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  BackendName,
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  testSite,
  TEST_MQTT_URL,
} from '@hallwatch/testing';

const SITE = 'slice-hall';
const hour = (iso: string) => Date.parse(iso);

describe.each<BackendName>(['postgres', 'timescaledb-embedded'])('from meter to live dashboard on %s', (backend) => {
  let env: Record<string, string>;
  let running: RunningApp;
  let publisher: MqttClient;
  let databaseUrl: string | undefined;
  const sockets: Socket[] = [];

  const api = (path: string, token: string | null = env.HALLWATCH_API_TOKEN) =>
    fetch(`${running.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const publish = (asset: string, payload: string) =>
    publisher.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, payload, { qos: 1 });
  const connectLive = (auth: Record<string, unknown>) => {
    const socket = io(`${running.baseUrl}/live`, { auth, transports: ['websocket'], reconnection: false });
    sockets.push(socket);
    return socket;
  };

  beforeAll(async () => {
    databaseUrl = backend === 'postgres' ? await createServerDatabase() : undefined;
    env = isolatedEnv([testSite(SITE)], databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_EMBEDDED_STORAGE: 'memory' });
    running = await startApp(StandaloneModule, env);
    publisher = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.close());
    await publisher?.endAsync();
    await running?.close();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
  });

  it('reports the database, Redis and the broker in /health without a token', async () => {
    const response = await eventually(async () => {
      const result = await api('/health', null);
      expect(result.status).toBe(200);
      return result;
    });
    const body = (await response.json()) as { status: string; info: Record<string, { status: string }> };
    expect(body.status).toBe('ok');
    expect(body.info).toMatchObject({ database: { status: 'up' }, redis: { status: 'up' }, mqtt: { status: 'up' } });
  });

  it('refuses the API without a valid token', async () => {
    expect((await api('/api/v1/sites', null)).status).toBe(401);
    expect((await api('/api/v1/sites', 'wrong-token-wrong-token')).status).toBe(401);
    expect((await api('/metrics', null)).status).toBe(401);
    expect((await api('/api/v1/sites')).status).toBe(200);
  });

  it('lists the registered site with its assets and points', async () => {
    const site = (await (await api(`/api/v1/sites/${SITE}`)).json()) as {
      assets: Array<{ key: string; points: Array<{ key: string; kind: string }> }>;
    };
    expect(site.assets.map((asset) => asset.key)).toEqual(['chiller-1', 'main-incomer']);
    expect(site.assets[1].points).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'kWh', kind: 'cumulative' })]));
    expect((await api('/api/v1/sites/nowhere')).status).toBe(404);
  });

  it('stores a published reading, serves it raw and in buckets, and ignores its re-delivery', async () => {
    const ts = hour('2025-07-01T10:05:00+08:00');
    await publish('main-incomer', JSON.stringify({ ts, values: { kW: 412.5, kWh: 1250311.7 } }));
    await publish('main-incomer', JSON.stringify({ ts: ts + 60_000, values: { kW: 420.5 } }));
    await publish('main-incomer', JSON.stringify({ ts, values: { kW: 999 } }));

    const path = `/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?from=2025-07-01T00:00:00%2B08:00&to=2025-07-02T00:00:00%2B08:00`;
    const raw = await eventually(async () => {
      const body = (await (await api(`${path}&bucket=raw`)).json()) as { readings: Array<{ ts: string; value: number }> };
      expect(body.readings).toHaveLength(2);
      return body;
    });
    expect(raw.readings.map((reading) => reading.value)).toEqual([412.5, 420.5]);
    // Rollups follow the stored readings through the refresher: wait for them. 420.5 kW holds for
    // an hour after 10:06 (no later reading), so the quarters to 11:00 carry it without a reading.
    const quarter = await eventually(async () => {
      const body = (await (await api(`${path}&bucket=15m`)).json()) as { unit: string; readings: Array<Record<string, unknown>> };
      // Both stored readings are in: the first alone would also give five quarters (it holds to 11:05).
      expect(body.readings[0]?.count).toBe(2);
      return body;
    });
    expect(quarter.unit).toBe('kW');
    expect(quarter.readings[0]).toEqual({
      ts: new Date(hour('2025-07-01T10:00:00+08:00')).toISOString(),
      count: 2,
      sum: 833,
      mean: 416.5,
      // weighted by how long each reading held; worked through in test/storage/registers.test.ts
      twMean: expect.any(Number),
      min: 412.5,
      max: 420.5,
      first: 412.5,
      last: 420.5,
      consumption: null,
      consumptionFlags: 0,
      estimated: null,
    });
    expect(quarter.readings.slice(1).map((row) => [row.count, row.mean, row.twMean])).toEqual([
      [0, null, 420.5],
      [0, null, 420.5],
      [0, null, 420.5],
      [0, null, 420.5],
    ]);
    expect((await api(`${path}&bucket=5m`)).status).toBe(400);
  });

  it('dead-letters malformed and unknown input with its reason, and keeps ingesting', async () => {
    await publish('main-incomer', '{"values": {"kW": ');
    await publish('main-incomer', JSON.stringify({ values: { kW: 'high', notAPoint: 1, kWh: 5 } }));
    await publish('no-such-asset', JSON.stringify({ values: { kW: 1 } }));
    await publish('Bad_Asset', JSON.stringify({ values: { kW: 1 } }));
    const ts = hour('2025-07-01T11:00:00+08:00');
    await publish('chiller-1', JSON.stringify({ ts, values: { chwsT: 7.2, running: true } }));

    const letters = await eventually(async () => {
      const { items } = (await (await api('/api/v1/ingest/dead-letters')).json()) as {
        items: Array<{ reason: string; payload: string; detail: string }>;
      };
      expect(items.length).toBe(5);
      return items;
    });
    expect(letters.map((letter) => letter.reason).sort()).toEqual(['bad-json', 'bad-topic', 'bad-value', 'unknown-asset', 'unknown-point']);
    expect(letters.find((letter) => letter.reason === 'bad-json')?.payload).toBe('{"values": {"kW": ');

    const running = await eventually(async () => {
      const body = (await (await api(`/api/v1/sites/${SITE}/assets/chiller-1/points/running/readings?from=${ts}&to=${ts + 1}`)).json()) as {
        readings: Array<{ value: number }>;
      };
      expect(body.readings).toHaveLength(1);
      return body.readings[0];
    });
    expect(running.value).toBe(1);

    const metrics = await (await api('/metrics')).text();
    expect(metrics).toMatch(/hallwatch_ingest_rejected_total\{source="[^"]+",reason="bad-json"\} 1/);
    expect(metrics).toMatch(/hallwatch_ingest_rejected_total\{source="[^"]+",reason="unknown-point"\} 1/);
    expect(metrics).toMatch(/hallwatch_http_requests_total\{method="GET",route="\/api\/v1\/ingest\/dead-letters",status="200"\} \d+/);
    expect(metrics).toMatch(/hallwatch_live_published_readings_total\{site="slice-hall"\} \d+/);
  });

  it('pushes accepted readings to a socket.io client subscribed to the site', async () => {
    const socket = connectLive({ token: env.HALLWATCH_API_TOKEN });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    const received: LiveReadingMessage[] = [];
    socket.on('readings', (batch: LiveReadingMessage[]) => received.push(...batch));
    expect(await socket.emitWithAck('subscribe', { site: SITE })).toEqual({ ok: true, site: SITE });
    expect(await socket.emitWithAck('subscribe', { site: 'nowhere' })).toEqual({
      ok: false,
      error: {
        type: 'urn:hallwatch:problem:not-found',
        title: 'Not found',
        status: 404,
        detail: 'unknown site nowhere',
        instance: '/live#subscribe',
      },
    });

    const ts = Date.now();
    await publish('main-incomer', JSON.stringify({ ts, values: { kW: 433.3 } }));
    await eventually(() =>
      expect(received).toContainEqual({ site: SITE, asset: 'main-incomer', point: 'kW', ts: new Date(ts).toISOString(), value: 433.3 }),
    );

    // A value the device marks uncertain goes out marked; a good one carries no quality at all.
    await publish('main-incomer', JSON.stringify({ ts: ts + 1000, values: { kW: 434.4, kWh: 1250400 }, quality: { kW: 'uncertain' } }));
    const sent = (point: string) => received.find((reading) => reading.point === point && reading.ts === new Date(ts + 1000).toISOString());
    await eventually(() => expect([sent('kW'), sent('kWh')]).toEqual([expect.anything(), expect.anything()]));
    expect(sent('kW')).toEqual({
      site: SITE,
      asset: 'main-incomer',
      point: 'kW',
      ts: new Date(ts + 1000).toISOString(),
      value: 434.4,
      quality: 'uncertain',
    });
    expect(sent('kWh')).not.toHaveProperty('quality');
    expect(received.find((reading) => reading.value === 433.3)).not.toHaveProperty('quality');
  });

  it('lets an admin register an asset through the API, and ingests it at once', async () => {
    const asset = { name: 'PV inverter', type: 'pv-inverter', tags: ['pv'], points: [{ key: 'kW', kind: 'gauge', unit: 'kW' }] };
    const put = await fetch(`${running.baseUrl}/api/v1/sites/${SITE}/assets/pv-roof`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify(asset),
    });
    expect(put.status).toBe(200);
    const invalid = await fetch(`${running.baseUrl}/api/v1/sites/${SITE}/assets/pv-roof`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...asset, points: [{ key: 'kW', kind: 'meter' }] }),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await invalid.json()).toMatchObject({
      type: 'urn:hallwatch:problem:invalid-input',
      status: 400,
      detail: expect.stringMatching(/^points\.0\.kind: /),
      errors: [expect.objectContaining({ field: 'points.0.kind' })],
    });

    const ts = Date.now() - 1000;
    await publish('pv-roof', JSON.stringify({ ts, values: { kW: 88.8 } }));
    await eventually(async () => {
      const body = (await (await api(`/api/v1/sites/${SITE}/assets/pv-roof/points/kW/readings?from=${ts}&to=${ts + 1}`)).json()) as {
        readings: unknown[];
      };
      expect(body.readings).toEqual([{ ts: new Date(ts).toISOString(), value: 88.8, flags: 0, quality: 'good' }]);
    });
  });

  it('serves the OpenAPI document with the routes and bearer auth', async () => {
    const document = (await (await api('/api/docs/openapi.json', null)).json()) as {
      paths: Record<string, unknown>;
      components: { securitySchemes: object };
    };
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/health',
        '/metrics',
        '/api/v1/sites',
        '/api/v1/sites/{site}',
        '/api/v1/sites/{site}/assets/{asset}/points/{point}/readings',
      ]),
    );
    expect(document.components.securitySchemes).toHaveProperty('bearer');
  });

  it('refuses a socket without a valid token', async () => {
    for (const auth of [{}, { token: 'not-a-token-at-all' }]) {
      const socket = connectLive(auth);
      const error = await new Promise<Error>((resolve) => socket.on('connect_error', resolve));
      expect(error.message).toMatch(/unauthorised/);
    }
  });
});
