import {
  ConsumptionFlag,
  diffRollups,
  localDayStart,
  localHourStart,
  nextLocalDayStart,
  PointKind,
  ReferenceReading,
  ReferenceReplacement,
  ReferenceRollupRow,
  referenceRollups,
  registerStep,
  RollupAttributes,
  RollupLevel,
} from '@hallwatch/testing';

/** Hand-worked cases, one per rule of docs/rollups.md: every expected number is written out. */

const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

interface Case {
  kind?: PointKind;
  attributes?: RollupAttributes;
  replacements?: ReferenceReplacement[];
  timezone?: string;
}

/** Readings as [ISO time, value]; the point is a register in UTC unless told. */
function rollups(readings: Array<[string, number]>, options: Case = {}) {
  return referenceRollups({
    kind: options.kind ?? 'cumulative',
    attributes: options.attributes ?? {},
    readings: readings.map(([iso, value]) => ({ ts: at(iso), value })),
    replacements: options.replacements ?? [],
    timezone: options.timezone ?? 'UTC',
  });
}

type Field = keyof ReferenceRollupRow;
/** The rows of a level as [bucket ISO, ...fields]. */
function table(result: ReturnType<typeof rollups>, level: RollupLevel, fields: Field[]) {
  return [...result[level].values()].map((row) => [new Date(row.bucket).toISOString(), ...fields.map((field) => row[field])]);
}
const iso = (ts: number) => new Date(ts).toISOString();

describe('rollup reference: readings in the bucket', () => {
  it('gives count, sum, min, max, first and last of the readings with b <= ts < b + width, none for an empty bucket', () => {
    const result = rollups([
      ['2025-01-01T00:10:00Z', 100],
      ['2025-01-01T00:40:00Z', 130],
    ]);
    expect([...result['15m'].values()]).toEqual([
      {
        bucket: at('2025-01-01T00:00:00Z'),
        count: 1,
        sum: 100,
        min: 100,
        max: 100,
        firstTs: at('2025-01-01T00:10:00Z'),
        firstValue: 100,
        lastTs: at('2025-01-01T00:10:00Z'),
        lastValue: 100,
        consumption: 5,
        consumptionFlags: 0,
        estimated: 0,
        twSum: null,
        twSeconds: null,
      },
      {
        bucket: at('2025-01-01T00:15:00Z'),
        count: 0,
        sum: 0,
        min: null,
        max: null,
        firstTs: null,
        firstValue: null,
        lastTs: null,
        lastValue: null,
        consumption: 15,
        consumptionFlags: 0,
        estimated: 0,
        twSum: null,
        twSeconds: null,
      },
      {
        bucket: at('2025-01-01T00:30:00Z'),
        count: 1,
        sum: 130,
        min: 130,
        max: 130,
        firstTs: at('2025-01-01T00:40:00Z'),
        firstValue: 130,
        lastTs: at('2025-01-01T00:40:00Z'),
        lastValue: 130,
        consumption: 10,
        consumptionFlags: 0,
        estimated: 0,
        twSum: null,
        twSeconds: null,
      },
    ]);
    const hour = {
      count: 2,
      sum: 230,
      min: 100,
      max: 130,
      firstTs: at('2025-01-01T00:10:00Z'),
      firstValue: 100,
      lastTs: at('2025-01-01T00:40:00Z'),
      lastValue: 130,
      consumption: 30,
      consumptionFlags: 0,
      estimated: 0,
      twSum: null,
      twSeconds: null,
    };
    expect([...result['1h'].values()]).toEqual([{ bucket: at('2025-01-01T00:00:00Z'), ...hour }]);
    expect([...result['1d'].values()]).toEqual([{ bucket: at('2025-01-01T00:00:00Z'), ...hour }]);
  });

  it('takes min and max of hour and day rows from the non-empty 15-minute rows only', () => {
    const result = rollups(
      [
        ['2025-01-01T00:05:00Z', -3],
        ['2025-01-01T00:50:00Z', 7],
        ['2025-01-01T00:55:00Z', 2],
      ],
      { kind: 'gauge' },
    );
    expect(table(result, '15m', ['count', 'min', 'max'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, -3, -3],
      ['2025-01-01T00:15:00.000Z', 0, null, null],
      ['2025-01-01T00:30:00.000Z', 0, null, null],
      ['2025-01-01T00:45:00.000Z', 2, 2, 7],
      ['2025-01-01T01:00:00.000Z', 0, null, null],
      ['2025-01-01T01:15:00.000Z', 0, null, null],
      ['2025-01-01T01:30:00.000Z', 0, null, null],
      ['2025-01-01T01:45:00.000Z', 0, null, null],
    ]);
    expect(table(result, '1h', ['count', 'sum', 'min', 'max', 'firstValue', 'lastValue'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 3, 6, -3, 7, -3, 2],
      ['2025-01-01T01:00:00.000Z', 0, 0, null, null, null, null],
    ]);
  });
});

