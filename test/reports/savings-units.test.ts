import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { SavingsAnnotationsRepository, SavingsDataRepository, savingsRequestSchema, SavingsService } from '@hallwatch/savings';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

const HOUR = 3_600_000;
const meter = (key: string, unit: string) => ({
  key,
  name: key,
  type: 'electricity-meter',
  tags: ['elec'],
  attributes: { role: 'main' },
  points: [{ key: 'energy', kind: 'cumulative' as const, unit, tags: ['energy'], attributes: {} }],
});
const site: SiteDefinition = {
  key: 'units-hall',
  name: 'Units hall',
  timezone: 'Asia/Taipei',
  attributes: {},
  opcua: [],
  assets: [
    meter('wing-a', 'Wh'),
    meter('wing-b', 'kWh'),
    {
      key: 'weather',
      name: 'weather',
      type: 'weather-station',
      tags: ['weather', 'outside'],
      attributes: {},
      points: [{ key: 'outdoorT', kind: 'gauge', unit: '°F', tags: ['air', 'outside', 'temp'], attributes: {} }],
    },
  ],
};

/**
 * Units are converted on read (#17 item 7): a meter in Wh is summed as kWh with a meter in kWh,
 * and an outdoor temperature in °F is read as °C. Three days of hourly readings.
 */
describe.each(BACKENDS)('units in savings reports on %s', (backend) => {
  let testDb: TestDatabase;
  let data: SavingsDataRepository;
  let registry: RegistryRepository;
  const start = Date.parse('2024-07-01T00:00:00+08:00');

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    registry = new RegistryRepository(testDb.db);
    await registry.applySites([site], 'registry');
    const ids = new Map((await registry.allPointAddresses()).map((p) => [p.asset, p.pointId]));
    const reads: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
    for (let h = 0; h <= 72; h++) {
      const ts = start + h * HOUR;
      // wing A: 1,000,000 Wh (1,000 kWh) a day; wing B: 500 kWh a day.
      reads.push({ pointId: ids.get('wing-a')!, ts, value: (1_000_000 / 24) * h, flags: 0 });
      reads.push({ pointId: ids.get('wing-b')!, ts, value: (500 / 24) * h, flags: 0 });
      // 86 °F (30 °C) on the first day, 68 °F (20 °C) on the second, 50 °F (10 °C) on the third.
      if (h < 72) reads.push({ pointId: ids.get('weather')!, ts, value: [86, 68, 50][Math.floor(h / 24)], flags: 0 });
    }
    await new ReadingRepository(testDb.db, testDb.db).insertBatch(reads);
    await new RollupRefresher(testDb.db).drain();
    data = new SavingsDataRepository(testDb.db, new RollupRepository(testDb.db));
  }, 120_000);

  afterAll(() => testDb?.drop());

  it('sums a Wh meter as kWh and reads °F as °C', async () => {
    const [from, to] = [new Date(start), new Date(start + 72 * HOUR)];
    const days = await data.dailyUsage('units-hall', 'electricity', from, to);
    // 1,000 kWh (from 1,000,000 Wh) + 500 kWh = 1,500 kWh each day.
    expect(days.map((d) => [d.date, Math.round(d.usage * 1e6) / 1e6])).toEqual([
      ['2024-07-01', 1_500],
      ['2024-07-02', 1_500],
      ['2024-07-03', 1_500],
    ]);
    const temperatures = await data.dailyOutdoorTemperature('units-hall', from, to);
    expect([...temperatures.entries()].map(([date, t]) => [date, Math.round(t * 1e9) / 1e9])).toEqual([
      ['2024-07-01', 30],
      ['2024-07-02', 20],
      ['2024-07-03', 10],
    ]);
    const hours = await data.hourlyElectricity('units-hall', from, to);
    // 1,000 / 24 + 500 / 24 = 62.5 kWh an hour
    expect(hours).toHaveLength(72);
    expect(hours.every((hour) => Math.abs(hour.kWh - 62.5) < 1e-6)).toBe(true);
  });

  it('refuses a report over a point whose unit it cannot convert', async () => {
    await registry.applySites([{ ...site, assets: [meter('wing-a', 'BTU'), ...site.assets.slice(1)] }], 'registry');
    const savings = new SavingsService(data, new SavingsAnnotationsRepository(testDb.db), registry);
    const request = savingsRequestSchema.parse({
      site: 'units-hall',
      from: '2024-07-01',
      to: '2024-07-04',
      baselineYear: 2023,
      lang: 'en',
    });
    await expect(savings.report(request)).rejects.toThrow('cannot convert the unit of wing-a/energy (BTU) to kWh: the report refuses it');
  });
});
