import { fitHourlyModel, hourlySavings, HourlyObservation, predictHour } from './caltrack-hourly';

/** Four weeks of hours: use = 100 on weekday hours 8-17, else 40, plus 10 per °C above 23.9 °C. */
function weeks(count: number, temperature: (i: number) => number, factor = 1): HourlyObservation[] {
  return Array.from({ length: count * 168 }, (_, i) => {
    const hourOfWeek = i % 168;
    const occupied = hourOfWeek < 120 && hourOfWeek % 24 >= 8 && hourOfWeek % 24 < 18;
    const t = temperature(i);
    return { start: i * 3_600_000, hourOfWeek, temperatureC: t, usage: factor * ((occupied ? 100 : 40) + 10 * Math.max(0, t - 23.9)) };
  });
}

describe('the hourly time-of-week-and-temperature model', () => {
  // Temperatures 18-32 °C cycling every 15 hours, so every hour of the week sees warm and mild hours.
  const temperature = (i: number) => 18 + (i % 15);

  it('fits a building that follows it exactly', () => {
    const model = fitHourlyModel(weeks(4, temperature));
    expect(model.statistics.cvRmse).toBeLessThan(1e-6);
    // Monday 10:00 at 30 °C: 100 + 10 x (30 - 23.9) = 161.
    expect(predictHour(model, { start: 0, hourOfWeek: 10, temperatureC: 30, usage: 0 })).toBeCloseTo(161, 6);
    // Sunday 03:00 at 20 °C: 40.
    expect(predictHour(model, { start: 0, hourOfWeek: 6 * 24 + 3, temperatureC: 20, usage: 0 })).toBeCloseTo(40, 6);
  });

  it('finds a 10 % saving exactly', () => {
    const result = hourlySavings(weeks(4, temperature), weeks(2, (i) => temperature(i + 7), 0.9));
    expect(result.savingsFraction).toBeCloseTo(0.1, 9);
    expect(result.guideline14.pass).toBe(true);
  });
});
