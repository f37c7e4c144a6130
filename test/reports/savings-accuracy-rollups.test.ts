import { DailyObservation, hourlySavings, normalisedSavings } from '@hallwatch/calc';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { RegistryRepository } from '@hallwatch/registry';
import { SavingsAnnotationsRepository, SavingsDataRepository, savingsRequestSchema, SavingsService } from '@hallwatch/savings';
import { BACKENDS, createTestDatabase, mainIncomer, reportSite, TestDatabase } from '@hallwatch/testing';
import { dailyTotals, generateHours, GeneratedHour, trueAvoided } from '../support/savings-generator';

const site = reportSite('known-saving-hall', 'Known saving hall', [
  mainIncomer({ expectedIntervalSeconds: 3_600 }),
  {
    key: 'weather',
    name: 'Weather station',
    type: 'weather-station',
    tags: ['weather', 'outside'],
    attributes: {},
    points: [{ key: 'outdoorT', kind: 'gauge', unit: '°C', tags: ['air', 'outside', 'temp'], attributes: {} }],
  },
]);

const BASELINE = { from: '2024-04-01', to: '2024-08-01' };
const REPORTING = { from: '2025-06-01', to: '2025-07-16' };
const at = (date: string) => new Date(`${date}T00:00:00+08:00`);

/**
 * The known-saving building through the stored rollups (#17 item 5): hourly register readings and
 * hourly outdoor temperatures, a 122-day baseline (2024-04-01 .. 07-31) and 45 reporting days
 * (2025-06-01 .. 07-15) using 10 % less; about 8,000 readings, so the embedded backend stays quick.
 * Degree-days from the stored hourly temperatures, and the hourly model on the stored hourly use,
 * must find the avoided energy within 3 % of the truth.
 */
