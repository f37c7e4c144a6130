import { connectAsync, MqttClient } from 'mqtt';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

const SITE = 'consumption-hall';
const START = Date.parse('2025-07-01T09:00:00+08:00');
const MINUTE = 60_000;

const asset = (
  key: string,
  type: string,
  role: string | undefined,
  point: { key: string; kind: 'cumulative' | 'gauge'; unit: string },
) => ({
  key,
  name: key,
  type,
  tags: [],
  attributes: (role ? { role } : {}) as Record<string, string>,
  points: [{ ...point, tags: [], attributes: {} }],
});
const site: SiteDefinition = {
  key: SITE,
  name: 'Consumption hall',
  timezone: 'Asia/Taipei',
  attributes: { contractCapacityKw: 1500 },
  opcua: [],
  assets: [
    asset('main-incomer', 'electricity-meter', 'main', { key: 'kWh', kind: 'cumulative', unit: 'kWh' }),
    asset('submeter', 'electricity-meter', 'submeter', { key: 'kWh', kind: 'cumulative', unit: 'kWh' }),
    asset('water-main', 'water-meter', 'main', { key: 'm3', kind: 'cumulative', unit: 'm³' }),
    asset('fuel-log', 'fuel-log', undefined, { key: 'litres', kind: 'gauge', unit: 'L' }),
  ],
};

describe('consumption and 15-minute demand through the API', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;
  const range = `from=${START}&to=${START + 3 * 60 * MINUTE}`;
  /** Buckets are selected by their start: a daily query starts at a Taipei midnight. */
  const day = `from=2025-07-01T00:00:00%2B08:00&to=2025-07-02T00:00:00%2B08:00`;

  beforeAll(async () => {
    env = isolatedEnv([site], { DATABASE_EMBEDDED_STORAGE: 'memory' });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(TEST_MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    // Two hours every 5 minutes: the main incomer draws 1,200 kW (100 kWh per 5 minutes) in the
    // first hour and 600 kW in the second; water 2 m3 per 5 minutes; one refuelling of 42.5 L.
    let kWh = 80_000;
    let m3 = 500;
    for (let i = 0; i <= 24; i++) {
      const ts = START + i * 5 * MINUTE;
      if (i > 0) kWh += i <= 12 ? 100 : 50;
      if (i > 0) m3 += 2;
      const topic = (key: string) => `${env.MQTT_TOPIC_PREFIX}/${SITE}/${key}`;
      await device.publishAsync(topic('main-incomer'), JSON.stringify({ ts, values: { kWh } }), { qos: 1 });
      await device.publishAsync(topic('submeter'), JSON.stringify({ ts, values: { kWh: kWh / 2 } }), { qos: 1 });
      await device.publishAsync(topic('water-main'), JSON.stringify({ ts, values: { m3 } }), { qos: 1 });
    }
    await device.publishAsync(
      `${env.MQTT_TOPIC_PREFIX}/${SITE}/fuel-log`,
      JSON.stringify({ ts: START + 30 * MINUTE, values: { litres: 42.5 } }),
      { qos: 1 },
    );
    // The rollups follow the stored readings: wait until the last of each utility is in them.
    await eventually(async () => {
      const body = await get<{ total: number }>(`/api/v1/sites/${SITE}/consumption?utility=water&bucket=1h&${range}`);
      expect(body.total).toBe(48);
      const fuel = await get<{ total: number }>(`/api/v1/sites/${SITE}/consumption?utility=fuel&bucket=1d&${day}`);
      expect(fuel.total).toBe(42.5);
    });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
  });

  it('gives electricity per hour from the main incomer only, not the sub-meters', async () => {
    const body = await get<{ unit: string; total: number; rows: Array<{ ts: number; value: number }> }>(
      `/api/v1/sites/${SITE}/consumption?utility=electricity&bucket=1h&${range}`,
    );
    expect(body.unit).toBe('kWh');
    // A step belongs to the interval it closes: 09:00 has the 12 steps of 100 ending 09:05-10:00;
    // 10:00 the 12 steps of 50 ending 10:05-11:00; 11:00 only the last reading, and no step.
    expect(body.rows.map((row) => row.value)).toEqual([1200, 600, 0]);
    expect(body.total).toBe(1800);
  });

  it('gives water in m3 and fuel in litres per day', async () => {
    const water = await get<{ unit: string; total: number }>(`/api/v1/sites/${SITE}/consumption?utility=water&bucket=1d&${day}`);
    expect(water).toMatchObject({ unit: 'm³', total: 48 });
    const fuel = await get<{ unit: string; total: number }>(`/api/v1/sites/${SITE}/consumption?utility=fuel&bucket=1d&${day}`);
    expect(fuel).toMatchObject({ unit: 'L', total: 42.5 });
  });

  it('gives the 15-minute demand, its maximum and the contract capacity', async () => {
    const demand = await get<{ contractCapacityKw: number; maximum: { kW: number }; rows: Array<{ kW: number }> }>(
      `/api/v1/sites/${SITE}/demand?${range}`,
    );
    expect(demand.contractCapacityKw).toBe(1500);
    expect(demand.maximum.kW).toBe(1200);
    // Quarters closed by their end reading: 09:00-10:00 three steps of 100 kWh each -> 1,200 kW;
    // 10:00-11:00 three steps of 50 kWh -> 600 kW; 11:00-11:15 holds the last reading, no step -> 0.
    expect(demand.rows.map((row) => row.kW)).toEqual([1200, 1200, 1200, 1200, 600, 600, 600, 600, 0]);
  });

  it('rejects an unknown utility', async () => {
    const response = await fetch(`${running.baseUrl}/api/v1/sites/${SITE}/consumption?utility=gas`, {
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
    });
    expect(response.status).toBe(400);
  });
});
