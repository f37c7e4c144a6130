import { DailyObservation, hourlySavings, normalisedSavings } from '@hallwatch/calc';
import { dailyTotals, generateHours, trueAvoided } from '../support/savings-generator';

/**
 * The savings methods against a building whose true saving is known (#17 item 5): a year of
 * hourly weather and use (2024), then half a year (2025 H1) using 10 % less than it would have.
 * The degree-day model on hourly temperatures and the hourly model must find the avoided energy
 * within 3 %; the daily-mean model is printed for comparison (it loses the hours either side of
 * the balance point).
 */
describe('savings methods on generated data with a known saving', () => {
  const hours = generateHours('2024-01-01', '2025-07-01', '2025-01-01');
  const truth = trueAvoided(hours, '2025-01-01');
  const days = dailyTotals(hours);
  const observations = (withHours: boolean, inReporting: boolean): DailyObservation[] =>
    days
      .filter((d) => (d.date >= '2025-01-01') === inReporting)
      .map((d) => ({
        date: d.date,
        usage: d.usage,
        temperatureC: d.meanTemperatureC,
        ...(withHours ? { hourlyTemperaturesC: d.hourlyTemperaturesC } : {}),
      }));
  const daily = (withHours: boolean) =>
    normalisedSavings({
      baseline: observations(withHours, false),
      baselinePeriod: { from: '2024-01-01', to: '2025-01-01' },
      reporting: observations(withHours, true),
      reportingPeriod: { from: '2025-01-01', to: '2025-07-01' },
    });
  const error = (avoided: number) => (avoided - truth) / truth;

  it('finds the avoided energy within 3 % with hourly degree-days and with the hourly model', () => {
    const dailyMean = daily(false);
    const hourlyDegreeDays = daily(true);
    const reporting = Date.parse('2025-01-01T00:00:00+08:00');
    const hourly = hourlySavings(
      hours.filter((h) => h.start < reporting),
      hours.filter((h) => h.start >= reporting),
    );
    const results = {
      truth: Math.round(truth),
      dailyMean: { avoided: Math.round(dailyMean.avoided), errorPct: +(error(dailyMean.avoided) * 100).toFixed(2) },
      hourlyDegreeDays: { avoided: Math.round(hourlyDegreeDays.avoided), errorPct: +(error(hourlyDegreeDays.avoided) * 100).toFixed(2) },
      hourlyModel: { avoided: Math.round(hourly.avoided), errorPct: +(error(hourly.avoided) * 100).toFixed(2) },
    };
    process.stdout.write(`savings accuracy (in memory): ${JSON.stringify(results)}\n`);
    expect(hourlyDegreeDays.model.degreeDays).toBe('hourly');
    expect(dailyMean.model.degreeDays).toBe('daily-mean');
    expect(Math.abs(error(hourlyDegreeDays.avoided))).toBeLessThan(0.03);
    expect(Math.abs(error(hourly.avoided))).toBeLessThan(0.03);
  });
});
