import { demandLevel, forecastQuarterDemandKw, quarterDemandKw, quarterHourStart } from './demand';

const at = Date.parse;

describe('15-minute demand', () => {
  it("is a quarter hour's energy × 4", () => {
    expect(quarterDemandKw(300)).toBe(1200);
    expect(quarterDemandKw(0)).toBe(0);
  });

  it('runs on UTC quarter hours, which are local quarter hours in every zone', () => {
    expect(quarterHourStart(at('2025-07-01T10:29:59+08:00'))).toBe(at('2025-07-01T10:15:00+08:00'));
    expect(quarterHourStart(at('2025-07-01T10:29:59+05:45'))).toBe(at('2025-07-01T10:15:00+05:45'));
  });

  describe('forecast to the end of the quarter', () => {
    const quarterStart = at('2025-07-01T10:15:00+08:00');
    const minutes = (n: number) => quarterStart + n * 60_000;

    it.each([
      // 100 kWh by 10:20, 1,500 kW from then: 100 + 1,500 × 10/60 = 350 kWh → 1,400 kW
      [100, 5, 1500, 1400],
      // no power reading: the rate so far (100 kWh in 5 min = 1,200 kW) for the other 10 minutes: 300 kWh → 1,200 kW
      [100, 5, null, 1200],
      // nothing counted yet in the quarter: the present load for all of it
      [0, 0, 900, 900],
      // the quarter is over: its energy × 4 whatever the load
      [250, 15, 5000, 1000],
      [250, 15, null, 1000],
      // a reading before the quarter began says nothing of it yet
      [0, -3, 800, 800],
    ] as const)('%d kWh counted through minute %d, present load %s kW: %d kW', (energyKwh, through, latestKw, expected) => {
      expect(forecastQuarterDemandKw({ quarterStart, energyKwh, through: minutes(through), latestKw })).toBeCloseTo(expected, 9);
    });

    it('has nothing to say with neither energy counted nor a present load', () => {
      expect(forecastQuarterDemandKw({ quarterStart, energyKwh: 0, through: quarterStart, latestKw: null })).toBeNull();
    });

    it('gives what the demand-forecast rule found: 900 kW for 5 minutes, then 1,300 kW, seen at 09:06', () => {
      // (900 × 5 + 1,300 × 1) / 60 = 96.67 kWh by 09:06; + 1,300 × 9/60 = 195 → 291.67 kWh → 1,166.7 kW
      const start = at('2026-07-06T09:00:00+08:00');
      const energyKwh = (900 * 5 + 1300 * 1) / 60;
      expect(forecastQuarterDemandKw({ quarterStart: start, energyKwh, through: start + 6 * 60_000, latestKw: 1300 })).toBeCloseTo(
        (900 * 5 + 1300 * 10) / 15,
        9,
      );
    });
  });

  it.each([
    [899, 1000, 'normal'],
    [900, 1000, 'near'],
    [1000, 1000, 'near'],
    [1000.1, 1000, 'over'],
  ] as const)('%d kW against a %d kW contract is %s', (demand, contract, level) => {
    expect(demandLevel(demand, contract)).toBe(level);
  });
});
