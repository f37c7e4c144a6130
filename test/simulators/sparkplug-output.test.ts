import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Long from 'long';
import { connectAsync, MqttClient } from 'mqtt';
import { decodePayload, encodePayload, UPayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { loadRegistryFile } from '@hallwatch/registry';
import { generateMessages, SimulatorHandle, startSimulator } from '@hallwatch/simulators';
import { eventually, TcpProxy, TEST_MQTT_URL } from '@hallwatch/testing';
import { SparkplugDecoder } from '../../apps/ingest/src/sparkplug/sparkplug-decoder';

const REGISTRY = join(__dirname, '../../registry/demo-city-hall.yaml');
const site = loadRegistryFile(REGISTRY).sites[0];
/** Assets with at least one point the simulator publishes (derived points are Hallwatch's). */
const DEVICES = site.assets.filter((asset) => asset.points.some((point) => !point.expression)).map((asset) => asset.key);

interface Received {
  topic: string;
  type: string;
  device?: string;
  raw: Buffer;
  payload: UPayload;
}

const num = (value: unknown): number | undefined =>
  value === null || value === undefined ? undefined : Long.isLong(value) ? value.toNumber() : Number(value);
const bdSeqOf = (message: Received) => num(message.payload.metrics!.find((metric) => metric.name === 'bdSeq')?.value);

/** Collects every message under `spBv1.0/<group>/#`, decoded. */
async function listen(group: string): Promise<{ client: MqttClient; received: Received[] }> {
  const client = await connectAsync(TEST_MQTT_URL);
  const received: Received[] = [];
  client.on('message', (topic, raw) => {
    const [, , type, , device] = topic.split('/');
    received.push({ topic, type, device, raw, payload: decodePayload(raw) });
  });
  await client.subscribeAsync(`spBv1.0/${group}/#`, { qos: 1 });
  return { client, received };
}

describe('Sparkplug B output through the real broker', () => {
  const group = `test-${randomBytes(4).toString('hex')}`;
  const node = `sim-${site.key}`;
  // The simulator reaches the broker through a proxy the test can cut: an unclean end.
  const proxy = new TcpProxy('127.0.0.1', Number(new URL(TEST_MQTT_URL).port || 1883));
  let listener: { client: MqttClient; received: Received[] };
  let simulator: SimulatorHandle;
  const fromNode = () => listener.received.filter((message) => message.topic.split('/')[3] === node);

  beforeAll(async () => {
    await proxy.up();
    listener = await listen(group);
    // A simulated minute a second: a tick of every asset about every 80 ms.
    simulator = await startSimulator({
      mqttUrl: `mqtt://127.0.0.1:${proxy.port}`,
      registryPath: REGISTRY,
      output: 'sparkplug',
      sparkplugGroup: group,
      speed: 60,
      tickMs: 5000,
    });
  });

  afterAll(async () => {
    await simulator?.stop();
    await listener?.client.endAsync();
    await proxy.down();
  });

  it('births first: NBIRTH with bdSeq and seq 0, then a DBIRTH per asset naming each metric with an alias', async () => {
    await eventually(() => expect(fromNode().filter((message) => message.type === 'DBIRTH')).toHaveLength(DEVICES.length));
    const [nbirth, ...dbirths] = fromNode().slice(0, DEVICES.length + 1);
    expect(nbirth.topic).toBe(`spBv1.0/${group}/NBIRTH/${node}`);
    expect(num(nbirth.payload.seq)).toBe(0);
    expect(bdSeqOf(nbirth)).toEqual(expect.any(Number));
    expect(nbirth.payload.metrics!.map((metric) => metric.name)).toEqual(['bdSeq', 'Node Control/Rebirth']);
    expect(dbirths.map((message) => message.device)).toEqual(DEVICES);
    const aliases = dbirths.flatMap((message) => message.payload.metrics!.map((metric) => num(metric.alias)));
    expect(new Set(aliases).size).toBe(aliases.length);
    const chiller = dbirths.find((message) => message.device === 'chiller-1')!;
    const running = chiller.payload.metrics!.find((metric) => metric.name === 'running')!;
    expect(running.type).toBe('Boolean');
    expect(chiller.payload.metrics!.find((metric) => metric.name === 'kW')).toMatchObject({ type: 'Double', value: expect.any(Number) });
  });

  it('then DDATA with aliases only, sequence numbers one apart and wrapping after 255', async () => {
    await eventually(() => expect(fromNode().length).toBeGreaterThan(300), { timeoutMs: 30_000 });
    const messages = fromNode();
    const data = messages.filter((message) => message.type === 'DDATA');
    expect(data.length).toBeGreaterThan(250);
    const declared = new Set(
      messages
        .filter((message) => message.type === 'DBIRTH')
        .flatMap((message) => message.payload.metrics!.map((metric) => num(metric.alias))),
    );
    for (const message of data)
      for (const metric of message.payload.metrics!) {
        expect(metric.name).toBeUndefined();
        expect(declared.has(num(metric.alias))).toBe(true);
      }
    const seqs = messages.map((message) => num(message.payload.seq));
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe((seqs[i - 1]! + 1) % 256);
    expect(seqs.slice(1)).toContain(0);
  });

  it("is what Hallwatch's decoder reads without a rebirth request: group -> site, device -> asset, metric -> point", () => {
    const decoder = new SparkplugDecoder({ maxFutureMs: 1e12, maxAgeMs: 1e12, maxPayloadBytes: 1 << 20 });
    const outcomes = fromNode().map((message) => decoder.decode(message.topic, message.raw, Date.now()));
    expect(outcomes.filter((outcome) => outcome.rebirth)).toEqual([]);
    // A birth says null for a metric without a value yet (the fuel log between refuellings): Hallwatch refuses that value alone.
    const rejected = outcomes.flatMap((outcome) => outcome.result.rejections);
    expect(rejected.filter((rejection) => !(rejection.reason === 'bad-value' && rejection.point === 'litres'))).toEqual([]);
    const readings = outcomes.flatMap((outcome) => outcome.result.readings);
    expect(readings.find((reading) => reading.asset === 'main-incomer' && reading.point === 'kW')).toMatchObject({ site: group });
    expect(new Set(readings.map((reading) => reading.asset))).toEqual(new Set(DEVICES.filter((device) => device !== 'fuel-log')));
  });

  it('answers an NCMD Node Control/Rebirth with the births again, seq from 0 and the same bdSeq', async () => {
    const bdSeq = bdSeqOf(fromNode()[0]);
    const mark = fromNode().length;
    // As Hallwatch's Sparkplug source asks for it.
    const command = encodePayload({ timestamp: Date.now(), metrics: [{ name: 'Node Control/Rebirth', type: 'Boolean', value: true }] });
    await listener.client.publishAsync(`spBv1.0/${group}/NCMD/${node}`, Buffer.from(command), { qos: 0 });
    await eventually(() =>
      expect(
        fromNode()
          .slice(mark)
          .filter((message) => message.type === 'DBIRTH'),
      ).toHaveLength(DEVICES.length),
    );
    const after = fromNode().slice(mark);
    const nbirth = after.findIndex((message) => message.type === 'NBIRTH');
    expect(nbirth).toBeGreaterThanOrEqual(0);
    expect(bdSeqOf(after[nbirth])).toBe(bdSeq);
    expect(after.slice(nbirth, nbirth + DEVICES.length + 1).map((message) => num(message.payload.seq))).toEqual(
      Array.from({ length: DEVICES.length + 1 }, (_, i) => i),
    );
    await eventually(() =>
      expect(
        fromNode()
          .slice(mark + nbirth + DEVICES.length + 1)
          .some((message) => message.type === 'DDATA'),
      ).toBe(true),
    );
    const next = fromNode()[mark + nbirth + DEVICES.length + 1];
    expect(num(next.payload.seq)).toBe(DEVICES.length + 1);
  });

  it('leaves an NDEATH with the session bdSeq behind when its connection drops', async () => {
    const bdSeq = bdSeqOf(fromNode()[0]);
    await proxy.down();
    const death = await eventually(() => {
      const found = listener.received.find((message) => message.type === 'NDEATH');
      expect(found).toBeDefined();
      return found!;
    });
    expect(death.topic).toBe(`spBv1.0/${group}/NDEATH/${node}`);
    expect(bdSeqOf(death)).toBe(bdSeq);
  });
});

describe('native and Sparkplug B together (back-fill)', () => {
  it('keeps the native messages byte for byte, publishes the same values over Sparkplug, and ends with NDEATH', async () => {
    const group = `test-${randomBytes(4).toString('hex')}`;
    const prefix = `${group}/hallwatch/v1`;
    const listener = await listen(group);
    const native: Array<{ topic: string; payload: string }> = [];
    const nativeClient = await connectAsync(TEST_MQTT_URL);
    nativeClient.on('message', (topic, payload) => native.push({ topic, payload: payload.toString() }));
    await nativeClient.subscribeAsync(`${prefix}/#`, { qos: 1 });
    try {
      await backFillBoth(group, prefix, listener.received, native);
    } finally {
      await nativeClient.endAsync();
      await listener.client.endAsync();
    }
  });
});

/** Back-fills two hours with both outputs and checks the native bytes, the Sparkplug values and the clean NDEATH. */
async function backFillBoth(group: string, prefix: string, received: Received[], native: Array<{ topic: string; payload: string }>) {
  const from = new Date('2025-07-01T08:00:00+08:00');
  const to = new Date('2025-07-01T10:00:00+08:00');

  const simulator = await startSimulator({
    mqttUrl: TEST_MQTT_URL,
    registryPath: REGISTRY,
    seed: 104,
    tickMs: 600_000,
    topicPrefix: prefix,
    from,
    to,
    output: 'both',
    sparkplugGroup: group,
  });
  await simulator.done;
  await simulator.stop();

  const expected = [...generateMessages(site, { seed: 104, from: from.getTime(), to: to.getTime(), tickMs: 600_000, topicPrefix: prefix })];
  await eventually(() => expect(native).toHaveLength(expected.length));
  // QoS 1 keeps each asset's order; across assets the broker may interleave.
  const byTopic = (messages: Array<{ topic: string; payload: string }>) =>
    [...messages].sort((a, b) => a.topic.localeCompare(b.topic) || JSON.parse(a.payload).ts - JSON.parse(b.payload).ts);
  expect(byTopic(native)).toEqual(byTopic(expected.map(({ topic, payload }) => ({ topic, payload }))));

  await eventually(() => expect(received.some((message) => message.type === 'NDEATH')).toBe(true));
  const births = received.filter((message) => message.type === 'DBIRTH');
  const names = new Map(births.flatMap((message) => message.payload.metrics!.map((metric) => [num(metric.alias), metric.name!] as const)));
  // Every native reading is in a Sparkplug birth or data message of the same asset and time.
  const sparkplug = new Map<string, number | boolean>();
  for (const message of received.filter((candidate) => candidate.type === 'DBIRTH' || candidate.type === 'DDATA'))
    for (const metric of message.payload.metrics!)
      if (metric.value !== null)
        sparkplug.set(
          `${message.device}@${num(message.payload.timestamp)}/${names.get(num(metric.alias))}`,
          metric.value as number | boolean,
        );
  for (const message of expected) {
    const { ts, values } = JSON.parse(message.payload) as { ts: number; values: Record<string, number> };
    const asset = message.topic.slice(message.topic.lastIndexOf('/') + 1);
    // Only registry points: the model also says rainwater's flow, which has no point to go to.
    const points = site.assets.find((candidate) => candidate.key === asset)!.points.map((point) => point.key);
    for (const [point, value] of Object.entries(values).filter(([key]) => points.includes(key))) {
      const got = sparkplug.get(`${asset}@${ts}/${point.replace(/\./g, '/')}`);
      expect([asset, point, typeof got === 'boolean' ? Number(got) : got]).toEqual([asset, point, value]);
    }
  }
  expect(simulator.stats().sent).toBe(expected.length + received.filter((message) => message.type !== 'NDEATH').length);
}
