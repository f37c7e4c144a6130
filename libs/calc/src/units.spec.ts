import { conversion, unitOf } from './units';

describe('units (#17 item 7)', () => {
  it('knows the units reports read, by code and common spelling', () => {
    expect(unitOf('kWh')?.code).toBe('kW.h');
    expect(unitOf('°F')?.code).toBe('[degF]');
    expect(unitOf('BTU')).toBeNull();
  });

  // Each factor by hand: 1 Wh = 0.001 kWh; 1 MWh = 1,000 kWh; 1 L = 0.001 m³;
  // °F to °C: (F - 32) x 5/9, so 95 °F = 35 °C and 32 °F = 0 °C; 300 K = 26.85 °C.
  it.each([
    ['Wh', 'kWh', 12_500, 12.5],
    ['MWh', 'kWh', 1.25, 1_250],
    ['L', 'm3', 750, 0.75],
    ['°F', '°C', 95, 35],
    ['°F', 'Cel', 32, 0],
    ['K', '°C', 300, 26.85],
    ['°C', '°C', 21.5, 21.5],
  ])('%s to %s: %d -> %d', (from, to, value, expected) => {
    const c = conversion(from, to)!;
    expect(value * c.scale + c.offset).toBeCloseTo(expected, 9);
  });

  it('refuses what it cannot convert', () => {
    expect(conversion('kWh', '°C')).toBeNull();
    expect(conversion('BTU', 'kWh')).toBeNull();
    expect(conversion('', 'kWh')).toBeNull();
  });
});
