import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { SimulatorHandle, startSimulator } from '@hallwatch/simulators';
import { eventually, TEST_MQTT_URL } from '@hallwatch/testing';

const REGISTRY = join(__dirname, '../../registry/demo-city-hall.yaml');

interface Received {
  asset: string;
  payload: string;
}

interface Reading {
  ts: number;
  values: Record<string, number>;
}

/** The payload as a reading, or undefined when it is not JSON or has no ts: what a malformed message looks like. */
function reading(payload: string): Reading | undefined {
  try {
    const parsed = JSON.parse(payload) as Partial<Reading>;
    return typeof parsed.ts === 'number' && typeof parsed.values === 'object' ? (parsed as Reading) : undefined;
  } catch {
    return undefined;
  }
}

describe('faults on demand through the control API, checked on the published stream', () => {
  const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
  const received: Received[] = [];
  let subscriber: MqttClient;
  let simulator: SimulatorHandle;

  const api = (method: string, path: string, body?: unknown) =>
    fetch(`${simulator.controlUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
  /** Adds a fault and returns its id with the count of messages received so far, after which its effect may show. */
  const inject = async (fault: Record<string, unknown>) => {
    const response = await api('POST', '/faults', fault);
    expect(response.status).toBe(201);
    const { id } = (await response.json()) as { id: string };
    return { id, mark: received.length };
  };
  /** The asset's messages after `mark`, without the first few that may have been on their way before the fault. */
  const after = (mark: number, asset: string) =>
    received
      .slice(mark)
      .filter((message) => message.asset === asset)
      .slice(3);

  beforeAll(async () => {
    subscriber = await connectAsync(TEST_MQTT_URL);
    subscriber.on('message', (topic, payload) =>
      received.push({ asset: topic.slice(topic.lastIndexOf('/') + 1), payload: payload.toString() }),
    );
    await subscriber.subscribeAsync(`${prefix}/#`, { qos: 1 });
    // Live, a simulated minute a second: a tick of every asset about every 80 ms.
    simulator = await startSimulator({
      mqttUrl: TEST_MQTT_URL,
      registryPath: REGISTRY,
      seed: 104,
      speed: 60,
      tickMs: 5000,
      topicPrefix: prefix,
      controlPort: 0,
    });
    await eventually(() => expect(received.filter((message) => message.asset === 'weather').length).toBeGreaterThan(3));
    // The demo registry's own first fault (simulators/src/demo-faults.ts) starts with the simulator:
    // gone, so that only the faults these tests add are in force (the next comes 2 simulated hours on).
    for (const fault of (await (await api('GET', '/faults')).json()) as Array<{ id: string }>) {
      expect((await api('DELETE', `/faults/${fault.id}`)).status).toBe(204);
    }
  });

  afterAll(async () => {
    await simulator?.stop();
    await subscriber?.endAsync();
  });

  it('listens on 127.0.0.1 and refuses a bad fault with 400 and the reason', async () => {
    expect(simulator.controlUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const cases: [unknown, RegExp][] = [
      ['{"kind": "stuck",', /not JSON/],
      [{ kind: 'stuck' }, /asset: Required/],
      [{ kind: 'meltdown', asset: 'weather' }, /kind: Invalid discriminator value/],
      [{ kind: 'offline', asset: 'lobby-fountain' }, /no asset lobby-fountain/],
      [{ kind: 'zone-too-cold', asset: 'zone-2f-east', setpoint: 27 }, /below the 26 °C policy/],
    ];
    for (const [body, reason] of cases) {
      const response = await api('POST', '/faults', body);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: string }).error).toMatch(reason);
    }
    expect((await api('DELETE', '/faults/no-such-fault')).status).toBe(404);
    expect(await (await api('GET', '/faults')).json()).toEqual([]);
  });

  it('stuck: the point repeats one value on the stream until the fault is deleted', async () => {
    const before = received.filter((message) => message.asset === 'weather').map((message) => reading(message.payload)!.values.outdoorT);
    expect(new Set(before).size).toBeGreaterThan(1);
    const { id, mark } = await inject({ kind: 'stuck', asset: 'weather', point: 'outdoorT' });
    const stuck = await eventually(() => {
      const values = after(mark, 'weather').map((message) => reading(message.payload)!.values.outdoorT);
      expect(values.length).toBeGreaterThanOrEqual(10);
      return values;
    });
    expect(new Set(stuck).size).toBe(1);
    expect(await (await api('GET', '/faults')).json()).toEqual([{ id, kind: 'stuck', asset: 'weather', point: 'outdoorT' }]);
    expect((await api('DELETE', `/faults/${id}`)).status).toBe(204);
    const released = received.length;
    await eventually(() =>
      expect(new Set(after(released, 'weather').map((message) => reading(message.payload)!.values.outdoorT)).size).toBeGreaterThan(1),
    );
  });

  it('spike: one reading far above the rest, then back to normal', async () => {
    const { id, mark } = await inject({ kind: 'spike', asset: 'submeter-it-ups', point: 'kW', factor: 10 });
    const kW = await eventually(() => {
      const values = received
        .slice(mark)
        .filter((message) => message.asset === 'submeter-it-ups')
        .map((message) => reading(message.payload)!.values.kW);
      const spike = values.findIndex((value) => value > 1000);
      expect(spike).toBeGreaterThanOrEqual(0);
      expect(values.length).toBeGreaterThan(spike + 5);
      return values;
    });
    // The IT room draws about 180 kW: one reading near 1800, every other one where it was.
    expect(kW.filter((value) => value > 1000)).toHaveLength(1);
    expect(kW.filter((value) => value <= 1000).every((value) => value > 150 && value < 210)).toBe(true);
    expect((await api('DELETE', `/faults/${id}`)).status).toBe(204);
  });

  it('malformed: the asset’s payloads are not JSON or have no ts until the fault is deleted', async () => {
    const { id, mark } = await inject({ kind: 'malformed', asset: 'pv-roof' });
    const payloads = await eventually(() => {
      const list = after(mark, 'pv-roof').map((message) => message.payload);
      expect(list.length).toBeGreaterThanOrEqual(10);
      return list;
    });
    expect(payloads.every((payload) => reading(payload) === undefined)).toBe(true);
    // Only that asset: the weather station next to it still sends readings.
    expect(after(mark, 'weather').every((message) => reading(message.payload) !== undefined)).toBe(true);
    expect((await api('DELETE', `/faults/${id}`)).status).toBe(204);
    const released = received.length;
    await eventually(() =>
      expect(after(released, 'pv-roof').filter((message) => reading(message.payload) !== undefined).length).toBeGreaterThan(2),
    );
  });

  it('duplicate: every message of the asset arrives twice', async () => {
    const { id, mark } = await inject({ kind: 'duplicate', asset: 'chiller-4' });
    const payloads = await eventually(() => {
      const list = after(mark, 'chiller-4').map((message) => message.payload);
      expect(list.length).toBeGreaterThanOrEqual(12);
      return list;
    });
    // Pairs of equal payloads (the first may be the second half of a pair or a message from before).
    const start = payloads[0] === payloads[1] ? 0 : 1;
    for (let i = start; i + 1 < payloads.length; i += 2) expect(payloads[i + 1]).toBe(payloads[i]);
    expect((await api('DELETE', `/faults/${id}`)).status).toBe(204);
  });
});

