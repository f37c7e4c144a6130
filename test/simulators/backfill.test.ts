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
});
