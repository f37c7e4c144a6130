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
  eventually,
  freePort,
  isolatedEnv,
  startMosquitto,
  startProcess,
  testSite,
  TestBroker,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * Scale-out on existing engines: two ingest processes split the stream through an MQTT 5 shared
 * subscription, two api processes deliver the live stream through the socket.io Redis adapter.
 */
const SITE = 'scale-hall';
const BASE_TS = Date.now() - 3_600_000;

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
});
