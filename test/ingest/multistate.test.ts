import { connectAsync, MqttClient } from 'mqtt';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

const SITE = 'multistate-hall';
const STATES = [
  { value: 0, en: 'off', 'zh-TW': '停機' },
  { value: 1, en: 'on', 'zh-TW': '運轉' },
  { value: 2, en: 'fault', 'zh-TW': '故障' },
];
const site: SiteDefinition = {
  key: SITE,
  name: 'Multi-state hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    {
      key: 'chiller-1',
      name: 'Chiller 1',
      type: 'chiller',
      tags: ['chiller', 'equip'],
      attributes: {},
      points: [{ key: 'mode', kind: 'multistate', unit: '', tags: ['run'], attributes: {}, states: STATES }],
    },
  ],
};

/** A multi-state point (#18 item 6) through the broker, the pipeline and the API: states stored with their labels, anything else refused. */
describe('a multistate point from device to API', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const t0 = Date.now() - 60_000;
  const get = async <T>(path: string): Promise<T> =>
    (await (
      await fetch(`${running.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).json()) as T;

  beforeAll(async () => {
    env = isolatedEnv([site], { DATABASE_EMBEDDED_STORAGE: 'memory' });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(TEST_MQTT_URL, { clientId: `multistate-${env.REDIS_PREFIX}` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
  });

  it('stores the states, serves each with its labels, and dead-letters a value that is no state, counted', async () => {
    const topic = `${env.MQTT_TOPIC_PREFIX}/${SITE}/chiller-1`;
    const payload = [0, 1, 3, 2, 1.5].map((mode, i) => ({ ts: t0 + i * 1000, values: { mode } }));
    await device.publishAsync(topic, JSON.stringify(payload), { qos: 1 });

    const path = `/sites/${SITE}/assets/chiller-1/points/mode/readings?from=${new Date(t0 - 1).toISOString()}&to=${new Date(t0 + 60_000).toISOString()}`;
    await eventually(async () => expect((await get<{ readings: unknown[] }>(path)).readings).toHaveLength(3));
    const answer = await get<{ kind: string; states: unknown; readings: Array<{ value: number; label: string; labelZhTw: string }> }>(path);
    expect(answer).toMatchObject({ kind: 'multistate', states: STATES });
    expect(answer.readings.map(({ value, label, labelZhTw }) => [value, label, labelZhTw])).toEqual([
      [0, 'off', '停機'],
      [1, 'on', '運轉'],
      [2, 'fault', '故障'],
    ]);

    // One dead letter for the message, counting both refused values (3 and 1.5) and naming the first.
    const { items: letters } = await get<{ items: Array<{ reason: string; detail: string; count: number }> }>(
      '/ingest/dead-letters?reason=bad-value',
    );
    expect(letters).toEqual([
      expect.objectContaining({
        reason: 'bad-value',
        count: 2,
        detail: `3 is not a state of ${SITE}/chiller-1/mode (0 off, 1 on, 2 fault)`,
      }),
    ]);
    const metrics = await (
      await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).text();
    expect(metrics).toMatch(/hallwatch_ingest_rejected_total\{source="[^"]+",reason="bad-value"\} 2/);
  });

  it('rolls up like a status point: the last state of the quarter hour', async () => {
    const path = `/sites/${SITE}/assets/chiller-1/points/mode/readings?bucket=15m&from=${new Date(t0 - 900_000).toISOString()}&to=${new Date(t0 + 900_000).toISOString()}`;
    await eventually(async () => {
      const rows = (await get<{ readings: Array<{ count: number; last: number | null }> }>(path)).readings;
      expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(3);
      expect(rows.filter((row) => row.count > 0).at(-1)?.last).toBe(2);
    });
  });

  it('lists the states with the point in the site', async () => {
    const detail = await get<{ assets: Array<{ points: Array<{ key: string; kind: string; states: unknown }> }> }>(`/sites/${SITE}`);
    expect(detail.assets[0].points).toEqual([expect.objectContaining({ key: 'mode', kind: 'multistate', states: STATES })]);
  });
});
