import { baselineWeekdayDate, buildEnergyOverview, comparisonCut, dayComparisonWindows, energyUntil, QuarterEnergy } from './energy-today';

const at = Date.parse;
const q = (ts: string, kWh: number, flags = 0, estimatedKwh = 0): QuarterEnergy => ({ ts: at(ts), kWh, flags, estimatedKwh });

describe('energy up to a time, from quarter hours', () => {
  const quarters = [q('2025-07-01T10:00:00+08:00', 300), q('2025-07-01T10:15:00+08:00', 150), q('2025-07-01T10:30:00+08:00', 90)];

  it.each([
    // whole quarters before 10:20, and 5 of the 15 minutes of 10:15: 300 + 150 × 5/15 = 350
    ['2025-07-01T10:20:00+08:00', Infinity, 350],
    ['2025-07-01T10:15:00+08:00', Infinity, 300],
    ['2025-07-01T11:00:00+08:00', Infinity, 540],
    // counted through 10:35 (the newest reading): the 10:30 quarter's 90 kWh is all before 10:40
    ['2025-07-01T10:40:00+08:00', at('2025-07-01T10:35:00+08:00'), 540],
    // ... and 2 of its 5 known minutes before 10:32: 300 + 150 + 90 × 2/5 = 486
    ['2025-07-01T10:32:00+08:00', at('2025-07-01T10:35:00+08:00'), 486],
  ])('until %s (counted through %s): %d kWh', (until, through, expected) => {
    expect(energyUntil(quarters, at(until), through)).toBeCloseTo(expected, 9);
  });
});

describe('the baseline weekday', () => {
  it.each([
    ['2026-11-30', 2015, '2015-11-30'], // Monday and Monday
    ['2025-07-01', 2015, '2015-06-30'], // Tuesday: 522 weeks back (2015-07-01 is a Wednesday)
    ['2024-02-29', 2015, '2015-02-26'], // read as 28 February 2015 (a Saturday); the nearest Thursday
    ['2025-03-09', 2015, '2015-03-08'], // Sunday
  ] as const)('%s in %d is %s', (date, year, expected) => {
    expect(baselineWeekdayDate(date, year)).toBe(expected);
    expect(new Date(`${expected}T00:00:00Z`).getUTCDay()).toBe(new Date(`${date}T00:00:00Z`).getUTCDay());
  });
});

describe('comparison windows', () => {
  it("in New York on the 23-hour day: yesterday and the baseline day to the same wall-clock time, from each one's midnight", () => {
    const cut = at('2025-03-09T10:20:00-04:00');
    expect(dayComparisonWindows(cut, 'America/New_York', 2015)).toEqual({
      today: { date: '2025-03-09', from: at('2025-03-09T00:00:00-05:00'), to: cut },
      yesterday: { date: '2025-03-08', from: at('2025-03-08T00:00:00-05:00'), to: at('2025-03-08T10:20:00-05:00') },
      baseline: { date: '2015-03-08', from: at('2015-03-08T00:00:00-05:00'), to: at('2015-03-08T10:20:00-04:00') },
    });
  });

  it('cuts at the newest reading, not before midnight and not after the moment asked for', () => {
    const midnight = at('2025-07-01T00:00:00+08:00');
    const now = at('2025-07-01T10:20:00+08:00');
    expect(comparisonCut(now, at('2025-07-01T10:19:00+08:00'), midnight)).toBe(at('2025-07-01T10:19:00+08:00'));
    expect(comparisonCut(now, at('2025-07-01T10:25:00+08:00'), midnight)).toBe(now);
    expect(comparisonCut(now, at('2025-06-30T23:00:00+08:00'), midnight)).toBe(midnight);
    expect(comparisonCut(now, null, midnight)).toBe(midnight);
  });
});

