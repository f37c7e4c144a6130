import { join } from 'node:path';
import { connectAsync, MqttClient } from 'mqtt';
import { loadRegistryFile } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

/** The demo city hall's derived points: kW/RT, COP and delta-T per chiller, net load on the incomer. */
const demo = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const SITE = 'demo-city-hall';

describe('derived points of the demo city hall', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const ts = Date.now() - 60_000;
  const latest = async (asset: string, point: string) => {
    const response = await fetch(
      `${running.baseUrl}/api/v1/sites/${SITE}/assets/${asset}/points/${point}/readings?from=${ts - 1}&to=${ts + 1}`,
      {
        headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
      },
    );
    return ((await response.json()) as { readings: Array<{ value: number; flags: number }> }).readings[0];
  };

  beforeAll(async () => {
    env = isolatedEnv(demo, { DATABASE_EMBEDDED_STORAGE: 'memory' });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    const publish = (asset: string, values: Record<string, number>) =>
      device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, JSON.stringify({ ts, values }), { qos: 1 });
    await publish('chiller-1', { kW: 450, tons: 600, chwsT: 7, chwrT: 12.2, running: 1 });
    await publish('chiller-2', { kW: 0, tons: 0, chwsT: 12, chwrT: 12, running: 0 });
    await publish('pv-roof', { kW: 80 });
    await publish('main-incomer', { kW: 3000 });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
  });

  it('stores kW/RT, COP and delta-T of a running chiller, flagged as derived', async () => {
    const kWPerRt = await eventually(async () => {
      const reading = await latest('chiller-1', 'kWPerRt');
      expect(reading).toBeDefined();
      return reading;
    });
    expect(kWPerRt).toEqual({ ts, value: 0.75, flags: 2 });
    expect((await latest('chiller-1', 'cop')).value).toBeCloseTo(4.689, 3);
    expect((await latest('chiller-1', 'deltaT')).value).toBeCloseTo(5.2, 6);
  });

  it('stores no kW/RT for a stopped chiller, but its delta-T', async () => {
    await eventually(async () => expect(await latest('chiller-2', 'deltaT')).toEqual({ ts, value: 0, flags: 2 }));
    expect(await latest('chiller-2', 'kWPerRt')).toBeUndefined();
  });

  it('stores the net load: grid minus PV, across assets', async () => {
    await eventually(async () => expect(await latest('main-incomer', 'netKw')).toEqual({ ts, value: 2920, flags: 2 }));
  });
});
