import { checkSufficiency, DailyObservation, fitDailyModel, predictDaily } from './caltrack';
import { normalisedSavings } from './normalised-savings';

/** mulberry32: a tiny seeded PRNG, so the synthetic years are the same on every run. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(random: () => number) {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** A Taipei-like year: daily means between about 16 °C (January) and 30 °C (July), plus weather noise. */
function syntheticYear(
  year: number,
  seed: number,
  usage: (t: number) => number,
  noise = 600,
  mean = 23,
  amplitude = 7,
): DailyObservation[] {
  const random = prng(seed);
  const days: DailyObservation[] = [];
  for (let d = 0; d < 365; d += 1) {
    const date = new Date(Date.UTC(year, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
    const temperatureC = mean - amplitude * Math.cos((2 * Math.PI * (d - 15)) / 365) + 1.5 * gaussian(random);
    days.push({ date, temperatureC, usage: usage(temperatureC) + noise * gaussian(random) });
  }
  return days;
}

const coolingTruth = (t: number) => 20_000 + 900 * Math.max(0, t - 24);
const year = (y: number) => ({ from: `${y}-01-01`, to: `${y + 1}-01-01` });

describe('CalTRACK daily model', () => {
  it('recovers a cooling-only building: balance point and slope', () => {
    const model = fitDailyModel(syntheticYear(2015, 1, coolingTruth));
    expect(model.kind).toBe('cooling-only');
    expect(Math.abs(model.coolingBalanceC! - 24)).toBeLessThanOrEqual(1.5);
    expect(model.coolingSlope).toBeGreaterThan(900 * 0.93);
    expect(model.coolingSlope).toBeLessThan(900 * 1.07);
    expect(model.intercept).toBeGreaterThan(19_500);
    expect(model.intercept).toBeLessThan(20_500);
  });

  it('recovers heating and cooling', () => {
    const truth = (t: number) => 15_000 + 700 * Math.max(0, 14 - t) + 800 * Math.max(0, t - 25);
    const model = fitDailyModel(syntheticYear(2015, 2, truth, 300, 20, 12));
    expect(model.kind).toBe('heating-cooling');
    expect(Math.abs(model.heatingBalanceC! - 14)).toBeLessThanOrEqual(2);
    expect(Math.abs(model.coolingBalanceC! - 25)).toBeLessThanOrEqual(2);
  });

  it('finds no weather dependence where there is none', () => {
    const model = fitDailyModel(syntheticYear(2015, 3, () => 10_000));
    expect(model.kind).toBe('intercept-only');
    expect(predictDaily(model, 30)).toBeCloseTo(model.intercept, 6);
  });

  it('recovers a known 10% saving in another year’s weather, within Guideline 14 and its uncertainty', () => {
    const baseline = syntheticYear(2015, 4, coolingTruth);
    const reporting = syntheticYear(2017, 5, (t) => 0.9 * coolingTruth(t));
    const result = normalisedSavings({ baseline, baselinePeriod: year(2015), reporting, reportingPeriod: year(2017) });
    expect(Math.abs(result.savingsFraction - 0.1)).toBeLessThan(0.01);
    expect(result.guideline14.pass).toBe(true);
    expect(result.uncertainty.acceptable).toBe(true);
    expect(result.sufficiency.baseline.sufficient).toBe(true);
    expect(result.verdict.join(' ')).toContain('meets ASHRAE Guideline 14');
  });

  it('says plainly when the data are insufficient', () => {
    const baseline = syntheticYear(2015, 6, coolingTruth).slice(0, 200);
    const sufficiency = checkSufficiency(baseline, year(2015));
    expect(sufficiency.sufficient).toBe(false);
    expect(sufficiency.reasons[0]).toContain('165 of 365 days');
    const result = normalisedSavings({
      baseline,
      baselinePeriod: year(2015),
      reporting: syntheticYear(2017, 7, coolingTruth),
      reportingPeriod: year(2017),
    });
    expect(result.verdict[0]).toContain('The baseline data are insufficient');
  });

  it('says when a model fails Guideline 14', () => {
    const noisy = syntheticYear(2015, 8, coolingTruth, 9_000);
    const result = normalisedSavings({
      baseline: noisy,
      baselinePeriod: year(2015),
      reporting: syntheticYear(2017, 9, coolingTruth, 9_000),
      reportingPeriod: year(2017),
    });
    expect(result.guideline14.pass).toBe(false);
    expect(result.verdict.join(' ')).toContain('fails ASHRAE Guideline 14');
  });
});
