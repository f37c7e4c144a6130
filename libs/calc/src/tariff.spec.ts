import { monthlyBills, TAIPOWER_HV_THREE_STAGE, tariffFor, touPeriod } from './tariff';
import { mergeTariffVersions, tariffVersionSchema } from './tariff-schema';
import { emissionsKg, gridEmissionFactor } from './emission-factors';

const TAIPEI = 'Asia/Taipei';
const at = (local: string) => new Date(`${local}+08:00`);
const v2025 = TAIPOWER_HV_THREE_STAGE.find((v) => v.id === 'taipower-hv-3stage-2025-10')!;

describe('Taipower time of use', () => {
  it('picks the tariff in force', () => {
    expect(tariffFor(at('2015-08-01T10:00:00'), TAIPEI).id).toBe('taipower-hv-3stage-2015');
    expect(tariffFor(at('2026-01-05T10:00:00'), TAIPEI).id).toBe('taipower-hv-3stage-2025-10');
  });

  it.each([
    ['2026-07-15T17:00:00', 'peak'], // summer Wednesday
    ['2026-07-15T10:00:00', 'semi-peak'],
    ['2026-07-15T03:00:00', 'off-peak'],
    ['2026-07-18T10:00:00', 'saturday-semi-peak'], // summer Saturday
    ['2026-07-19T17:00:00', 'off-peak'], // Sunday
    ['2026-01-14T17:00:00', 'semi-peak'], // non-summer weekday: no peak
    ['2026-01-14T12:00:00', 'off-peak'],
    ['2026-05-18T17:00:00', 'peak'], // summer starts 16 May
    ['2026-05-15T17:00:00', 'semi-peak'],
  ])('%s is %s', (local, period) => {
    expect(touPeriod(at(local), v2025, TAIPEI)).toBe(period);
  });

  it('bills a month by hand', () => {
    // July 2026 (all summer): 10 kWh at a weekday 17:00 (peak 9.39), 20 kWh at a weekday 03:00 (off-peak 2.53).
    // energy = 93.9 + 50.6 = 144.5; contract 100 kW × 223.6 = 22,360; demand 115 kW: 10 kW × 2 × 223.6 + 5 kW × 3 × 223.6
    // = 4,472 + 3,354 = 7,826; total = 22,360 + 7,826 + 144.5 = 30,330.5 → 30,331 (power factor not given)
    const [bill] = monthlyBills(
      [
        { start: at('2026-07-15T17:00:00'), kWh: 10 },
        { start: at('2026-07-15T03:00:00'), kWh: 20 },
      ],
      { '2026-07': 115 },
      100,
      { zone: TAIPEI },
    );
    expect(bill.month).toBe('2026-07');
    expect(bill.energyCharge).toBeCloseTo(144.5, 6);
    expect(bill.basicCharge).toBeCloseTo(22_360, 6);
    expect(bill.overContractCharge).toBeCloseTo(7_826, 6);
    expect(bill.total).toBe(30_331);
    expect(bill.byPeriod.peak).toEqual({ kWh: 10, charge: expect.closeTo(93.9, 6) });
  });

  it('adjusts for the power factor and prorates the basic fee in a split month', () => {
    // power factor 90%: 10 points above 80 → −1.0% of the bill
    const [good] = monthlyBills([{ start: at('2026-07-15T03:00:00'), kWh: 100 }], { '2026-07': 50 }, 100, {
      zone: TAIPEI,
      powerFactorPct: 90,
    });
    expect(good.powerFactorAdjustment).toBeCloseTo(-(22_360 + 253) * 0.01, 6);
    // above 95% counts as 95%
    const [best] = monthlyBills([{ start: at('2026-07-15T03:00:00'), kWh: 100 }], { '2026-07': 50 }, 100, {
      zone: TAIPEI,
      powerFactorPct: 99,
    });
    expect(best.powerFactorAdjustment).toBeCloseTo(-(22_360 + 253) * 0.015, 6);
    // May 2026: 15 non-summer days, 16 summer days
    const [may] = monthlyBills([{ start: at('2026-05-04T03:00:00'), kWh: 1 }], {}, 100, { zone: TAIPEI });
    expect(may.basicCharge).toBeCloseTo((100 * (15 * 166.9 + 16 * 223.6)) / 31, 6);
  });
});

