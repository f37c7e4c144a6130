import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { StandaloneModule } from '@hallwatch/standalone';
import { createTestDatabase, demoSite, isolatedEnv, renamedSite, Renaming, RunningApp, startApp, TestDatabase } from '@hallwatch/testing';

const HOUR = 3_600_000;
const KEPT = ['main-incomer', 'chiller-1', 'chiller-2', 'weather', 'water-main', 'zone-2f-east', 'pv-roof'];

/** A part of the demo city hall: its main incomer (without the net load), two chillers, the weather station, the water main, a zone and the PV. */
function smallDemo(key: string): SiteDefinition {
  const demo = demoSite();
  return {
    ...demo,
    key,
    assets: demo.assets
      .filter((asset) => KEPT.includes(asset.key))
      .map((asset) => ({ ...asset, points: asset.points.filter((point) => point.key !== 'netKw') })),
  };
}

const without = (answer: Record<string, unknown>, ...names: string[]) =>
  Object.fromEntries(Object.entries(answer).filter(([name]) => !names.includes(name)));

const DEMO = 'tags-demo-hall';
const renaming: Renaming = {
  site: 'tags-renamed-hall',
  assets: {
    'main-incomer': 'incomer-a',
    'chiller-1': 'ch-north',
    'chiller-2': 'ch-south',
    weather: 'roof-station',
    'water-main': 'city-water',
    'zone-2f-east': 'room-201',
    'pv-roof': 'roof-array',
  },
  points: {
    kW: 'P',
    kWh: 'E',
    outdoorT: 'oat',
    kWPerRt: 'eff',
    deltaT: 'dT',
    m3: 'vol',
    chwsT: 'chwl',
    chwrT: 'chwe',
    tons: 'rt',
    running: 'on',
    mode: 'state',
    alarm: 'trip',
    temp: 't',
    humidity: 'rh',
    co2: 'ppm',
    setpoint: 'sp',
  },
};
const demo = smallDemo(DEMO);
const renamed = renamedSite(demo, renaming);

/**
 * Haystack tags carry meaning (#18 item 6): a building whose main meter, weather station and chillers
 * have other keys, other asset types and no `role` attribute, but the same tags, gets the same
 * report figures, the same overview and the dashboard's roles pointing at its own keys.
 */
