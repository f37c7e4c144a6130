import { compileExpression } from 'filtrex';
import { ReadingFlags } from '@hallwatch/domain';
import { ParsedReading } from '../parse-result';

/** Inputs older than this (relative to the reading that triggers the computation) are not used. */
export const MAX_INPUT_AGE_MS = 5 * 60_000;

export interface DerivedDefinition {
  site: string;
  asset: string;
  point: string;
  expression: string;
}

interface Compiled extends DerivedDefinition {
  evaluate: (values: Record<string, number>) => unknown;
  /** inputs as `asset/point` keys of the same site, and the name the expression uses for each */
  inputs: Array<{ key: string; name: string }>;
}

/** filtrex's words, which are not point names. */
const KEYWORDS = new Set([
  'and',
  'or',
  'not',
  'in',
  'if',
  'then',
  'else',
  'true',
  'false',
  'mod',
  'abs',
  'ceil',
  'floor',
  'log',
  'max',
  'min',
  'round',
  'sqrt',
  'exists',
  'empty',
]);

/** The point names an expression uses: bare names are the asset's own points, quoted 'asset.point' another asset's. */
export function expressionInputs(asset: string, expression: string): Array<{ key: string; name: string }> {
  const inputs = new Map<string, { key: string; name: string }>();
  for (const [, quoted] of expression.matchAll(/'([a-z0-9-]+\.[A-Za-z0-9_.-]+)'/g)) {
    const dot = quoted.indexOf('.');
    inputs.set(quoted, { key: `${quoted.slice(0, dot)}/${quoted.slice(dot + 1)}`, name: quoted });
  }
  const bare = expression.replace(/'[^']*'/g, ' ').replace(/"[^"]*"/g, ' ');
  for (const [name] of bare.matchAll(/\b[A-Za-z_][A-Za-z0-9_]*\b(?!\s*\()/g)) {
    if (!KEYWORDS.has(name)) inputs.set(name, { key: `${asset}/${name}`, name });
  }
  return [...inputs.values()];
}

/**
 * Derived points (kW/RT from kW and tons, delta-T, COP, net load = grid - PV): computed when one of
 * their inputs arrives, from the latest value of each input, stamped with the triggering reading's
 * time. Nothing is produced while an input is missing or too old, or when the result is not a
 * finite number (kW/RT of a stopped chiller).
 */
export class DerivedPoints {
  private bySite = new Map<string, Compiled[]>();
  private readonly latest = new Map<string, { ts: number; value: number }>();

  constructor(definitions: readonly DerivedDefinition[] = []) {
    this.define(definitions);
  }

  /** Replaces the definitions (after a registry change), keeping the latest values. */
  define(definitions: readonly DerivedDefinition[]): void {
    this.bySite = new Map();
    for (const definition of definitions) {
      const compiled: Compiled = {
        ...definition,
        evaluate: compileExpression(definition.expression) as (values: Record<string, number>) => unknown,
        inputs: expressionInputs(definition.asset, definition.expression),
      };
      this.bySite.set(definition.site, [...(this.bySite.get(definition.site) ?? []), compiled]);
    }
  }

  /** Remembers the readings and returns the derived readings they trigger. */
  derive(readings: readonly ParsedReading[]): ParsedReading[] {
    for (const reading of readings) this.remember(reading);
    const out: ParsedReading[] = [];
    const done = new Set<string>();
    for (const trigger of readings) {
      for (const derived of this.bySite.get(trigger.site) ?? []) {
        const triggered = derived.inputs.some((input) => input.key === `${trigger.asset}/${trigger.point}`);
        const once = `${derived.asset}/${derived.point}@${trigger.ts}`;
        if (!triggered || done.has(once)) continue;
        done.add(once);
        const value = this.evaluate(derived, trigger.ts);
        if (value !== undefined) {
          out.push({ site: derived.site, asset: derived.asset, point: derived.point, ts: trigger.ts, value, flags: ReadingFlags.derived });
        }
      }
    }
    for (const reading of out) this.remember(reading);
    return out;
  }

  private evaluate(derived: Compiled, ts: number): number | undefined {
    const values: Record<string, number> = {};
    for (const input of derived.inputs) {
      const latest = this.latest.get(`${derived.site}/${input.key}`);
      if (!latest || ts - latest.ts > MAX_INPUT_AGE_MS || latest.ts - ts > MAX_INPUT_AGE_MS) return undefined;
      values[input.name] = latest.value;
    }
    const result = derived.evaluate(values);
    return typeof result === 'number' && Number.isFinite(result) ? result : undefined;
  }

  private remember(reading: ParsedReading): void {
    const key = `${reading.site}/${reading.asset}/${reading.point}`;
    const known = this.latest.get(key);
    if (!known || known.ts <= reading.ts) this.latest.set(key, { ts: reading.ts, value: reading.value });
  }
}