describe('rollup reference: register steps', () => {
  it('splits a step across the buckets it overlaps in proportion to time', () => {
    // (00:10, 00:40] of 30 kWh: 5 min in the first quarter, 15 in the second, 10 in the third.
    const result = rollups([
      ['2025-01-01T00:10:00Z', 100],
      ['2025-01-01T00:40:00Z', 130],
    ]);
    expect(table(result, '15m', ['consumption', 'consumptionFlags', 'estimated'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 5, 0, 0],
      ['2025-01-01T00:15:00.000Z', 15, 0, 0],
      ['2025-01-01T00:30:00.000Z', 10, 0, 0],
    ]);
  });

  it('books the step ending on a boundary in the bucket before it', () => {
    const result = rollups([
      ['2025-01-01T00:00:00Z', 0],
      ['2025-01-01T00:15:00Z', 10],
      ['2025-01-01T00:30:00Z', 30],
    ]);
    expect(table(result, '15m', ['count', 'consumption'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, 10],
      ['2025-01-01T00:15:00.000Z', 1, 20],
      ['2025-01-01T00:30:00.000Z', 1, 0],
    ]);
    expect(table(result, '1h', ['count', 'consumption'])).toEqual([['2025-01-01T00:00:00.000Z', 3, 30]]);
  });

  it('gives daily reads at local midnight exact local days', () => {
    const result = rollups(
      [
        ['2025-07-01T00:00:00+08:00', 1000],
        ['2025-07-02T00:00:00+08:00', 1500],
        ['2025-07-03T00:00:00+08:00', 1800],
      ],
      { timezone: 'Asia/Taipei', attributes: { expectedIntervalSeconds: 86_400 } },
    );
    expect(table(result, '1d', ['count', 'consumptionFlags', 'estimated'])).toEqual([
      ['2025-06-30T16:00:00.000Z', 1, 0, 0],
      ['2025-07-01T16:00:00.000Z', 1, 0, 0],
      ['2025-07-02T16:00:00.000Z', 1, 0, 0],
    ]);
    // 96 quarters of 500/96 add up to 500 within rounding.
    const days = [...result['1d'].values()].map((row) => row.consumption!);
    expect(days[0]).toBeCloseTo(500, 9);
    expect(days[1]).toBeCloseTo(300, 9);
    expect(days[2]).toBe(0);
    // Every quarter of a day holds 1/96 of it.
    const quarters = [...result['15m'].values()];
    expect(quarters).toHaveLength(2 * 96 + 1);
    expect(quarters[0].consumption).toBeCloseTo(500 / 96, 12);
    expect(quarters[96].consumption).toBeCloseTo(300 / 96, 12);
    expect(quarters[192].consumption).toBe(0);
  });

  it('takes a backward step within the noise band as jitter: nothing counted, flag 32', () => {
    // Default band: 0.1 % of 1000 = 1 kWh; 999.5 -> 1001 then counts 1.5.
    const readings: Array<[string, number]> = [
      ['2025-01-01T00:00:00Z', 1000],
      ['2025-01-01T00:05:00Z', 999.5],
      ['2025-01-01T00:10:00Z', 1001],
    ];
    expect(table(rollups(readings), '15m', ['consumption', 'consumptionFlags'])).toEqual([['2025-01-01T00:00:00.000Z', 1.5, 32]]);
    // A band of exactly the step still takes it; a narrower one makes it a suspect step.
    expect(table(rollups(readings, { attributes: { noiseBand: 0.5 } }), '15m', ['consumption', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1.5, 32],
    ]);
    expect(table(rollups(readings, { attributes: { noiseBand: 0.2 } }), '15m', ['consumption', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1.5, 4],
    ]);
  });

  it('counts across a rollover: rolloverAt - v0 + v1, flag 8', () => {
    const step = (v0: number, v1: number, attributes: RollupAttributes) =>
      registerStep({ ts: 0, value: v0 }, { ts: 5 * MINUTE, value: v1 }, attributes, []);
    expect(step(950, 20, { rolloverAt: 1000 })).toEqual({ t0: 0, t1: 5 * MINUTE, delta: 70, flags: 8, estimated: 0 });
    // On the edges of the 90 % / 10 % windows.
    expect(step(900, 100, { rolloverAt: 1000 })).toMatchObject({ delta: 200, flags: 8 });
    // Below 90 % before, or above 10 % after: a suspect step, not a wrap.
    expect(step(850, 20, { rolloverAt: 1000 })).toMatchObject({ delta: 0, flags: 4 });
    expect(step(950, 150, { rolloverAt: 1000 })).toMatchObject({ delta: 0, flags: 4 });
    // Without rolloverAt a drop to near zero is a reset.
    expect(step(950, 5, {})).toMatchObject({ delta: 5, flags: 2 });
    const result = rollups(
      [
        ['2025-01-01T00:00:00Z', 940],
        ['2025-01-01T00:05:00Z', 950],
        ['2025-01-01T00:20:00Z', 20],
      ],
      { attributes: { rolloverAt: 1000 } },
    );
    // 950 -> 20 over (00:05, 00:20]: 70 kWh, 10 min of it in the first quarter, 5 in the second.
    expect(table(result, '15m', ['consumption', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 10 + (70 * 10) / 15, 8],
      ['2025-01-01T00:15:00.000Z', (70 * 5) / 15, 8],
    ]);
    expect(result['1h'].get(at('2025-01-01T00:00:00Z'))).toMatchObject({ consumption: 80, consumptionFlags: 8 });
  });

  it('counts a reset (a drop to at most 1 % of the register) from zero, flag 2', () => {
    const step = (v0: number, v1: number) => registerStep({ ts: 0, value: v0 }, { ts: 5 * MINUTE, value: v1 }, {}, []);
    expect(step(500, 3)).toMatchObject({ delta: 3, flags: 2 });
    expect(step(500, 5)).toMatchObject({ delta: 5, flags: 2 });
    expect(step(500, 0)).toMatchObject({ delta: 0, flags: 2 });
    expect(step(500, 6)).toMatchObject({ delta: 0, flags: 4 });
  });

  it('books nothing for any other backward step, flag 4, and counts on from the lower reading', () => {
    const result = rollups([
      ['2025-01-01T00:00:00Z', 500],
      ['2025-01-01T00:05:00Z', 300],
      ['2025-01-01T00:10:00Z', 320],
    ]);
    expect(table(result, '15m', ['consumption', 'consumptionFlags'])).toEqual([['2025-01-01T00:00:00.000Z', 20, 4]]);
  });

  it('discards a step faster than maxRatePerHour as a suspect spike, flag 4', () => {
    // 1,200 kWh/h: 300 kWh per quarter-hour at most.
    const result = rollups(
      [
        ['2025-01-01T00:00:00Z', 0],
        ['2025-01-01T00:15:00Z', 300],
        ['2025-01-01T00:30:00Z', 701],
        ['2025-01-01T00:45:00Z', 710],
      ],
      { attributes: { maxRatePerHour: 1200 } },
    );
    expect(table(result, '15m', ['consumption', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 300, 0],
      ['2025-01-01T00:15:00.000Z', 0, 4],
      ['2025-01-01T00:30:00.000Z', 9, 0],
      ['2025-01-01T00:45:00.000Z', 0, 0],
    ]);
    // The spike test comes after the table: a too-fast rollover keeps its own flag and gains 4.
    expect(registerStep({ ts: 0, value: 950 }, { ts: 5 * MINUTE, value: 20 }, { rolloverAt: 1000, maxRatePerHour: 10 }, [])).toMatchObject({
      delta: 0,
      flags: 8 | 4,
    });
    expect(registerStep({ ts: 0, value: 950 }, { ts: 5 * MINUTE, value: 20 }, { rolloverAt: 1000, maxRatePerHour: 900 }, [])).toMatchObject(
      { delta: 70, flags: 8 },
    );
  });

  it('flags a step longer than 2 x expectedInterval as a gap: flag 1, spread over the gap, also estimated', () => {
    const result = rollups(
      [
        ['2025-01-01T00:00:00Z', 0],
        ['2025-01-01T00:30:00Z', 30],
        ['2025-01-01T01:15:00Z', 75],
      ],
      { attributes: { expectedIntervalSeconds: 900 } },
    );
    // 30 min is exactly 2 x 15 min: not a gap. 45 min is: 45 kWh over three quarters.
    expect(table(result, '15m', ['count', 'consumption', 'consumptionFlags', 'estimated'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, 15, 0, 0],
      ['2025-01-01T00:15:00.000Z', 0, 15, 0, 0],
      ['2025-01-01T00:30:00.000Z', 1, 15, 1, 15],
      ['2025-01-01T00:45:00.000Z', 0, 15, 1, 15],
      ['2025-01-01T01:00:00.000Z', 0, 15, 1, 15],
      ['2025-01-01T01:15:00.000Z', 1, 0, 0, 0],
    ]);
    expect(table(result, '1h', ['consumption', 'consumptionFlags', 'estimated'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 60, 1, 30],
      ['2025-01-01T01:00:00.000Z', 15, 1, 15],
    ]);
    // Default expected interval: an hour.
    const twoHours = 2 * 60 * MINUTE;
    expect(registerStep({ ts: 0, value: 0 }, { ts: twoHours, value: 8 }, {}, [])).toMatchObject({ delta: 8, flags: 0, estimated: 0 });
    expect(registerStep({ ts: 0, value: 0 }, { ts: twoHours + 1, value: 8 }, {}, [])).toMatchObject({ delta: 8, flags: 1, estimated: 8 });
    // A gap keeps the step's own flag: a reset across a gap is 2 | 1, its count estimated.
    expect(registerStep({ ts: 0, value: 500 }, { ts: 3 * twoHours, value: 4 }, {}, [])).toEqual({
      t0: 0,
      t1: 3 * twoHours,
      delta: 4,
      flags: 3,
      estimated: 4,
    });
  });

  it('counts a step over a recorded replacement from the new register start, flag 16', () => {
    const step = (v0: number, v1: number, replacements: ReferenceReplacement[]) =>
      registerStep({ ts: 0, value: v0 }, { ts: 10 * MINUTE, value: v1 }, {}, replacements);
    expect(step(1000, 25, [{ at: 5 * MINUTE, startValue: 0 }])).toMatchObject({ delta: 25, flags: 16 });
    // Never negative.
    expect(step(1000, 25, [{ at: 5 * MINUTE, startValue: 30 }])).toMatchObject({ delta: 0, flags: 16 });
    // The latest replacement inside the step.
    const two = [
      { at: 7 * MINUTE, startValue: 20 },
      { at: 3 * MINUTE, startValue: 0 },
    ];
    expect(step(1000, 25, two)).toMatchObject({ delta: 5, flags: 16 });
    // Before any other case, even a forward step.
    expect(step(100, 150, [{ at: 5 * MINUTE, startValue: 140 }])).toMatchObject({ delta: 10, flags: 16 });
    // (t0, t1]: a replacement at t1 belongs to this step, one at t0 to the step before.
    expect(step(1000, 25, [{ at: 10 * MINUTE, startValue: 0 }])).toMatchObject({ delta: 25, flags: 16 });
    expect(step(1000, 25, [{ at: 0, startValue: 0 }])).toMatchObject({ delta: 0, flags: 4 });

    const result = rollups(
      [
        ['2025-01-01T00:00:00Z', 1000],
        ['2025-01-01T00:10:00Z', 1010],
        ['2025-01-01T00:20:00Z', 25],
        ['2025-01-01T00:25:00Z', 30],
      ],
      { replacements: [{ at: at('2025-01-01T00:12:00Z'), startValue: 0 }] },
    );
    // 1010 -> 25 over (00:10, 00:20]: 25 kWh, half in each quarter.
    expect(table(result, '15m', ['consumption', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 22.5, 16],
      ['2025-01-01T00:15:00.000Z', 17.5, 16],
    ]);
  });

  it('gives the first reading of a register no step and every register bucket a consumption', () => {
    const result = rollups([['2025-01-01T00:07:00Z', 123]]);
    expect(table(result, '15m', ['count', 'consumption', 'consumptionFlags', 'estimated', 'twSum', 'twSeconds'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, 0, 0, 0, null, null],
    ]);
  });
});