describe("time of use on the site's clock", () => {
  const NEW_YORK = 'America/New_York';
  it.each([
    // the same instant, 16:30 UTC on Wednesday 15 July 2026: 00:30 Thursday in Taipei, 12:30 Wednesday in New York
    ['2026-07-15T16:30:00Z', TAIPEI, 'off-peak'],
    ['2026-07-15T16:30:00Z', NEW_YORK, 'semi-peak'],
    // 16:00 EDT is the start of the summer weekday peak in New York
    ['2026-07-15T16:00:00-04:00', NEW_YORK, 'peak'],
    ['2026-07-15T15:59:00-04:00', NEW_YORK, 'semi-peak'],
    // Saturday in New York, Sunday already in Taipei
    ['2026-07-18T18:00:00-04:00', NEW_YORK, 'saturday-semi-peak'],
    ['2026-07-18T18:00:00-04:00', TAIPEI, 'off-peak'],
    // 09:00 on the Monday after New York springs forward (non-summer: semi-peak from 06:00)
    ['2026-03-09T09:00:00-04:00', NEW_YORK, 'semi-peak'],
    ['2026-03-09T05:30:00-04:00', NEW_YORK, 'off-peak'],
  ] as const)('%s in %s is %s', (instant, zone, period) => {
    expect(touPeriod(new Date(instant), v2025, zone)).toBe(period);
  });

  it("bills by the site's months: energy at 20:00 EDT on 31 July is July's, though it is August in Taipei", () => {
    const start = new Date('2026-07-31T20:00:00-04:00');
    const [newYork] = monthlyBills([{ start, kWh: 10 }], {}, 100, { zone: NEW_YORK });
    const [taipei] = monthlyBills([{ start, kWh: 10 }], {}, 100, { zone: TAIPEI });
    expect(newYork.month).toBe('2026-07');
    expect(newYork.byPeriod.peak.kWh).toBe(10); // Friday 20:00, summer peak
    expect(taipei.month).toBe('2026-08');
    expect(taipei.byPeriod['off-peak'].kWh).toBe(10); // Saturday 08:00 there: before the Saturday semi-peak at 09:00
  });
});

describe('emission factors', () => {
  it('uses the published factor, or the latest one provisionally', () => {
    expect(gridEmissionFactor(2017)).toEqual({ factor: 0.554, factorYear: 2017, provisional: false });
    expect(gridEmissionFactor(2026)).toEqual({ factor: 0.474, factorYear: 2024, provisional: true });
    // 2015's factor was published in 2016 (#17 item 11); a year before the table takes its earliest.
    expect(gridEmissionFactor(2015)).toEqual({ factor: 0.525, factorYear: 2015, provisional: false });
    expect(gridEmissionFactor(2005)).toEqual({ factor: 0.536, factorYear: 2011, provisional: true });
    expect(gridEmissionFactor(2025, { 2025: 0.46 })).toEqual({ factor: 0.46, factorYear: 2025, provisional: false });
  });

  it('computes kgCO2e per utility', () => {
    expect(emissionsKg('electricity', 1000, 2017).kg).toBeCloseTo(554, 6);
    expect(emissionsKg('water', 1000, 2017).kg).toBeCloseTo(152, 6);
    expect(emissionsKg('fuel', 100, 2017).kg).toBeCloseTo(226.31, 6);
  });
});

describe('tariff versions entered by officers', () => {
  it('validates the built-in tables against the schema and lets an entered version replace or add', () => {
    for (const version of TAIPOWER_HV_THREE_STAGE) expect(tariffVersionSchema.parse(version)).toEqual(version);
    const cheaper = {
      ...v2025,
      id: 'taipower-hv-3stage-2026-04',
      effectiveFrom: '2026-04-01',
      basicFeePerKwMonth: { summer: 200, nonSummer: 150 },
    };
    const merged = mergeTariffVersions(TAIPOWER_HV_THREE_STAGE, [cheaper]);
    expect(merged.map((v) => v.id)).toEqual(['taipower-hv-3stage-2015', 'taipower-hv-3stage-2025-10', 'taipower-hv-3stage-2026-04']);
    expect(tariffFor(at('2026-07-01T10:00:00'), TAIPEI, merged).id).toBe('taipower-hv-3stage-2026-04');
    expect(() => tariffVersionSchema.parse({ ...cheaper, summer: { from: '13-01', to: '09-30' } })).toThrow("a day as 'MM-DD'");
  });
});
