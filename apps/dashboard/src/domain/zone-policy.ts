/** Air-conditioning setpoints are kept at 26-28 °C by government policy. */
export const POLICY_MIN_C = 26;
export const POLICY_MAX_C = 28;
/** The 2012 indoor air standard: CO2 1,000 ppm (as an 8-hour average). */
export const CO2_LIMIT_PPM = 1000;

export type TemperatureLevel = 'cold' | 'ok' | 'warm';
export type Co2Level = 'ok' | 'high';

export function temperatureLevel(celsius: number): TemperatureLevel {
  if (celsius < POLICY_MIN_C) return 'cold';
  if (celsius > POLICY_MAX_C) return 'warm';
  return 'ok';
}

export function co2Level(ppm: number): Co2Level {
  return ppm > CO2_LIMIT_PPM ? 'high' : 'ok';
}