describe.each(BACKENDS)('savings methods over stored rollups with a known saving on %s', (backend) => {
  let testDb: TestDatabase;
  let data: SavingsDataRepository;
  let savings: SavingsService;
  let hours: GeneratedHour[];

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([site], 'registry');
    const ids = new Map((await registry.allPointAddresses()).map((p) => [p.asset, p.pointId]));
    const all = generateHours('2024-04-01', REPORTING.to, REPORTING.from);
    const inWindow = (h: GeneratedHour) => (h.date >= BASELINE.from && h.date < BASELINE.to) || h.date >= REPORTING.from;
    hours = all.filter(inWindow);
    const reads: Array<{ pointId: number; ts: number; value: number; flags: number }> = [];
    // The register is read at each hour's start and after the last hour; between the windows it stands still.
    let register = 0;
    for (const [i, h] of hours.entries()) {
      if (i === 0 || hours[i - 1].start + 3_600_000 !== h.start)
        reads.push({ pointId: ids.get('main-incomer')!, ts: h.start, value: register, flags: 0 });
      register += h.usage;
      reads.push({ pointId: ids.get('main-incomer')!, ts: h.start + 3_600_000, value: register, flags: 0 });
      reads.push({ pointId: ids.get('weather')!, ts: h.start, value: h.temperatureC, flags: 0 });
    }
    await new ReadingRepository(testDb.db, testDb.db).insertBatch(reads);
    await new RollupRefresher(testDb.db).drain();
    data = new SavingsDataRepository(testDb.db);
    savings = new SavingsService(data, new SavingsAnnotationsRepository(testDb.db), registry);
  }, 240_000);

  afterAll(() => testDb?.drop());

  it('finds the avoided energy within 3 % with the hourly model, and stored hourly degree-days as in memory', async () => {
    const truth = trueAvoided(hours, REPORTING.from);
    const daysOf = async (p: { from: string; to: string }, withHours: boolean): Promise<DailyObservation[]> => {
      const [usage, temperatures, hourly] = await Promise.all([
        data.dailyUsage(site.key, 'electricity', at(p.from), at(p.to)),
        data.dailyOutdoorTemperature(site.key, at(p.from), at(p.to)),
        data.hourlyOutdoorTemperature(site.key, at(p.from), at(p.to)),
      ]);
      const byDate = new Map<string, number[]>();
      for (const h of hourly) byDate.set(h.date, [...(byDate.get(h.date) ?? []), h.temperatureC]);
      return usage.map((d) => ({
        date: d.date,
        usage: d.usage,
        temperatureC: temperatures.get(d.date)!,
        ...(withHours ? { hourlyTemperaturesC: byDate.get(d.date) } : {}),
      }));
    };
    const daily = async (withHours: boolean) =>
      normalisedSavings({
        baseline: await daysOf(BASELINE, withHours),
        baselinePeriod: BASELINE,
        reporting: await daysOf(REPORTING, withHours),
        reportingPeriod: REPORTING,
      });
    const hourlyOf = async (p: { from: string; to: string }) => {
      const [usage, temperatures] = await Promise.all([
        data.hourlyUsage(site.key, 'electricity', at(p.from), at(p.to)),
        data.hourlyOutdoorTemperature(site.key, at(p.from), at(p.to)),
      ]);
      const t = new Map(temperatures.map((h) => [h.start.getTime(), h.temperatureC]));
      return usage.map((h) => ({
        start: h.start.getTime(),
        hourOfWeek: h.hourOfWeek,
        usage: h.usage,
        temperatureC: t.get(h.start.getTime())!,
      }));
    };
    const [dailyMean, hourlyDegreeDays, hourly] = await Promise.all([
      daily(false),
      daily(true),
      (async () => hourlySavings(await hourlyOf(BASELINE), await hourlyOf(REPORTING)))(),
    ]);
    const error = (avoided: number) => +(((avoided - truth) / truth) * 100).toFixed(2);
    process.stdout.write(
      `savings accuracy (${backend}): ${JSON.stringify({
        truth: Math.round(truth),
        dailyMean: error(dailyMean.avoided),
        hourlyDegreeDays: error(hourlyDegreeDays.avoided),
        hourlyModel: error(hourly.avoided),
      })}\n`,
    );
    expect(hourlyDegreeDays.model.degreeDays).toBe('hourly');
    expect(hourlyDegreeDays.days).toHaveLength(45);
    // The stored path loses nothing: the same data straight from the generator give the same result.
    const direct = (p: { from: string; to: string }): DailyObservation[] =>
      dailyTotals(hours.filter((h) => h.date >= p.from && h.date < p.to)).map((d) => ({
        date: d.date,
        usage: d.usage,
        temperatureC: d.meanTemperatureC,
        hourlyTemperaturesC: d.hourlyTemperaturesC,
      }));
    const inMemory = normalisedSavings({
      baseline: direct(BASELINE),
      baselinePeriod: BASELINE,
      reporting: direct(REPORTING),
      reportingPeriod: REPORTING,
    });
    expect(hourlyDegreeDays.avoided).toBeCloseTo(inMemory.avoided, 3);
    // The hourly model (time of week and temperature) within 3 % on these 45 days; the daily
    // models, blind to weekdays and weekends, are within 3 % over a year and a half-year
    // (savings-accuracy.test.ts) but not over 45 days (4.5 % here: a weekday more or less in the
    // reporting period moves the prediction by 0.5 %, which is 5 % of a 10 % saving).
    expect(Math.abs(error(hourly.avoided))).toBeLessThan(3);
    expect(Math.abs(error(hourlyDegreeDays.avoided))).toBeLessThan(Math.abs(error(dailyMean.avoided)));
  });

  it('offers the hourly model in a report (model=hourly), and says which model and why it states no number', async () => {
    const request = savingsRequestSchema.parse({
      site: site.key,
      method: 'normalised',
      model: 'hourly',
      from: REPORTING.from,
      to: REPORTING.to,
      baselineFrom: BASELINE.from,
      baselineTo: BASELINE.to,
      lang: 'en',
    });
    const report = await savings.report(request);
    const truth = trueAvoided(hours, REPORTING.from);
    // The same +2.01 % as the hourly model above: the report states the hourly model's numbers.
    expect(Math.abs((report.hourlyModel!.avoided - truth) / truth)).toBeLessThan(0.03);
    expect(report.totals.current).toBeCloseTo(report.hourlyModel!.reportingActual, 6);
    expect(report.totals.baseline).toBeCloseTo(report.hourlyModel!.adjustedBaseline, 6);
    // 122 baseline days are not the year CalTRACK asks for: no number in the headline.
    expect(report.summaryMethod).toBe('none');
    expect(report.summary).toBe(
      'Weather-normalised (IPMVP Option C, CalTRACK hourly model: time of week and temperature): the model is not usable, the baseline covers 122 days where a model needs a whole year, so no saving is stated.',
    );
  });
});
