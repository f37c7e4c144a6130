/**
 * The units a point may be declared in: UCUM-style codes, each with the spellings registries use
 * and, where Hallwatch converts between them, its quantity's scale. The registry refuses a unit not
 * listed here; reports (and any reader) convert on read between units of one quantity.
 */
export type Quantity =
  | 'energy'
  | 'power'
  | 'reactive-power'
  | 'volume'
  | 'volume-flow'
  | 'temperature'
  | 'voltage'
  | 'current'
  | 'frequency'
  | 'ratio'
  | 'concentration'
  | 'cooling'
  | 'efficiency'
  | 'pressure';

export interface UnitDefinition {
  code: string;
  quantity: Quantity;
  /** value in the quantity's base unit = value × scale + offset (base units: kWh, kW, m³, m³/h, °C...). */
  scale: number;
  offset: number;
}

const DEFINITIONS: Array<UnitDefinition & { spellings: string[] }> = [
  { code: 'kW.h', quantity: 'energy', scale: 1, offset: 0, spellings: ['kWh', 'kW.h', 'kW·h', '度'] },
  { code: 'W.h', quantity: 'energy', scale: 0.001, offset: 0, spellings: ['Wh', 'W.h', 'W·h'] },
  { code: 'MW.h', quantity: 'energy', scale: 1000, offset: 0, spellings: ['MWh', 'MW.h', 'MW·h'] },
  { code: 'kW', quantity: 'power', scale: 1, offset: 0, spellings: ['kW'] },
  { code: 'W', quantity: 'power', scale: 0.001, offset: 0, spellings: ['W'] },
  { code: 'MW', quantity: 'power', scale: 1000, offset: 0, spellings: ['MW'] },
  { code: 'kVAR', quantity: 'reactive-power', scale: 1, offset: 0, spellings: ['kVAR', 'kvar', 'kVAr'] },
  { code: 'VAR', quantity: 'reactive-power', scale: 0.001, offset: 0, spellings: ['VAR', 'var'] },
  { code: 'm3', quantity: 'volume', scale: 1, offset: 0, spellings: ['m3', 'm³'] },
  { code: 'L', quantity: 'volume', scale: 0.001, offset: 0, spellings: ['L', 'l', 'litre', 'liter', '公升'] },
  { code: 'm3/h', quantity: 'volume-flow', scale: 1, offset: 0, spellings: ['m3/h', 'm³/h', 'CMH'] },
  { code: 'L/s', quantity: 'volume-flow', scale: 3.6, offset: 0, spellings: ['L/s', 'l/s'] },
  { code: 'L/min', quantity: 'volume-flow', scale: 0.06, offset: 0, spellings: ['L/min', 'l/min', 'LPM'] },
  { code: 'Cel', quantity: 'temperature', scale: 1, offset: 0, spellings: ['Cel', '°C', '℃', 'degC'] },
  { code: '[degF]', quantity: 'temperature', scale: 5 / 9, offset: (-32 * 5) / 9, spellings: ['[degF]', '°F', '℉', 'degF'] },
  { code: 'K', quantity: 'temperature', scale: 1, offset: -273.15, spellings: ['K'] },
  { code: 'V', quantity: 'voltage', scale: 1, offset: 0, spellings: ['V'] },
  { code: 'kV', quantity: 'voltage', scale: 1000, offset: 0, spellings: ['kV'] },
  { code: 'A', quantity: 'current', scale: 1, offset: 0, spellings: ['A'] },
  { code: 'Hz', quantity: 'frequency', scale: 1, offset: 0, spellings: ['Hz'] },
  { code: '%', quantity: 'ratio', scale: 1, offset: 0, spellings: ['%', '%RH'] },
  { code: '[ppm]', quantity: 'concentration', scale: 1, offset: 0, spellings: ['[ppm]', 'ppm'] },
  { code: '[RT]', quantity: 'cooling', scale: 1, offset: 0, spellings: ['[RT]', 'RT', 'USRT', '冷凍噸'] },
  { code: 'kW/[RT]', quantity: 'efficiency', scale: 1, offset: 0, spellings: ['kW/[RT]', 'kW/RT'] },
  { code: 'kPa', quantity: 'pressure', scale: 1, offset: 0, spellings: ['kPa'] },
  { code: 'Pa', quantity: 'pressure', scale: 0.001, offset: 0, spellings: ['Pa'] },
  { code: 'bar', quantity: 'pressure', scale: 100, offset: 0, spellings: ['bar'] },
];

const BY_SPELLING = new Map(DEFINITIONS.flatMap((d) => d.spellings.map((s) => [s, d] as const)));

/** Every spelling the registry accepts, for its error message. */
export const KNOWN_UNIT_SPELLINGS: readonly string[] = [...BY_SPELLING.keys()];

/** The unit a point's unit text names, or null when Hallwatch does not know it. */
export function unitOf(text: string): UnitDefinition | null {
  const found = BY_SPELLING.get(text.trim());
  return found ? { code: found.code, quantity: found.quantity, scale: found.scale, offset: found.offset } : null;
}

/** A point's unit is known, or absent (a dimensionless value such as a power factor or a status). */
export function isKnownUnit(text: string): boolean {
  return text.trim() === '' || unitOf(text) !== null;
}

/**
 * How to turn a value in `from` into `to`: value × scale + offset. Null when either is unknown or
 * they measure different quantities. Sums of an energy or volume convert by scale alone.
 */
export function conversion(from: string, to: string): { scale: number; offset: number } | null {
  const a = unitOf(from);
  const b = unitOf(to);
  if (!a || !b || a.quantity !== b.quantity) return null;
  // base = v·a.scale + a.offset; v_to = (base - b.offset) / b.scale
  return { scale: a.scale / b.scale, offset: (a.offset - b.offset) / b.scale };
}