describe('faults given at start, in a back-fill through the real broker', () => {
  it('keeps an offline meter off the stream for its window and sends everything else', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
    const subscriber = await connectAsync(TEST_MQTT_URL);
    const received: Received[] = [];
    subscriber.on('message', (topic, payload) =>
      received.push({ asset: topic.slice(topic.lastIndexOf('/') + 1), payload: payload.toString() }),
    );
    await subscriber.subscribeAsync(`${prefix}/#`, { qos: 1 });
    const simulator = await startSimulator({
      mqttUrl: TEST_MQTT_URL,
      registryPath: REGISTRY,
      tickMs: 600_000,
      topicPrefix: prefix,
      from: new Date('2025-07-01T00:00:00+08:00'),
      to: new Date('2025-07-01T02:00:00+08:00'),
      faults: [{ kind: 'offline', asset: 'main-incomer', from: '2025-07-01T00:30:00+08:00', to: '2025-07-01T01:30:00+08:00' }],
    });
    await simulator.done;
    await eventually(() => expect(received).toHaveLength(simulator.stats().acknowledged));
    const ts = received.filter((message) => message.asset === 'main-incomer').map((message) => reading(message.payload)!.ts);
    expect(ts.map((value) => new Date(value).toISOString().slice(11, 16))).toEqual(['16:00', '16:10', '16:20', '17:30', '17:40', '17:50']);
    expect(received.filter((message) => message.asset === 'weather')).toHaveLength(12);
    await simulator.stop();
    await subscriber.endAsync();
  });

  it('refuses to start with a bad fault, saying which', async () => {
    await expect(
      startSimulator({
        mqttUrl: TEST_MQTT_URL,
        registryPath: REGISTRY,
        faults: [
          { kind: 'offline', asset: 'weather' },
          { kind: 'stuck', asset: 'nowhere' },
        ],
      }),
    ).rejects.toThrow(/fault 2: asset: no asset nowhere/);
  });
});
