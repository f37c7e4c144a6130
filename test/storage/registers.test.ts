import { Reading } from '@hallwatch/domain';
import { ReadingRepository, RollupRefresher, RollupRepository, RollupRow } from '@hallwatch/readings';
import { PointDefinition, RegistryRepository } from '@hallwatch/registry';
import { BACKENDS, createTestDatabase, TestDatabase } from '@hallwatch/testing';

const at = (iso: string) => Date.parse(iso);
const START = at('2025-07-01T10:00:00+08:00');
const MINUTE = 60_000;
const DAY = { from: new Date(at('2025-07-01T00:00:00+08:00')), to: new Date(at('2025-07-02T00:00:00+08:00')) };

/** Register readings every 5 minutes from 10:00: values as given. */
const series = (pointId: number, values: number[], stepMinutes = 5) =>
  values.map((value, i) => ({ pointId, ts: START + i * stepMinutes * MINUTE, value, flags: 0 }));
const consumption = (rows: RollupRow[]) => rows.map((row) => row.consumption);
const flags = (rows: RollupRow[]) => rows.map((row) => row.consumptionFlags);

describe.each(BACKENDS)('cumulative registers on %s', (backend) => {
  let testDb: TestDatabase;
  let readings: ReadingRepository;
  let rollups: RollupRepository;
  let refresher: RollupRefresher;
  /** Stores a batch and waits for the rollups to catch up. */
  const insert = async (batch: Reading[]) => {
    await readings.insertBatch(batch);
    await refresher.drain();
  };
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const register = (key: string, attributes: PointDefinition['attributes'] = {}): PointDefinition => ({
      key,
      kind: 'cumulative',
      unit: 'kWh',
      tags: [],
      attributes,
    });
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites(
      [
        {
          key: 'register-hall',
          name: 'Registers',
          timezone: 'Asia/Taipei',
          attributes: {},
          opcua: [],
          assets: [
            {
              key: 'meters',
              name: 'Meters',
              type: 'electricity-meter',
              tags: [],
              attributes: {},
              points: [
                register('rolls', { rolloverAt: 1000 }),
                register('resets'),
                register('spikes', { maxRatePerHour: 1200 }),
                register('clean'),
                register('messy'),
                register('gappy'),
                register('replaced'),
                register('replaced-unrecorded'),
                { key: 'supplyT', kind: 'gauge', unit: '°C', tags: [], attributes: {} },
                { key: 'returnT-batch', kind: 'gauge', unit: '°C', tags: [], attributes: {} },
                { key: 'returnT-one-by-one', kind: 'gauge', unit: '°C', tags: [], attributes: {} },
                register('kwh-batch', { rolloverAt: 1000 }),
                register('kwh-one-by-one', { rolloverAt: 1000 }),
              ],
            },
          ],
        },
      ],
      'registry',
    );
    for (const address of await registry.allPointAddresses()) ids[address.point] = address.pointId;
    readings = new ReadingRepository(testDb.db, testDb.db);
    rollups = new RollupRepository(testDb.db);
    refresher = new RollupRefresher(testDb.db);
  });

  afterAll(() => testDb.drop());

  it('counts across a register rollover, per 15 minutes, hour and day', async () => {
    // +10 every 5 minutes from 900: the register passes 1000 and starts again from 0.
    await insert(
      series(
        ids.rolls,
        Array.from({ length: 24 }, (_, i) => (900 + i * 10) % 1000),
      ),
    );
    // A step (t0, t1] belongs to the quarter it lies in: the one ending at 10:15 closes 10:00-10:15.
    // The last reading is at 11:55, so the last quarter has two steps.
    const quarters = await rollups.pointSeries(ids.rolls, '15m', DAY.from, DAY.to, 100);
    expect(consumption(quarters)).toEqual([30, 30, 30, 30, 30, 30, 30, 20]);
    // 990 -> 0 at 10:50, in the fourth quarter
    expect(flags(quarters)).toEqual([0, 0, 0, 8, 0, 0, 0, 0]);
    expect(consumption(await rollups.pointSeries(ids.rolls, '1h', DAY.from, DAY.to, 10))).toEqual([120, 110]);
    expect(consumption(await rollups.pointSeries(ids.rolls, '1d', DAY.from, DAY.to, 10))).toEqual([230]);
  });

  it('counts a meter reset from zero, flagged, never negative', async () => {
    // 520 -> 0 at 10:15 closes the first quarter: +10 +10 and the reset (counted from zero: 0).
    await insert(series(ids.resets, [500, 510, 520, 0, 10, 20]));
    const quarters = await rollups.pointSeries(ids.resets, '15m', DAY.from, DAY.to, 100);
    expect(consumption(quarters)).toEqual([20, 20]);
    expect(flags(quarters)).toEqual([2, 0]);
  });

  it('discards an implausible spike (above maxRatePerHour) and flags it', async () => {
    // 1,200 kWh/h at most: 100 kWh in 5 minutes is the limit; +5,000 is a glitch.
    // Steps end at 10:05 (+50), 10:10 (+5,000, dropped) and 10:15 (+50): all in the first quarter.
    // The second quarter holds the 10:15 reading and no step.
    await insert(series(ids.spikes, [1000, 1050, 6050, 6100]));
    const quarters = await rollups.pointSeries(ids.spikes, '15m', DAY.from, DAY.to, 100);
    expect(consumption(quarters)).toEqual([100, 0]);
    expect(flags(quarters)).toEqual([4, 0]);
  });

  it('spreads consumption across a gap over the gap in proportion to time, flagged as an estimate', async () => {
    // 110 at 10:05, then nothing until 400 at 13:00: 290 kWh over 175 minutes (over the default
    // two expected intervals of an hour), 55 minutes of it in the 10:00 hour and 60 in each after.
    await insert([...series(ids.gappy, [100, 110]), { pointId: ids.gappy, ts: START + 3 * 60 * MINUTE, value: 400, flags: 0 }]);
    const hours = await rollups.pointSeries(ids.gappy, '1h', DAY.from, DAY.to, 10);
    expect(hours.map((hour) => [hour.ts, hour.consumptionFlags])).toEqual([
      [START, 1],
      [START + 60 * MINUTE, 1],
      [START + 120 * MINUTE, 1],
      [START + 180 * MINUTE, 0],
    ]);
    expect(hours[0].consumption).toBeCloseTo(10 + (290 * 55) / 175, 9);
    expect(hours[0].estimated).toBeCloseTo((290 * 55) / 175, 9);
    expect(hours[1].consumption).toBeCloseTo((290 * 60) / 175, 9);
    expect(hours[2].consumption).toBeCloseTo((290 * 60) / 175, 9);
    expect(hours[3].consumption).toBe(0);
    expect(hours.reduce((sum, hour) => sum + hour.consumption!, 0)).toBeCloseTo(300, 9);
  });

  it('gives shuffled, duplicated and late deliveries exactly the rollups of the clean delivery', async () => {
    const values = Array.from({ length: 36 }, (_, i) => 5000 + i * i);
    await insert(series(ids.clean, values));
    const messy = series(ids.messy, values);
    // Newest first, in small batches, with every third reading delivered twice.
    const delivery = [...messy].reverse().flatMap((reading, i) => (i % 3 === 0 ? [reading, reading] : [reading]));
    for (let i = 0; i < delivery.length; i += 5) await insert(delivery.slice(i, i + 5));
    for (const bucket of ['15m', '1h', '1d'] as const) {
      const clean = await rollups.pointSeries(ids.clean, bucket, DAY.from, DAY.to, 100);
      const shuffled = await rollups.pointSeries(ids.messy, bucket, DAY.from, DAY.to, 100);
      expect(shuffled).toEqual(clean);
    }
  });

  it('gives 15-minute demand as the utility bills it: kWh in the quarter x 4', async () => {
    // The register reads 5000 + i² kWh at 10:00 + 5i minutes (i = 0..35, the last at 12:55).
    // By hand, each quarter closed by the reading on its end:
    // 10:00-10:15: 5009 - 5000 = 9 kWh -> 36 kW; 10:15-10:30: 5036 - 5009 = 27 kWh -> 108 kW;
    // 10:30-10:45: 5081 - 5036 = 45 kWh -> 180 kW; 12:30-12:45: 6089 - 5900 = 189 kWh -> 756 kW;
    // 12:45-13:00 has only the steps to 12:50 and 12:55: 6225 - 6089 = 136 kWh -> 544 kW.
    const quarters = await rollups.pointSeries(ids.clean, '15m', DAY.from, DAY.to, 100);
    const demandKw = quarters.map((quarter) => quarter.consumption! * 4);
    expect(demandKw.slice(0, 3)).toEqual([36, 108, 180]);
    expect(demandKw.at(-2)).toBe(756);
    expect(demandKw.at(-1)).toBe(544);
    expect(Math.max(...demandKw)).toBe(756);
  });

  it('counts a meter replacement from the recorded start of the new register, and takes an unrecorded one for a reset', async () => {
    // Old meter 5000 -> 5030 by 10:15; the new one goes in at 10:20 starting at 12 and reads 15, 25, 40.
    const values = [5000, 5010, 5020, 5030, 15, 25, 40];
    await insert(series(ids.replaced, values));
    await insert(series(ids['replaced-unrecorded'], values));
    const recorded = await readings.recordReplacement(
      ids.replaced,
      new Date(START + 17 * MINUTE),
      12,
      'meter swapped by Taipower',
      'engineer',
    );
    expect(recorded).toMatchObject({ startValue: 12, note: 'meter swapped by Taipower', createdBy: 'engineer' });
    expect(await readings.replacements(ids.replaced)).toHaveLength(1);

    await refresher.drain();
    // 10:00-10:15: +10 +10 +10; 10:15-10:30: the replacement step 15 - 12 = 3, then +10 and +15;
    // 10:30-10:45 holds the last reading and no step.
    const quarters = await rollups.pointSeries(ids.replaced, '15m', DAY.from, DAY.to, 100);
    expect(consumption(quarters)).toEqual([30, 3 + 10 + 15, 0]);
    expect(flags(quarters)).toEqual([0, 16, 0]);
    expect(consumption(await rollups.pointSeries(ids.replaced, '1d', DAY.from, DAY.to, 10))).toEqual([30 + 3 + 10 + 15]);
    // Without the record the drop 5030 -> 15 is to near zero: a reset, counted from zero.
    const unrecorded = await rollups.pointSeries(ids['replaced-unrecorded'], '15m', DAY.from, DAY.to, 100);
    expect(consumption(unrecorded)).toEqual([30, 15 + 10 + 15, 0]);
    expect(flags(unrecorded)).toEqual([0, 2, 0]);
  });

  it('gives gauges a time-weighted mean besides the plain mean, for irregular sampling', async () => {
    // 10:00 at 7 °C, a blip to 12 °C for one minute at 10:05, back to 7 at 10:06; then 10:20 at 9.
    await insert([
      { pointId: ids.supplyT, ts: START, value: 7, flags: 0 },
      { pointId: ids.supplyT, ts: START + 5 * MINUTE, value: 12, flags: 0 },
      { pointId: ids.supplyT, ts: START + 6 * MINUTE, value: 7, flags: 0 },
      { pointId: ids.supplyT, ts: START + 20 * MINUTE, value: 9, flags: 0 },
    ]);
    const [first, second] = await rollups.pointSeries(ids.supplyT, '15m', DAY.from, DAY.to, 10);
    expect(first.mean).toBeCloseTo((7 + 12 + 7) / 3);
    expect(first.twMean).toBeCloseTo((7 * 5 + 12 * 1 + 7 * 9) / 15);
    // 10:15-10:30: 7 carried in for 5 minutes, then 9 for 10.
    expect(second.twMean).toBeCloseTo((7 * 5 + 9 * 10) / 15);
    // 9 °C holds until 11:20 (an hour at most, no later reading): the quarters from 10:30 to 11:15
    // have no reading of their own, only the held value.
    const quarters = await rollups.pointSeries(ids.supplyT, '15m', DAY.from, DAY.to, 10);
    const round = (value: number | null) => (value === null ? null : Math.round(value * 1e9) / 1e9);
    expect(quarters.map((quarter) => [quarter.count, round(quarter.mean), round(quarter.twMean)])).toEqual([
      [3, round((7 + 12 + 7) / 3), round((7 * 5 + 12 * 1 + 7 * 9) / 15)],
      [1, 9, round((7 * 5 + 9 * 10) / 15)],
      [0, null, 9],
      [0, null, 9],
      [0, null, 9],
      [0, null, 9],
    ]);
    const [hour] = await rollups.pointSeries(ids.supplyT, '1h', DAY.from, DAY.to, 10);
    expect(hour.twMean).toBeCloseTo((7 * 5 + 12 + 7 * 9 + 7 * 5 + 9 * 10 + 9 * 30) / 60);
    expect((await rollups.pointSeries(ids.clean, '15m', DAY.from, DAY.to, 1))[0]?.twMean ?? null).toBeNull();
  });

  it('gives readings that arrive one by one, in order, the rollups of the same readings in one batch', async () => {
    // Irregular times across three quarter-hours; the register wraps at 1000 on the way.
    const times = [0, 40, 95, 130, 400, 410, 899, 900, 1330, 1500, 1790, 2400].map((s) => START + s * 1000);
    const gauge = times.map((ts, i) => ({ ts, value: 6 + ((i * 7) % 5) }));
    const register = times.map((ts, i) => ({ ts, value: (950 + i * 9) % 1000 }));
    await insert(gauge.map((r) => ({ pointId: ids['returnT-batch'], flags: 0, ...r })));
    await insert(register.map((r) => ({ pointId: ids['kwh-batch'], flags: 0, ...r })));
    for (const r of gauge) await insert([{ pointId: ids['returnT-one-by-one'], flags: 0, ...r }]);
    for (const r of register) await insert([{ pointId: ids['kwh-one-by-one'], flags: 0, ...r }]);

    for (const [batch, oneByOne] of [
      ['returnT-batch', 'returnT-one-by-one'],
      ['kwh-batch', 'kwh-one-by-one'],
    ]) {
      for (const bucket of ['15m', '1h', '1d'] as const) {
        const expected = await rollups.pointSeries(ids[batch], bucket, DAY.from, DAY.to, 100);
        const actual = await rollups.pointSeries(ids[oneByOne], bucket, DAY.from, DAY.to, 100);
        expect(actual.map(roundRow)).toEqual(expected.map(roundRow));
      }
    }
    expect((await rollups.pointSeries(ids['kwh-one-by-one'], '1d', DAY.from, DAY.to, 1))[0].consumptionFlags).toBe(8);
  });
});

const roundRow = (row: RollupRow) =>
  Object.fromEntries(Object.entries(row).map(([key, value]) => [key, typeof value === 'number' ? Math.round(value * 1e6) / 1e6 : value]));