describe('rollup reference: time-weighted mean', () => {
  it('holds a reading until the next one, at most an hour, carrying it into later buckets', () => {
    const result = rollups(
      [
        ['2025-01-01T00:05:00Z', 10],
        ['2025-01-01T01:30:00Z', 20],
        ['2025-01-01T01:40:00Z', 30],
      ],
      { kind: 'gauge' },
    );
    // 10 holds 00:05 -> 01:05 (the hour cap), 20 holds 01:30 -> 01:40, 30 holds 01:40 -> 02:40.
    expect(table(result, '15m', ['count', 'twSum', 'twSeconds', 'consumption', 'estimated'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, 6000, 600, null, null],
      ['2025-01-01T00:15:00.000Z', 0, 9000, 900, null, null],
      ['2025-01-01T00:30:00.000Z', 0, 9000, 900, null, null],
      ['2025-01-01T00:45:00.000Z', 0, 9000, 900, null, null],
      ['2025-01-01T01:00:00.000Z', 0, 3000, 300, null, null],
      // nothing holds 01:05 -> 01:30: no 01:15 row
      ['2025-01-01T01:30:00.000Z', 2, 21000, 900, null, null],
      ['2025-01-01T01:45:00.000Z', 0, 27000, 900, null, null],
      ['2025-01-01T02:00:00.000Z', 0, 27000, 900, null, null],
      ['2025-01-01T02:15:00.000Z', 0, 27000, 900, null, null],
      ['2025-01-01T02:30:00.000Z', 0, 18000, 600, null, null],
    ]);
    expect(table(result, '1h', ['count', 'sum', 'twSum', 'twSeconds', 'consumptionFlags'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 1, 10, 33000, 3300, 0],
      ['2025-01-01T01:00:00.000Z', 2, 50, 51000, 2100, 0],
      ['2025-01-01T02:00:00.000Z', 0, 0, 72000, 2400, 0],
    ]);
    expect(table(result, '1d', ['count', 'sum', 'twSum', 'twSeconds'])).toEqual([['2025-01-01T00:00:00.000Z', 3, 60, 156000, 7800]]);
  });

  it('lets a late reading cut the hold of the one before it in the next bucket: 8.33 becomes 8.67', () => {
    const readings: Array<[string, number]> = [
      ['2025-01-01T00:05:00Z', 5],
      ['2025-01-01T00:20:00Z', 10],
    ];
    const before = rollups(readings, { kind: 'gauge' });
    // 00:15-00:30: 5 held 5 min, 10 held 10 min: (1500 + 6000) / 900 = 8.33
    expect(table(before, '15m', ['twSum', 'twSeconds'])).toEqual([
      ['2025-01-01T00:00:00.000Z', 3000, 600],
      ['2025-01-01T00:15:00.000Z', 7500, 900],
      ['2025-01-01T00:30:00.000Z', 9000, 900],
      ['2025-01-01T00:45:00.000Z', 9000, 900],
      ['2025-01-01T01:00:00.000Z', 9000, 900],
      ['2025-01-01T01:15:00.000Z', 3000, 300],
    ]);
    const after = rollups([...readings, ['2025-01-01T00:12:00Z', 6]], { kind: 'gauge' });
    // 6 at 00:12 cuts 5 there and holds to 00:20: 00:00 is (5 x 420 + 6 x 180) / 600 = 5.3,
    // 00:15 is (6 x 300 + 10 x 600) / 900 = 8.67.
    expect(table(after, '15m', ['count', 'twSum', 'twSeconds']).slice(0, 2)).toEqual([
      ['2025-01-01T00:00:00.000Z', 2, 3180, 600],
      ['2025-01-01T00:15:00.000Z', 1, 7800, 900],
    ]);
    const mean = (rows: ReturnType<typeof rollups>) => {
      const row = rows['15m'].get(at('2025-01-01T00:15:00Z'))!;
      return Math.round((row.twSum! / row.twSeconds!) * 100) / 100;
    };
    expect([mean(before), mean(after)]).toEqual([8.33, 8.67]);
  });

  it('treats status points and setpoints like gauges', () => {
    for (const kind of ['status', 'setpoint'] as const) {
      const result = rollups(
        [
          ['2025-01-01T00:00:00Z', 1],
          ['2025-01-01T00:10:00Z', 0],
        ],
        { kind },
      );
      expect(table(result, '15m', ['twSum', 'twSeconds', 'consumption']).slice(0, 1)).toEqual([
        ['2025-01-01T00:00:00.000Z', 600, 900, null],
      ]);
    }
  });
});