describe('main meter, outdoor temperature, chillers, zones and PV found by tags', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let running: RunningApp;
  const get = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${running.baseUrl}/api/v1${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    expect([path, response.status]).toEqual([path, 200]);
    return (await response.json()) as T;
  };

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    env = isolatedEnv([demo, renamed], { DATABASE_URL: testDb.url! });
    running = await startApp(StandaloneModule, env);
    const ids = new Map(
      (await new RegistryRepository(testDb.db).allPointAddresses()).map((p) => [`${p.site}/${p.asset}/${p.point}`, p.pointId]),
    );
    const reads: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
    for (const [site, meter, energy, power, station, outdoor] of [
      [DEMO, 'main-incomer', 'kWh', 'kW', 'weather', 'outdoorT'],
      [renaming.site, 'incomer-a', 'E', 'P', 'roof-station', 'oat'],
    ]) {
      // The register: 100 kWh an hour on 2024-07-01 and 02 (the baseline), 90 kWh an hour on 2025-07-01 and 02.
      for (const [start, perHour] of [
        [Date.parse('2024-07-01T00:00:00+08:00'), 100],
        [Date.parse('2025-07-01T00:00:00+08:00'), 90],
      ])
        for (let h = 0; h <= 48; h++) {
          reads.push({ pointId: ids.get(`${site}/${meter}/${energy}`)!, ts: start + h * HOUR, value: 50_000 + perHour * h, flags: 0 });
          reads.push({ pointId: ids.get(`${site}/${station}/${outdoor}`)!, ts: start + h * HOUR, value: 30, flags: 0 });
        }
      // 360 kW every quarter hour on the morning of 2025-07-02.
      for (let q = 0; q <= 48; q++)
        reads.push({
          pointId: ids.get(`${site}/${meter}/${power}`)!,
          ts: Date.parse('2025-07-02T00:00:00+08:00') + q * 900_000,
          value: 360,
          flags: 0,
        });
    }
    await new ReadingRepository(testDb.db, testDb.db).insertBatch(reads);
    await new RollupRefresher(testDb.db).drain();
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await testDb?.drop();
  });

  it("serves each site's roles under its own keys", async () => {
    const [mine, theirs] = await Promise.all([
      get<{ roles: unknown }>(`/sites/${DEMO}`),
      get<{ roles: unknown }>(`/sites/${renaming.site}`),
    ]);
    expect(mine.roles).toEqual({
      mainMeter: { asset: 'main-incomer', power: 'kW', energy: 'kWh' },
      outdoorTemperature: { asset: 'weather', point: 'outdoorT' },
      outdoorHumidity: { asset: 'weather', point: 'outdoorRh' },
      chillers: ['chiller-1', 'chiller-2'],
      chillerPoints: ['chiller-1', 'chiller-2'].map((asset) => ({
        asset,
        running: 'running',
        runState: 'mode',
        alarm: 'alarm',
        power: 'kW',
        leavingTemp: 'chwsT',
        enteringTemp: 'chwrT',
        capacity: 'tons',
      })),
      zones: [{ asset: 'zone-2f-east', temperature: 'temp', humidity: 'humidity', co2: 'co2', setpoint: 'setpoint', occupied: null }],
      pv: { asset: 'pv-roof', power: 'kW' },
    });
    expect(theirs.roles).toEqual({
      mainMeter: { asset: 'incomer-a', power: 'P', energy: 'E' },
      outdoorTemperature: { asset: 'roof-station', point: 'oat' },
      outdoorHumidity: { asset: 'roof-station', point: 'outdoorRh' },
      chillers: ['ch-north', 'ch-south'],
      chillerPoints: ['ch-north', 'ch-south'].map((asset) => ({
        asset,
        running: 'on',
        runState: 'state',
        alarm: 'trip',
        power: 'P',
        leavingTemp: 'chwl',
        enteringTemp: 'chwe',
        capacity: 'rt',
      })),
      zones: [{ asset: 'room-201', temperature: 't', humidity: 'rh', co2: 'ppm', setpoint: 'sp', occupied: null }],
      pv: { asset: 'roof-array', power: 'P' },
    });
  });

  it('gives the same savings report: 4,320 kWh against 4,800 kWh', async () => {
    const report = (site: string) =>
      get<Record<string, unknown> & { totals: unknown }>(
        `/reports/savings?site=${site}&from=2025-07-01&to=2025-07-03&baselineYear=2024&lang=en`,
      );
    const [mine, theirs] = await Promise.all([report(DEMO), report(renaming.site)]);
    // 2 days × 24 h × 90 kWh against 2 days × 24 h × 100 kWh
    expect(mine.totals).toMatchObject({ current: 4_320, baseline: 4_800, difference: -480, percent: -10 });
    expect(without(theirs, 'site', 'generatedAt')).toEqual(without(mine, 'site', 'generatedAt'));
  });

  it('gives the same overview: the day so far and the demand of the quarter', async () => {
    const at = encodeURIComponent('2025-07-02T12:00:00+08:00');
    const [mine, theirs] = await Promise.all([
      get<Record<string, unknown>>(`/sites/${DEMO}/overview?at=${at}`),
      get<Record<string, unknown>>(`/sites/${renaming.site}/overview?at=${at}`),
    ]);
    expect(without(theirs, 'site')).toEqual(without(mine, 'site'));
    // 12 hours of 90 kWh by noon; 360 kW read at noon
    expect(mine).toMatchObject({ energy: { today: { kWh: 1_080 } }, demand: { latestKw: { kW: 360 } } });
  });

  it("converts a point's readings on read to the unit asked for, and refuses one of another quantity", async () => {
    const range = `from=${encodeURIComponent('2025-07-01T00:00:00+08:00')}&to=${encodeURIComponent('2025-07-01T01:00:00+08:00')}`;
    const path = `/sites/${DEMO}/assets/weather/points/outdoorT/readings?${range}&unit=${encodeURIComponent('°F')}`;
    // 30 °C is 86 °F
    const answer = await get<{ unit: string; readings: Array<{ value: number }> }>(path);
    expect([answer.unit, answer.readings.map((reading) => Math.round(reading.value * 1e9) / 1e9)]).toEqual(['°F', [86]]);
    const refused = await fetch(`${running.baseUrl}/api/v1/sites/${DEMO}/assets/weather/points/outdoorT/readings?${range}&unit=kWh`, {
      headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` },
    });
    expect(refused.status).toBe(400);
  });
});
