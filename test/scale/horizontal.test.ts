import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { io, Socket } from 'socket.io-client';
import { LiveReading } from '@hallwatch/domain';
import { RegistryRepository } from '@hallwatch/registry';
import {
  AppProcess,
  CountedStream,
  createTestDatabase,
  diffRollups,
  eventually,
  freePort,
  isolatedEnv,
  referenceRollups,
  startMosquitto,
  startProcess,
  storedReadings,
  storedRollups,
  testSite,
  TestBroker,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * Scale-out on existing engines: two ingest processes split the stream through an MQTT 5 shared
 * subscription, two api processes deliver the live stream through the socket.io Redis adapter.
 */
const SITE = 'scale-hall';
// Recent (not late): live readings, which the live lane stores and the sockets get one by one.
const BASE_TS = Date.now() - 10 * 60_000;

describe('two ingest and two api processes', () => {
  let broker: TestBroker;
  let testDb: TestDatabase;
  let shared: Record<string, string>;
  const ingests: Record<'a' | 'b', { env: Record<string, string>; process?: AppProcess }> = { a: { env: {} }, b: { env: {} } };
  const apis: AppProcess[] = [];
  let secondApi: string;
  let device: MqttClient;
  let socket: Socket;
  const live = new Set<number>();
  let stream: CountedStream;
  let pointId: number;

  const startIngest = async (name: 'a' | 'b') => {
    ingests[name].process = startProcess('ingest', ingests[name].env);
    await eventually(async () => expect((await fetch(`http://127.0.0.1:${ingests[name].env.PORT}/health`)).status).toBe(200), {
      timeoutMs: 30_000,
    });
  };
  const storedByIngest = async (name: 'a' | 'b') => {
    const metrics = await (
      await fetch(`http://127.0.0.1:${ingests[name].env.PORT}/metrics`, {
        headers: { authorization: `Bearer ${shared.HALLWATCH_API_TOKEN}` },
      })
    ).text();
    return Number(/hallwatch_ingest_readings_total\{[^}]*outcome="stored"\} (\d+)/.exec(metrics)?.[1] ?? 0);
  };
  beforeAll(async () => {
    broker = await startMosquitto();
    testDb = await createTestDatabase('postgres');
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([testSite(SITE)], 'registry');
    pointId = (await registry.findPointAddress(SITE, 'main-incomer', 'kW'))!.pointId;
    shared = isolatedEnv([testSite(SITE)], { DATABASE_URL: testDb.url!, MQTT_URL: broker.url, MQTT_SHARED_GROUP: 'hallwatch' });
    for (const name of ['a', 'b'] as const) {
      // Each instance: its own persistent session, spool and HTTP port; the shared group splits the stream.
      ingests[name].env = {
        ...shared,
        HALLWATCH_APP: `ingest-${name}`,
        PORT: String(await freePort()),
        MQTT_CLIENT_ID: `${shared.MQTT_CLIENT_ID}-${name}`,
        DATA_DIR: mkdtempSync(join(tmpdir(), `hallwatch-ingest-${name}-`)),
      };
      await startIngest(name);
    }
    const apiPorts = [await freePort(), await freePort()];
    for (const port of apiPorts) apis.push(startProcess('api', { ...shared, HALLWATCH_APP: 'api', PORT: String(port) }));
    secondApi = `http://127.0.0.1:${apiPorts[1]}`;
    await eventually(async () => expect((await fetch(`${secondApi}/health`)).status).toBe(200), { timeoutMs: 30_000 });
    socket = io(`${secondApi}/live`, { auth: { token: shared.HALLWATCH_API_TOKEN }, transports: ['websocket'] });
    await new Promise<void>((resolve, reject) => socket.on('connect', resolve).on('connect_error', reject));
    socket.on('readings', (batch: LiveReading[]) => batch.forEach((reading) => live.add(reading.value)));
    await socket.emitWithAck('subscribe', { site: SITE });
    device = await connectAsync(broker.url, { clientId: `${shared.MQTT_CLIENT_ID}-device` });
    stream = new CountedStream(device, `${shared.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, BASE_TS);
  }, 120_000);

  afterAll(async () => {
    socket?.close();
    await device?.endAsync();
    const processes = [...apis, ingests.a.process, ingests.b.process].filter((process): process is AppProcess => process !== undefined);
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await testDb?.drop();
    await broker?.stop();
  });

  it('stores every reading once, split between the ingests, and a socket on the second api sees all of them', async () => {
    await stream.publish(600);
    await stream.expectStored(testDb.db, pointId);
    expect(await storedByIngest('a')).toBeGreaterThan(0);
    expect(await storedByIngest('b')).toBeGreaterThan(0);
    expect((await storedByIngest('a')) + (await storedByIngest('b'))).toBe(stream.sent);
    await eventually(() => expect(live.size).toBe(stream.sent));
  });

  it('loses nothing when one ingest is killed mid-stream and comes back', async () => {
    const streaming = stream.publish(1000);
    await eventually(async () => expect(await storedByIngest('a')).toBeGreaterThan(400));
    await ingests.a.process!.stop('SIGKILL');
    await streaming;
    await startIngest('a');
    await stream.expectStored(testDb.db, pointId);
  });

  it('gives every 15-minute, hourly and daily rollup of a register and a gauge exactly the reference, whatever instance stored what', async () => {
    // A meter's readings spread over both instances by the shared subscription: shuffled, a fifth
    // re-delivered, a small backward step (jitter) now and then, a 40-minute hole.
    const registry = new RegistryRepository(testDb.db);
    const kWh = (await registry.findPointAddress(SITE, 'main-incomer', 'kWh'))!.pointId;
    const supplyT = (await registry.findPointAddress(SITE, 'chiller-1', 'chwsT'))!.pointId;
    const start = Date.parse('2025-07-01T09:50:00+08:00');
    const messages: Array<[string, number, Record<string, number>]> = [];
    let register = 5_000;
    for (let i = 0; i < 480; i++) {
      if (i >= 200 && i < 240) continue;
      const ts = start + i * 60_000 + (i % 7) * 1_000;
      register += i % 37 === 0 ? -0.2 : 0.5 + (i % 5) * 0.25;
      messages.push(['main-incomer', ts, { kWh: register }], ['chiller-1', ts, { chwsT: 6 + (i % 11) * 0.1 }]);
    }
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const delivery = [...messages, ...messages.filter(() => random() < 0.2)].sort(() => random() - 0.5);
    for (const [asset, ts, values] of delivery)
      await device.publishAsync(`${shared.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, JSON.stringify({ ts, values }), { qos: 1 });

    await eventually(
      async () => {
        const [row] = await testDb.db.query<{ count: number }>('select count(*)::int as count from readings where point_id = any($1)', [
          [kWh, supplyT],
        ]);
        expect(row.count).toBe(messages.length);
      },
      { timeoutMs: 60_000 },
    );
    // The refresher has caught up when nothing is left in its log (its positive marker).
    await eventually(
      async () =>
        expect(await testDb.db.query('select 1 from rollup_invalidations where point_id = any($1)', [[kWh, supplyT]])).toEqual([]),
      { timeoutMs: 60_000 },
    );
    const readings = await storedReadings(testDb.db, [kWh, supplyT]);
    const rollups = await storedRollups(testDb.db, [kWh, supplyT]);
    for (const [pointId, kind] of [
      [kWh, 'cumulative'],
      [supplyT, 'gauge'],
    ] as const) {
      const expected = referenceRollups({
        kind,
        attributes: {},
        readings: readings.get(pointId)!,
        replacements: [],
        timezone: 'Asia/Taipei',
      });
      expect(expected['15m'].size).toBeGreaterThan(30);
      expect(diffRollups(expected, rollups.get(pointId)!)).toEqual([]);
    }
  }, 120_000);
});
