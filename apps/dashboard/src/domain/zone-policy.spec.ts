import { co2Level, temperatureLevel } from './zone-policy';

describe('zone policy', () => {
  it.each([
    [24.9, 'cold'],
    [25.99, 'cold'],
    [26, 'ok'],
    [27.4, 'ok'],
    [28, 'ok'],
    [28.1, 'warm'],
  ])('rates %p °C as %p against the 26-28 °C policy', (celsius, level) => {
    expect(temperatureLevel(celsius)).toBe(level);
  });

  it.each([
    [650, 'ok'],
    [1000, 'ok'],
    [1001, 'high'],
  ])('rates %p ppm CO2 as %p', (ppm, level) => {
    expect(co2Level(ppm)).toBe(level);
  });
});
