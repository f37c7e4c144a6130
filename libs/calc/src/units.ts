/**
 * Point units Hallwatch converts for reports, by UCUM-style code and the spellings registries use.
 * A savings report reads each point in its own unit and converts on read to the report's unit;
 * a unit not listed here, or of another quantity, cannot be converted and is refused.
 * (Issue #18 generalises units to every point; this list is what savings reports need.)
 */
export type Quantity = 'energy' | 'volume' | 'temperature';

export interface UnitDefinition {
  code: string;
  quantity: Quantity;
  /** value in the quantity's base unit = value × scale + offset (base units: kWh, m³, °C). */
  scale: number;
  offset: number;
}

const DEFINITIONS: Array<UnitDefinition & { spellings: string[] }> = [
  { code: 'kW.h', quantity: 'energy', scale: 1, offset: 0, spellings: ['kWh', 'kW.h', 'kW·h', '度'] },
  { code: 'W.h', quantity: 'energy', scale: 0.001, offset: 0, spellings: ['Wh', 'W.h', 'W·h'] },
  { code: 'MW.h', quantity: 'energy', scale: 1000, offset: 0, spellings: ['MWh', 'MW.h', 'MW·h'] },
  { code: 'm3', quantity: 'volume', scale: 1, offset: 0, spellings: ['m3', 'm³'] },
  { code: 'L', quantity: 'volume', scale: 0.001, offset: 0, spellings: ['L', 'l', 'litre', 'liter', '公升'] },
  { code: 'Cel', quantity: 'temperature', scale: 1, offset: 0, spellings: ['Cel', '°C', '℃', 'degC'] },
  { code: '[degF]', quantity: 'temperature', scale: 5 / 9, offset: (-32 * 5) / 9, spellings: ['[degF]', '°F', '℉', 'degF'] },
  { code: 'K', quantity: 'temperature', scale: 1, offset: -273.15, spellings: ['K'] },
];

const BY_SPELLING = new Map(DEFINITIONS.flatMap((d) => d.spellings.map((s) => [s, d] as const)));

/** The unit a point's unit text names, or null when Hallwatch does not know it. */
export function unitOf(text: string): UnitDefinition | null {
  const found = BY_SPELLING.get(text.trim());
  return found ? { code: found.code, quantity: found.quantity, scale: found.scale, offset: found.offset } : null;
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