describe('the overview', () => {
  it('adds up today, yesterday and the baseline day to the same time, and the running quarter with its forecast', () => {
    const zone = 'Asia/Taipei';
    const now = at('2025-07-01T10:20:00+08:00');
    const through = at('2025-07-01T10:19:00+08:00');
    const windows = dayComparisonWindows(comparisonCut(now, through, at('2025-07-01T00:00:00+08:00')), zone, 2015);
    const overview = buildEnergyOverview({
      zone,
      at: now,
      baselineYear: 2015,
      contractKw: 1000,
      today: [q('2025-07-01T09:45:00+08:00', 300), q('2025-07-01T10:00:00+08:00', 330, 1, 330), q('2025-07-01T10:15:00+08:00', 100)],
      through,
      windows,
      yesterday: [q('2025-06-30T09:45:00+08:00', 280), q('2025-06-30T10:00:00+08:00', 300), q('2025-06-30T10:15:00+08:00', 150, 1, 150)],
      baseline: [q('2015-06-30T10:00:00+08:00', 400), q('2015-06-30T10:15:00+08:00', 300)],
      latestKw: { ts: at('2025-07-01T10:19:30+08:00'), kW: 1500 },
    });
    // today 300 + 330 + 100 = 730 through 10:19
    // yesterday to 10:19: 280 + 300 + 150 × 4/15 = 620; change (730 − 620) / 620
    // baseline (Tuesday 2015-06-30) to 10:19: 400 + 300 × 4/15 = 480
    // estimated across gaps: today the whole 10:00 quarter, 330; yesterday 4/15 of the 10:15 quarter's 150 = 40
    expect(overview.energy).toEqual({
      unit: 'kWh',
      today: { date: '2025-07-01', from: at('2025-07-01T00:00:00+08:00'), to: through, kWh: 730, estimatedKwh: 330, flags: 1 },
      yesterday: {
        date: '2025-06-30',
        from: at('2025-06-30T00:00:00+08:00'),
        to: at('2025-06-30T10:19:00+08:00'),
        kWh: 620,
        estimatedKwh: 40,
        change: 110 / 620,
      },
      baseline: {
        date: '2015-06-30',
        year: 2015,
        from: at('2015-06-30T00:00:00+08:00'),
        to: at('2015-06-30T10:19:00+08:00'),
        kWh: 480,
        estimatedKwh: 0,
        change: 250 / 480,
      },
    });
    // The running quarter 10:15-10:30: 100 kWh so far → 400 kW; at 1,500 kW for the last 11 minutes:
    // 100 + 1,500 × 11/60 = 375 kWh → 1,500 kW. The quarter before: 330 × 4 = 1,320 kW, today's peak.
    expect(overview.demand).toEqual({
      contractCapacityKw: 1000,
      quarter: {
        from: at('2025-07-01T10:15:00+08:00'),
        to: at('2025-07-01T10:30:00+08:00'),
        through,
        kWh: 100,
        kW: 400,
        share: 0.4,
        level: 'normal',
        forecastKw: expect.closeTo(1500, 9),
        forecastLevel: 'over',
      },
      previousQuarter: { from: at('2025-07-01T10:00:00+08:00'), kW: 1320 },
      peakToday: { from: at('2025-07-01T10:00:00+08:00'), kW: 1320 },
      latestKw: { ts: at('2025-07-01T10:19:30+08:00'), kW: 1500 },
    });
    expect(overview.dataThrough).toBe(through);
  });

  it('says nothing was counted when the meter has no reading today yet', () => {
    const zone = 'UTC';
    const now = at('2025-07-01T00:05:00Z');
    const midnight = at('2025-07-01T00:00:00Z');
    const windows = dayComparisonWindows(comparisonCut(now, null, midnight), zone, 2015);
    const overview = buildEnergyOverview({
      zone,
      at: now,
      baselineYear: 2015,
      contractKw: null,
      today: [],
      through: null,
      windows,
      yesterday: [q('2025-06-30T00:00:00Z', 50)],
      baseline: [],
      latestKw: null,
    });
    expect(overview.energy.today.kWh).toBe(0);
    expect(overview.energy.yesterday).toMatchObject({ to: at('2025-06-30T00:00:00Z'), kWh: 0, change: null });
    expect(overview.demand.quarter).toMatchObject({ kWh: 0, kW: 0, share: null, level: null, forecastKw: null, forecastLevel: null });
  });
});
