import { connectAsync, MqttClient } from 'mqtt';
import { SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { eventually, isolatedEnv, RunningApp, startApp, TEST_MQTT_URL } from '@hallwatch/testing';

const SITE = 'consumption-hall';
const START = Date.parse('2025-07-01T09:00:00+08:00');
/** An instant as the API answers it: ISO 8601 in UTC. */
const iso = (epochMs: number) => new Date(epochMs).toISOString();
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

/** A second building whose main meter (read every 5 minutes) falls silent for 90 minutes. */
const GAP_SITE = 'gap-hall';
const GAP_DAY = Date.parse('2025-07-02T09:00:00+08:00');
const gapSite: SiteDefinition = {
  key: GAP_SITE,
  name: 'Gap hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    {
      ...asset('main', 'electricity-meter', 'main', { key: 'kWh', kind: 'cumulative', unit: 'kWh' }),
      points: [{ key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: [], attributes: { expectedIntervalSeconds: 300 } }],
    },
  ],
};
/** 09:00-09:30 every 5 minutes (+10 kWh a step), nothing until 11:00 (+90 kWh across the gap, an estimate), then 11:05 and 11:10 (+10 each). */
const GAP_READINGS: Array<[minute: number, kWh: number]> = [
  [0, 1000],
  [5, 1010],
  [10, 1020],
  [15, 1030],
  [20, 1040],
  [25, 1050],
  [30, 1060],
  [120, 1150],
  [125, 1160],
  [130, 1170],
];

describe('consumption and 15-minute demand through the API', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  const get = async <T>(path: string): Promise<T> =>
    (await (await fetch(`${running.baseUrl}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })).json()) as T;
  const range = `from=${START}&to=${START + 3 * 60 * MINUTE}`;
  /** Buckets are selected by their start: a daily query starts at a Taipei midnight. */
  const day = `from=2025-07-01T00:00:00%2B08:00&to=2025-07-02T00:00:00%2B08:00`;
  const gapRange = `from=${GAP_DAY}&to=${GAP_DAY + 3 * 60 * MINUTE}`;

  beforeAll(async () => {
    env = isolatedEnv([site, gapSite], { DATABASE_EMBEDDED_STORAGE: 'memory' });
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
    for (const [minute, kWh] of GAP_READINGS)
      await device.publishAsync(
        `${env.MQTT_TOPIC_PREFIX}/${GAP_SITE}/main`,
        JSON.stringify({ ts: GAP_DAY + minute * MINUTE, values: { kWh } }),
        {
          qos: 1,
        },
      );
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
      const gap = await get<{ total: number }>(`/api/v1/sites/${GAP_SITE}/consumption?utility=electricity&bucket=15m&${gapRange}`);
      expect(gap.total).toBe(170);
    });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
  });

  it('gives electricity per hour from the main incomer only, not the sub-meters', async () => {
    const body = await get<{ unit: string; total: number; rows: Array<{ ts: string; value: number }> }>(
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

  describe('coverage: how much of the period has data', () => {
    type Coverage = {
      quarters: number;
      quartersWithData: number;
      share: number | null;
      partial: boolean;
      firstData: string | null;
      lastData: string | null;
    };
    type DayEnergy = { kWh: number | null; change: number | null; coverage: Coverage; partial: boolean };

    it('is whole for a period with a reading in every quarter hour', async () => {
      // 09:00-11:00: eight quarter hours, each holding readings every 5 minutes.
      const body = await get<{ coverage: Coverage }>(
        `/api/v1/sites/${SITE}/consumption?utility=electricity&bucket=1h&from=${START}&to=${START + 2 * 60 * MINUTE}`,
      );
      expect(body.coverage).toEqual({
        quarters: 8,
        quartersWithData: 8,
        share: 1,
        partial: false,
        firstData: iso(START),
        lastData: iso(START + 115 * MINUTE),
      });
    });

    it('counts the quarter hours with data, whatever the bucket, and says the total is partial', async () => {
      // 09:00-12:00 is 12 quarter hours; readings 09:00-11:00 fill 09:00 ... 10:45 (8) and 11:00 (the last one): 9 of 12.
      for (const bucket of ['15m', '1h', '1d'])
        expect(
          (await get<{ coverage: Coverage }>(`/api/v1/sites/${SITE}/consumption?utility=electricity&bucket=${bucket}&${range}`)).coverage,
        ).toEqual({
          quarters: 12,
          quartersWithData: 9,
          share: 0.75,
          partial: true,
          firstData: iso(START),
          lastData: iso(START + 120 * MINUTE),
        });
      // The whole day: 96 quarter hours, 9 with data.
      const water = await get<{ coverage: Coverage }>(`/api/v1/sites/${SITE}/consumption?utility=water&bucket=1d&${day}`);
      expect(water.coverage).toMatchObject({ quarters: 96, quartersWithData: 9, share: 9 / 96, partial: true });
      // A log of refuellings has no coverage: a day without one is not missing data.
      expect(
        (await get<{ coverage: Coverage | null }>(`/api/v1/sites/${SITE}/consumption?utility=fuel&bucket=1d&${day}`)).coverage,
      ).toBeNull();
    });

    it('does not count the quarter hours of a meter gap, though the rollups spread an estimate over them', async () => {
      const body = await get<{ total: number; estimated: number; coverage: Coverage; rows: Array<{ ts: number; flags: number }> }>(
        `/api/v1/sites/${GAP_SITE}/consumption?utility=electricity&bucket=15m&${gapRange}`,
      );
      expect(body.total).toBe(170);
      expect(body.estimated).toBe(90);
      // With data: 09:00, 09:15, 09:30 (readings at 09:30), 11:00 (11:00-11:10). The gap's 09:45-10:45
      // (5, estimate only) and 11:15-11:45 (3, nothing) are missing: 4 of 12.
      expect(body.coverage).toEqual({
        quarters: 12,
        quartersWithData: 4,
        share: 4 / 12,
        partial: true,
        firstData: iso(GAP_DAY),
        lastData: iso(GAP_DAY + 130 * MINUTE),
      });
    });

    it('serves the overview with coverage, null for a day without data, and the change marked partial', async () => {
      const body = await get<{ energy: { today: DayEnergy; yesterday: DayEnergy; baseline: DayEnergy } }>(
        `/api/v1/sites/${GAP_SITE}/overview?at=2025-07-02T11:30`,
      );
      // Today 00:00-11:30: 46 whole quarter hours, 4 with data.
      expect(body.energy.today.kWh).toBe(170);
      expect(body.energy.today.coverage).toMatchObject({ quarters: 46, quartersWithData: 4, share: 4 / 46, partial: true });
      // Yesterday up to the newest reading's time of day (11:10): 44 whole quarter hours, none with data.
      expect(body.energy.yesterday).toMatchObject({ kWh: null, change: null, partial: true });
      expect(body.energy.yesterday.coverage).toEqual({
        quarters: 44,
        quartersWithData: 0,
        share: 0,
        partial: true,
        firstData: null,
        lastData: null,
      });
      expect(body.energy.baseline).toMatchObject({ kWh: null, change: null, partial: true });
    });
  });

  it('rejects an unknown utility', async () => {
    const response = await fetch(`${running.baseUrl}/api/v1/sites/${SITE}/consumption?utility=gas`, {
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
    });
    expect(response.status).toBe(400);
  });
});