describe('rollup reference: local hours and days', () => {
  const NEW_YORK = 'America/New_York';

  /** A reading every 15 minutes over [from, to): gauges 1 each, registers +1 each. */
  function everyQuarter(from: string, to: string, kind: PointKind): ReferenceReading[] {
    const readings: ReferenceReading[] = [];
    for (let ts = at(from), i = 0; ts < at(to); ts += 15 * MINUTE, i++) readings.push({ ts, value: kind === 'cumulative' ? i : 1 });
    return readings;
  }

  it.each([
    ['spring forward: 23 hours', '2025-03-09', '2025-03-09T05:00:00Z', '2025-03-10T04:00:00Z', 23],
    ['a plain day', '2025-03-10', '2025-03-10T04:00:00Z', '2025-03-11T04:00:00Z', 24],
    ['fall back: 25 hours', '2025-11-02', '2025-11-02T04:00:00Z', '2025-11-03T05:00:00Z', 25],
  ])('America/New_York %s (%s)', (_name, _date, start, end, hours) => {
    expect(localDayStart(at(start), NEW_YORK)).toBe(at(start));
    expect(localDayStart(at(end) - 1, NEW_YORK)).toBe(at(start));
    expect(nextLocalDayStart(at(start) + 5 * MINUTE, NEW_YORK)).toBe(at(end));

    // Readings from the day before to the day after.
    const from = iso(at(start) - 86_400_000);
    const to = iso(at(end) + 86_400_000);
    const gauge = referenceRollups({
      kind: 'gauge',
      attributes: {},
      readings: everyQuarter(from, to, 'gauge'),
      replacements: [],
      timezone: NEW_YORK,
    });
    expect(gauge['1d'].get(at(start))).toMatchObject({
      count: hours * 4,
      sum: hours * 4,
      twSum: hours * 3600,
      twSeconds: hours * 3600,
      firstTs: at(start),
      lastTs: at(end) - 15 * MINUTE,
    });
    const hourStarts = [...gauge['1h'].keys()].filter((bucket) => bucket >= at(start) && bucket < at(end));
    expect(hourStarts).toHaveLength(hours);
    expect(hourStarts.every((bucket, i) => bucket === at(start) + i * 60 * MINUTE)).toBe(true);

    const register = referenceRollups({
      kind: 'cumulative',
      attributes: {},
      readings: everyQuarter(from, to, 'cumulative'),
      replacements: [],
      timezone: NEW_YORK,
    });
    expect(register['1d'].get(at(start))).toMatchObject({ count: hours * 4, consumption: hours * 4, consumptionFlags: 0 });
  });

  it('makes the repeated 01:00 of a fall-back night two hour buckets', () => {
    // 01:00 EDT is 05:00 UTC, 01:00 EST is 06:00 UTC.
    expect(localHourStart(at('2025-11-02T05:20:00Z'), NEW_YORK)).toBe(at('2025-11-02T05:00:00Z'));
    expect(localHourStart(at('2025-11-02T06:20:00Z'), NEW_YORK)).toBe(at('2025-11-02T06:00:00Z'));
  });

  it('starts Asia/Kolkata hours at :30 UTC and Asia/Kathmandu hours at :15 UTC', () => {
    const readings: Array<[string, number]> = [
      ['2025-01-01T00:00:00Z', 0],
      ['2025-01-01T01:00:00Z', 60],
    ];
    const kolkata = rollups(readings, { timezone: 'Asia/Kolkata' });
    // 00:00 UTC is 05:30 IST: its hour began 23:30 UTC and holds the quarters 00:00 and 00:15.
    expect(table(kolkata, '1h', ['count', 'consumption'])).toEqual([
      ['2024-12-31T23:30:00.000Z', 1, 30],
      ['2025-01-01T00:30:00.000Z', 1, 30],
    ]);
    expect(table(kolkata, '1d', ['count', 'consumption'])).toEqual([['2024-12-31T18:30:00.000Z', 2, 60]]);

    const kathmandu = rollups(readings, { timezone: 'Asia/Kathmandu' });
    // 00:00 UTC is 05:45 NPT: its hour began 23:15 UTC and holds only the quarter 00:00.
    expect(table(kathmandu, '1h', ['count', 'consumption'])).toEqual([
      ['2024-12-31T23:15:00.000Z', 1, 15],
      ['2025-01-01T00:15:00.000Z', 1, 45],
    ]);
    expect(table(kathmandu, '1d', ['count', 'consumption'])).toEqual([['2024-12-31T18:15:00.000Z', 2, 60]]);
  });

  it('splits a day across local midnight for Asia/Taipei', () => {
    // 15:50 -> 16:10 UTC crosses 00:00 Taipei: 10 minutes each side.
    const result = rollups(
      [
        ['2025-07-01T15:50:00Z', 0],
        ['2025-07-01T16:10:00Z', 20],
      ],
      { timezone: 'Asia/Taipei' },
    );
    expect(table(result, '1d', ['count', 'consumption'])).toEqual([
      ['2025-06-30T16:00:00.000Z', 1, 10],
      ['2025-07-01T16:00:00.000Z', 1, 10],
    ]);
  });
});

