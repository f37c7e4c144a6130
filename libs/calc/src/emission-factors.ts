import type { Utility } from './council-sentence';

/**
 * Taiwan grid emission factors (電力排碳係數), kgCO2e/kWh, by the year they describe, as the MOEA
 * Energy Administration publishes them the following spring (2015's, 0.525, in 2016).
 */
export const GRID_EMISSION_FACTORS: Record<number, number> = {
  2011: 0.536,
  2012: 0.532,
  2013: 0.522,
  2014: 0.521,
  2015: 0.525,
  2016: 0.53,
  2017: 0.554,
  2018: 0.533,
  2019: 0.509,
  2020: 0.502,
  2021: 0.509,
  2022: 0.495,
  2023: 0.494,
  2024: 0.474,
};

/** Tap water has no official factor; this is the common stand-in. */
export const WATER_EMISSION_FACTOR_KG_PER_M3 = 0.152;
/** Motor gasoline, Ministry of Environment GHG emission factor table (6.0.4): 2.2631 kgCO2e/L. */
export const FUEL_EMISSION_FACTOR_KG_PER_LITRE = 2.2631;

/**
 * A year's grid factor is published the next spring: until then the latest known factor stands in
 * (provisional). A year before the table takes its earliest factor, also provisional.
 */
export function gridEmissionFactor(
  year: number,
  table: Record<number, number> = GRID_EMISSION_FACTORS,
): { factor: number; factorYear: number; provisional: boolean } {
  if (table[year] !== undefined) return { factor: table[year], factorYear: year, provisional: false };
  const years = Object.keys(table)
    .map(Number)
    .sort((a, b) => a - b);
  if (years.length === 0) throw new Error('the emission factor table is empty');
  const factorYear = year > years[years.length - 1] ? years[years.length - 1] : (years.filter((y) => y <= year).at(-1) ?? years[0]);
  return { factor: table[factorYear], factorYear, provisional: true };
}

export function emissionsKg(
  utility: Utility,
  quantity: number,
  year: number,
  table: Record<number, number> = GRID_EMISSION_FACTORS,
): { kg: number; factor: number; factorYear: number; provisional: boolean } {
  if (utility === 'water')
    return {
      kg: quantity * WATER_EMISSION_FACTOR_KG_PER_M3,
      factor: WATER_EMISSION_FACTOR_KG_PER_M3,
      factorYear: year,
      provisional: false,
    };
  if (utility === 'fuel')
    return {
      kg: quantity * FUEL_EMISSION_FACTOR_KG_PER_LITRE,
      factor: FUEL_EMISSION_FACTOR_KG_PER_LITRE,
      factorYear: year,
      provisional: false,
    };
  const factor = gridEmissionFactor(year, { ...GRID_EMISSION_FACTORS, ...table });
  return { kg: quantity * factor.factor, ...factor };
}
