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
  const stored = async (asset: string, point: string, from = ts, to = ts) => {
    const response = await fetch(
      `${running.baseUrl}/api/v1/sites/${SITE}/assets/${asset}/points/${point}/readings?from=${from - 1}&to=${to + 1}`,
      {
        headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
      },
    );
    const { readings } = (await response.json()) as { readings: Array<{ ts: string; value: number; flags: number }> };
    // Times as epoch ms, as published; the value and its flags (quality is another test's).
    return readings.map((reading) => ({ ts: Date.parse(reading.ts), value: reading.value, flags: reading.flags }));
  };
  const latest = async (asset: string, point: string) => (await stored(asset, point))[0];
  const publishEntries = (asset: string, entries: Array<{ ts: number; values: Record<string, number> }>) =>
    device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/${asset}`, JSON.stringify(entries), { qos: 1 });

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

  // The examples: each derived value from the inputs at its own time, not the newest ones.
  const t1 = ts + 10_000;
  const t2 = ts + 40_000;

  it('gives a message with several timestamps per input a delta-T at each: 5 at t1, 6.5 at t2', async () => {
    await publishEntries('chiller-3', [
      { ts: t1, values: { chwsT: 7, chwrT: 12 } },
      { ts: t2, values: { chwsT: 6, chwrT: 12.5 } },
    ]);
    await eventually(async () =>
      expect(await stored('chiller-3', 'deltaT', t1, t2)).toEqual([
        { ts: t1, value: 5, flags: 2 },
        { ts: t2, value: 6.5, flags: 2 },
      ]),
    );
  });

  it('gives two samples per node that arrive in separate messages (OPC UA-like) the same delta-Ts', async () => {
    await publishEntries('chiller-4', [
      { ts: t1, values: { chwsT: 7 } },
      { ts: t2, values: { chwsT: 6 } },
    ]);
    await publishEntries('chiller-4', [
      { ts: t1, values: { chwrT: 12 } },
      { ts: t2, values: { chwrT: 12.5 } },
    ]);
    await eventually(async () =>
      expect(await stored('chiller-4', 'deltaT', t1, t2)).toEqual([
        { ts: t1, value: 5, flags: 2 },
        { ts: t2, value: 6.5, flags: 2 },
      ]),
    );
  });
});