describe('rollup reference: speed', () => {
  // No clock here (a wall-clock threshold fails on a loaded machine): a reference that stepped
  // through time rather than from reading to reading would not return from these 2-day gaps.
  it('computes a few thousand irregular readings with gaps, reading by reading', () => {
    const readings: ReferenceReading[] = [];
    let ts = at('2025-03-01T00:00:00Z');
    let value = 1000;
    for (let i = 0; i < 4000; i++) {
      ts += ((i * 7919) % 600) * 1000 + 1000 + (i % 500 === 0 ? 2 * 86_400_000 : 0);
      value += (i * 31) % 17;
      readings.push({ ts, value });
    }
    for (const kind of ['cumulative', 'gauge'] as const) {
      const rollups = referenceRollups({ kind, attributes: { rolloverAt: 1e7 }, readings, replacements: [], timezone: 'America/New_York' });
      expect([...rollups['15m'].values()].reduce((count, row) => count + row.count, 0)).toBe(4000);
    }
  });
});

// Keep the exported flag names honest.
test('consumption flags are the bits of docs/rollups.md', () => {
  expect(ConsumptionFlag).toEqual({ gap: 1, reset: 2, suspect: 4, rollover: 8, replacement: 16, jitter: 32 });
});

describe('diffRollups', () => {
  const base = () =>
    rollups([
      ['2025-01-01T00:10:00Z', 100],
      ['2025-01-01T00:40:00Z', 130],
    ]);

  it('finds nothing between equal rollups, and tolerates 1e-9 relative or 1e-6 absolute', () => {
    const actual = base();
    expect(diffRollups(base(), actual)).toEqual([]);
    actual['15m'].get(at('2025-01-01T00:15:00Z'))!.consumption = 15 + 5e-7;
    actual['1d'].get(at('2025-01-01T00:00:00Z'))!.sum = 230 * (1 + 5e-10);
    expect(diffRollups(base(), actual)).toEqual([]);
  });

  it('names missing and unexpected rows and every differing field, earliest first; flags and times exact', () => {
    const actual = base();
    actual['15m'].delete(at('2025-01-01T00:15:00Z'));
    actual['1h'].get(at('2025-01-01T00:00:00Z'))!.consumption = 30.001;
    actual['1h'].get(at('2025-01-01T00:00:00Z'))!.consumptionFlags = 1;
    actual['1d'].get(at('2025-01-01T00:00:00Z'))!.lastTs = at('2025-01-01T00:40:00.001Z');
    actual['1d'].set(at('2025-01-02T00:00:00Z'), { ...actual['1d'].get(at('2025-01-01T00:00:00Z'))!, bucket: at('2025-01-02T00:00:00Z') });
    const differences = diffRollups(base(), actual);
    expect(differences).toHaveLength(4);
    expect(differences[0]).toBe('1h 2025-01-01T00:00:00.000Z: consumption expected 30 got 30.001, consumptionFlags expected 0 got 1');
    expect(differences[1]).toBe('1d 2025-01-01T00:00:00.000Z: lastTs expected 2025-01-01T00:40:00.000Z got 2025-01-01T00:40:00.001Z');
    expect(differences[2]).toMatch(/^15m 2025-01-01T00:15:00.000Z: missing row /);
    expect(differences[3]).toMatch(/^1d 2025-01-02T00:00:00.000Z: unexpected row /);
  });
});
