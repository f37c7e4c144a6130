import { randomBytes } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import { decodePayload, encodePayload, UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

const GROUP = `Hall_${randomBytes(3).toString('hex')}`;
const SITE = GROUP.toLowerCase().replace(/_/g, '-');
const NODE = 'gateway-1';
const DEVICE = 'main-incomer';

const site: SiteDefinition = {
  key: SITE,
  name: 'Sparkplug hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    {
      key: DEVICE,
      name: 'Main incomer',
      type: 'electricity-meter',
      tags: [],
      attributes: {},
      points: [
        { key: 'Meter.kW', kind: 'gauge', unit: 'kW', tags: [], attributes: {} },
        { key: 'Meter.kWh', kind: 'cumulative', unit: 'kWh', tags: [], attributes: {} },
      ],
    },
  ],
};

const metric = (fields: Partial<UMetric> & Pick<UMetric, 'type' | 'value'>) => fields;

describe('Sparkplug B through the real broker', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let edge: MqttClient;
  let seq = 0;
  const commands: Array<{ topic: string; metrics: string[] }> = [];
  const t0 = Date.now() - 60_000;

  const api = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;
  const send = (type: string, metrics: UMetric[], { device = true, withSeq = true, timestamp = Date.now() } = {}) =>
    edge.publishAsync(
      `spBv1.0/${GROUP}/${type}/${NODE}${device ? `/${DEVICE}` : ''}`,
      Buffer.from(encodePayload({ timestamp, seq: withSeq ? seq++ % 256 : undefined, metrics })),
      { qos: 1 },
    );
  const kWReadings = () =>
    api<{ readings: Array<{ ts: string; value: number; flags: number; quality: string }> }>(
      `/api/v1/sites/${SITE}/assets/${DEVICE}/points/Meter.kW/readings?from=${t0 - 1}&to=${Date.now() + 60_000}`,
    );

  beforeAll(async () => {
    env = isolatedEnv([site], { DATABASE_EMBEDDED_STORAGE: 'memory', SPARKPLUG: 'on', SPARKPLUG_GROUPS: GROUP });
    running = await startApp(StandaloneModule, env);
    edge = await connectAsync(TEST_MQTT_URL, { clientId: `edge-${GROUP}` });
    await edge.subscribeAsync(`spBv1.0/${GROUP}/NCMD/${NODE}`);
    edge.on('message', (topic, payload) =>
      commands.push({ topic, metrics: (decodePayload(payload).metrics ?? []).map((m) => `${m.name}=${String(m.value)}`) }),
    );
  });

  afterAll(async () => {
    await edge?.endAsync();
    await running?.close();
  });

  it('stores birth values and alias-only data', async () => {
    await send(
      'NBIRTH',
      [metric({ name: 'bdSeq', type: 'UInt64', value: 1 }), metric({ name: 'Node Control/Rebirth', type: 'Boolean', value: false })],
      {
        device: false,
      },
    );
    await send('DBIRTH', [
      metric({ name: 'Meter/kW', alias: 1, type: 'Float', value: 400, timestamp: t0 }),
      metric({ name: 'Meter/kWh', alias: 2, type: 'Double', value: 1000, timestamp: t0 }),
    ]);
    await send('DDATA', [
      metric({ alias: 1, type: 'Float', value: 410, timestamp: t0 + 1000 }),
      metric({ alias: 2, type: 'Double', value: 1000.1, timestamp: t0 + 1000 }),
    ]);
    await eventually(async () => expect((await kWReadings()).readings.map((reading) => reading.value)).toEqual([400, 410]));
  });

  it('asks the edge node for a rebirth on an unknown alias, and dead-letters the metric', async () => {
    await send('DDATA', [metric({ alias: 42, type: 'Float', value: 1, timestamp: t0 + 2000 })]);
    await eventually(() =>
      expect(commands).toContainEqual({ topic: `spBv1.0/${GROUP}/NCMD/${NODE}`, metrics: ['Node Control/Rebirth=true'] }),
    );
    const { items: letters } = await api<{ items: Array<{ reason: string; source: string; payload: string }> }>(
      '/api/v1/ingest/dead-letters?reason=unknown-alias',
    );
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'unknown-alias', source: `sparkplug:${GROUP}`, payload: expect.stringMatching(/^base64:/) }),
    ]);
  });

  it('marks the node offline on its death, visible in health and metrics', async () => {
    await send('NDEATH', [metric({ name: 'bdSeq', type: 'UInt64', value: 1 })], { device: false, withSeq: false });
    await eventually(async () => {
      const details = await fetch(`${running.baseUrl}/health/details`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
      const health = (await details.json()) as { info: { sources: { offline: string[] } } };
      expect(health.info.sources.offline).toContain(`sparkplug ${GROUP}/${NODE}`);
    });
    const metrics = await (
      await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).text();
    expect(metrics).toContain(`hallwatch_source_online{source="sparkplug",id="${GROUP}/${NODE}"} 0`);
    expect(metrics).toMatch(/hallwatch_sparkplug_rebirth_requests_total\{reason="unknown alias in DDATA"\} 1/);
  });

  it('keeps the ledger: messages received, readings stored, rejections by reason', async () => {
    const metrics = await (
      await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).text();
    const source = `sparkplug:${GROUP}`;
    expect(metrics).toContain(`hallwatch_ingest_messages_total{source="${source}"} 5`);
    expect(metrics).toContain(`hallwatch_ingest_readings_total{source="${source}",outcome="stored"} 4`);
    expect(metrics).toContain(`hallwatch_ingest_rejected_total{source="${source}",reason="unknown-alias"} 1`);
  });

  it('stores a metric of uncertain Quality flagged as uncertain, and dead-letters one of bad Quality with the reason, counted', async () => {
    const quality = (code: number) => ({ Quality: { type: 'Int32' as const, value: code } });
    await send('NBIRTH', [metric({ name: 'bdSeq', type: 'UInt64', value: 2 })], { device: false });
    await send('DBIRTH', [
      metric({ name: 'Meter/kW', alias: 1, type: 'Float', value: 420, timestamp: t0 + 3000, properties: quality(64) }),
      metric({ name: 'Meter/kWh', alias: 2, type: 'Double', value: 1000.2, timestamp: t0 + 3000, properties: quality(0) }),
    ]);
    await send('DDATA', [metric({ alias: 1, type: 'Float', value: 430, timestamp: t0 + 4000, properties: quality(192) })]);
    await eventually(async () =>
      expect((await kWReadings()).readings.map((reading) => [reading.value, reading.flags, reading.quality])).toEqual([
        [400, 0, 'good'],
        [410, 0, 'good'],
        [420, 8, 'uncertain'], // ReadingFlags.uncertain
        [430, 0, 'good'],
      ]),
    );
    const { items: letters } = await api<{ items: Array<{ reason: string; detail: string; point: string | null }> }>(
      '/api/v1/ingest/dead-letters?reason=bad-value',
    );
    expect(letters).toEqual([
      expect.objectContaining({ reason: 'bad-value', detail: 'Meter/kWh: the device marked 1000.2 as bad quality (Quality 0)' }),
    ]);
    const metrics = await (
      await fetch(`${running.baseUrl}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    ).text();
    expect(metrics).toContain(`hallwatch_ingest_rejected_total{source="sparkplug:${GROUP}",reason="bad-value"} 1`);
  });
});
