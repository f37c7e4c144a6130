import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { connectAsync } from 'mqtt';
import { loadRegistryFile } from '@hallwatch/registry';
import { startSimulator } from '@hallwatch/simulators';
import { eventually, TEST_MQTT_URL } from '@hallwatch/testing';

const REGISTRY = join(__dirname, '../../registry/demo-city-hall.yaml');

describe('simulator back-fill through the real broker', () => {
  it('publishes one message per asset per tick over the range, all acknowledged and received', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
    const subscriber = await connectAsync(TEST_MQTT_URL);
    let received = 0;
    subscriber.on('message', () => received++);
    await subscriber.subscribeAsync(`${prefix}/#`, { qos: 1 });

    const simulator = await startSimulator({
      mqttUrl: TEST_MQTT_URL,
      registryPath: REGISTRY,
      seed: 104,
      tickMs: 600_000,
      topicPrefix: prefix,
      from: new Date('2025-07-01T00:00:00+08:00'),
      to: new Date('2025-07-01T02:00:00+08:00'),
    });
    await simulator.done;
    // 12 ticks; every asset but the fuel log (which refuels only in office hours) speaks each tick.
    const assets = loadRegistryFile(REGISTRY).sites[0].assets.filter((asset) => asset.type !== 'fuel-log').length;
    expect(simulator.stats()).toMatchObject({ sent: 12 * assets, acknowledged: 12 * assets });
    await eventually(() => expect(received).toBe(12 * assets));
    await simulator.stop();
    await subscriber.endAsync();
  });

  it('runs accelerated time: a simulated minute every 100 ms, each tick one message per asset stamped a minute apart', async () => {
    const prefix = `test-${randomBytes(4).toString('hex')}/hallwatch/v1`;
    const subscriber = await connectAsync(TEST_MQTT_URL);
    const stamps = new Map<number, number>();
    subscriber.on('message', (_topic, payload: Buffer) => {
      const ts = (JSON.parse(payload.toString()) as { ts: number }).ts;
      stamps.set(ts, (stamps.get(ts) ?? 0) + 1);
    });
    await subscriber.subscribeAsync(`${prefix}/#`, { qos: 1 });
    const simulator = await startSimulator({
      mqttUrl: TEST_MQTT_URL,
      registryPath: REGISTRY,
      seed: 104,
      tickMs: 60_000,
      speed: 600,
      topicPrefix: prefix,
    });
    const started = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await simulator.stop();
    const realMs = Date.now() - started;
    const { sent, acknowledged } = simulator.stats();
    await eventually(() => expect([...stamps.values()].reduce((a, b) => a + b, 0)).toBe(acknowledged));
    await subscriber.endAsync();

    const ticks = [...stamps.keys()].sort((a, b) => a - b);
    // Simulated time advances a minute a tick; real time a tenth of a second (at most; a busy machine may lag,
    // in real time one tick would come a minute apart).
    expect(ticks.slice(1).map((ts, i) => ts - ticks[i])).toEqual(Array(ticks.length - 1).fill(60_000));
    expect(ticks.length).toBeGreaterThanOrEqual(Math.floor(realMs / 100 / 2));
    expect(ticks.length).toBeLessThanOrEqual(Math.ceil(realMs / 100) + 1);
    const assets = loadRegistryFile(REGISTRY).sites[0].assets.filter((asset) => asset.type !== 'fuel-log').length;
    // Every tick has a message from every asset (the fuel log only when a car refuels).
    for (const count of stamps.values()) expect(count).toBeGreaterThanOrEqual(assets);
    expect(sent).toBe(acknowledged);
  });
});
