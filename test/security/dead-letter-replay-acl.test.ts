import { readFileSync } from 'node:fs';
import { connectAsync, MqttClient } from 'mqtt';
import { ReadingFlags } from '@hallwatch/domain';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, testSite } from '@hallwatch/testing';
import { SecureBroker, startSecureMosquitto } from '../support/secure-mosquitto';

const SITE = 'replay-hall';
const PASSWORDS = { 'hallwatch-ingest': 'ingest-secret-456', [SITE]: 'gateway-secret-replay' };

interface Letter {
  id: string;
  /** ISO 8601, as every time in the API */
  receivedAt: string;
  replayedAt?: string;
}

/**
 * Under the shipped broker ACL ingest may not publish telemetry: a replay published to the broker
 * was dropped, yet answered "replayed" and marked so. Replays now go through ingest's own pipeline,
 * and a letter is marked replayed only once its readings are stored.
 */
describe('dead-letter replay under the secure broker configuration', () => {
  let broker: SecureBroker;
  let env: Record<string, string>;
  let running: RunningApp;
  let gateway: MqttClient;

  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${running.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status).toBeLessThan(300);
    return (await response.json()) as T;
  };
  const letter = async (id: string) =>
    (await call<{ items: Letter[] }>('GET', '/api/v1/ingest/dead-letters?reason=unknown-point')).items.find((entry) => entry.id === id);

  beforeAll(async () => {
    broker = await startSecureMosquitto(PASSWORDS);
    env = isolatedEnv([testSite(SITE)], {
      DATABASE_EMBEDDED_STORAGE: 'memory',
      MQTT_URL: broker.url,
      MQTT_USERNAME: 'hallwatch-ingest',
      MQTT_PASSWORD: PASSWORDS['hallwatch-ingest'],
      MQTT_CA_FILE: broker.caFile,
      MQTT_TOPIC_PREFIX: 'hallwatch/v1',
      MQTT_EMBEDDED_BROKER: 'off',
    });
    running = await startApp(StandaloneModule, env);
    gateway = await connectAsync(broker.url, {
      ca: readFileSync(broker.caFile),
      username: SITE,
      password: PASSWORDS[SITE],
      clientId: `${env.MQTT_CLIENT_ID}-gateway`,
    });
  }, 60_000);

  afterAll(async () => {
    await gateway?.endAsync();
    await running?.close();
    await broker?.stop();
  });

  it('stores the replayed reading and marks the letter only then; refused again, it stays pending', async () => {
    await gateway.publishAsync(`hallwatch/v1/${SITE}/main-incomer`, JSON.stringify({ values: { kW: 5, reactive: 7 } }), { qos: 1 });
    const { id, receivedAt } = await eventually(async () => {
      const [found] = (await call<{ items: Letter[] }>('GET', '/api/v1/ingest/dead-letters?reason=unknown-point')).items;
      expect(found).toBeDefined();
      return { id: found.id, receivedAt: Date.parse(found.receivedAt) };
    });

    // The point is still unknown: ingest refuses the replay, and the letter is not marked.
    expect(await call('POST', `/api/v1/ingest/dead-letters/${id}/replay`)).toEqual({
      replayed: [],
      rejected: [{ id, detail: expect.stringContaining('unknown-point') }],
      pending: [],
      skipped: [],
    });
    expect((await letter(id))?.replayedAt).toBeUndefined();

    await call('PUT', `/api/v1/sites/${SITE}/assets/main-incomer/points/reactive`, { kind: 'gauge', unit: 'kVAR' });
    expect(await call('POST', `/api/v1/ingest/dead-letters/${id}/replay`)).toEqual({
      replayed: [id],
      rejected: [],
      pending: [],
      skipped: [],
    });
    // "replayed" means stored: the reading is there, at the original receive time, before the answer came.
    const { readings } = await call<{ readings: Array<{ ts: string; value: number; flags: number }> }>(
      'GET',
      `/api/v1/sites/${SITE}/assets/main-incomer/points/reactive/readings?from=${receivedAt - 1}&to=${receivedAt + 1}`,
    );
    expect(readings).toEqual([{ ts: new Date(receivedAt).toISOString(), value: 7, flags: ReadingFlags.receiveTime, quality: 'good' }]);
    expect(Date.parse((await letter(id))!.replayedAt!)).toBeGreaterThanOrEqual(receivedAt);
  });
});
