/**
 * Derived points (kW/RT from kW and tons, delta-T, COP, net load = grid - PV) are a function of the
 * STORED readings of their inputs, whatever the batching, the order of arrival or the instance
 * that stored them:
 *
 * - A derived point has a value at every time `t` at which any of its inputs has a stored reading:
 *   its expression of the inputs as of `t`. An input as of `t` is its latest stored reading with
 *   `ts <= t` and `t - ts <= MAX_INPUT_AGE_MS` (sample and hold, at most 5 minutes).
 * - No value when an input has none as of `t`, or when the result is not a number the store can
 *   hold (not finite, or beyond what the rollups can sum: see isStorableNumber).
 * - Values are stored with ReadingFlags.derived. Any other stored value of a derived point (a
 *   device that sends its key) is put right the same way.
 *
 * New input readings stored in [from, to] may change the derived values in [from, to +
 * MAX_INPUT_AGE_MS] and nowhere else: the derived pass (DerivedRefresher) recomputes exactly that
 * window from the stored inputs and makes the stored derived readings there equal to it.
 */
import { compileExpression } from 'filtrex';
import { InvalidatedSpan, mergeSpans } from '@hallwatch/readings';
import { isStorableNumber } from '../parse-result';

/** How long an input's reading holds: older than this, the input has no value. */
export const MAX_INPUT_AGE_MS = 5 * 60_000;

export interface DerivedDefinition {
  pointId: number;
  site: string;
  asset: string;
  point: string;
  expression: string;
}

/** A stored value: epoch ms and value. */
export interface Sample {
  ts: number;
  value: number;
}

/** One input of a derived point: the name its expression uses, and its stored samples in time order. */
export interface InputSeries {
  name: string;
  samples: readonly Sample[];
}

export type Evaluate = (values: Record<string, number>) => unknown;

interface Compiled {
  pointId: number;
  evaluate: Evaluate;
  inputs: Array<{ name: string; pointId: number }>;
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
 * The definition itself: the derived values at the times in [from, to] (inclusive) at which an
 * input has a sample. Each input's samples must be in time order and include the latest one
 * before `from` that may still hold (at most `maxAgeMs` older).
 */
export function deriveSeries(
  evaluate: Evaluate,
  inputs: readonly InputSeries[],
  from: number,
  to: number,
  maxAgeMs = MAX_INPUT_AGE_MS,
): Sample[] {
  if (inputs.length === 0) return [];
  const times = [...new Set(inputs.flatMap((input) => input.samples.filter((s) => s.ts >= from && s.ts <= to).map((s) => s.ts)))].sort(
    (a, b) => a - b,
  );
  // per input, the index of its latest sample at or before the current time (-1: none yet)
  const at = inputs.map(() => -1);
  const out: Sample[] = [];
  for (const t of times) {
    const values: Record<string, number> = {};
    let complete = true;
    inputs.forEach((input, k) => {
      while (at[k] + 1 < input.samples.length && input.samples[at[k] + 1].ts <= t) at[k]++;
      const held = input.samples[at[k]];
      if (held === undefined || t - held.ts > maxAgeMs) complete = false;
      else values[input.name] = held.value;
    });
    if (!complete) continue;
    const value = evaluateSafely(evaluate, values);
    if (value !== undefined) out.push({ ts: t, value });
  }
  return out;
}

/** A number the store can hold, or nothing: an expression that throws (a registry mistake) gives no value. */
function evaluateSafely(evaluate: Evaluate, values: Record<string, number>): number | undefined {
  try {
    const result = evaluate(values);
    // -0 is stored as 0 (they are equal to the database, so one stored value must not flip to the other)
    return isStorableNumber(result) ? result + 0 : undefined;
  } catch {
    return undefined;
  }
}

export type PointIdOf = (site: string, asset: string, point: string) => number | undefined;

/** A derived point the registry defines but that cannot be computed, and why. */
export interface IgnoredPoint {
  point: string;
  reason: string;
}

/**
 * The registry's derived points, compiled, with their inputs as point ids: an immutable set, so a
 * pass works with one version of the registry throughout. A derived point may use another one;
 * points whose inputs lead back to themselves, that use an unknown point, or whose expression
 * does not compile are left out (listed in `ignored`).
 */
export class DerivedDefinitions {
  private readonly byId = new Map<number, Compiled>();
  /** input point id -> the derived points that use it */
  private readonly usedBy = new Map<number, number[]>();
  readonly ignored: IgnoredPoint[] = [];

  constructor(definitions: readonly DerivedDefinition[], pointIdOf: PointIdOf) {
    for (const definition of definitions) {
      const name = `${definition.site}/${definition.asset}/${definition.point}`;
      const inputs = expressionInputs(definition.asset, definition.expression).map((input) => {
        const slash = input.key.indexOf('/');
        return {
          name: input.name,
          key: input.key,
          pointId: pointIdOf(definition.site, input.key.slice(0, slash), input.key.slice(slash + 1)),
        };
      });
      const unknown = inputs.filter((input) => input.pointId === undefined).map((input) => input.key);
      if (unknown.length > 0) {
        this.ignored.push({ point: name, reason: `unknown input(s) ${unknown.join(', ')}` });
        continue;
      }
      let evaluate: Evaluate;
      try {
        evaluate = compileExpression(definition.expression) as Evaluate;
      } catch (error) {
        this.ignored.push({ point: name, reason: `expression: ${(error as Error).message}` });
        continue;
      }
      this.byId.set(definition.pointId, {
        pointId: definition.pointId,
        evaluate,
        inputs: inputs.map((input) => ({ name: input.name, pointId: input.pointId! })),
      });
    }
    for (const pointId of cyclic(this.byId)) {
      this.byId.delete(pointId);
      const definition = definitions.find((candidate) => candidate.pointId === pointId)!;
      this.ignored.push({ point: `${definition.site}/${definition.asset}/${definition.point}`, reason: 'its inputs depend on itself' });
    }
    for (const derived of this.byId.values()) {
      for (const input of derived.inputs) this.usedBy.set(input.pointId, [...(this.usedBy.get(input.pointId) ?? []), derived.pointId]);
    }
  }

  /** Whether other derived points use this point. */
  isInput(pointId: number): boolean {
    return this.usedBy.has(pointId);
  }

  inputsOf(pointId: number): number[] {
    return this.byId.get(pointId)?.inputs.map((input) => input.pointId) ?? [];
  }

  /**
   * Per derived point, where its values may have changed, given spans of newly stored readings:
   * [from, to + MAX_INPUT_AGE_MS] for a span of one of its inputs (the new readings are new times
   * and hold for at most that long), [from, to] for a span of its own (a value stored by anything
   * but the derived pass, which the pass puts right). Merged, sorted by point and time.
   */
  windows(spans: readonly InvalidatedSpan[]): InvalidatedSpan[] {
    const windows: InvalidatedSpan[] = [];
    for (const span of spans) {
      for (const pointId of this.usedBy.get(span.pointId) ?? []) windows.push({ pointId, from: span.from, to: span.to + MAX_INPUT_AGE_MS });
      if (this.byId.has(span.pointId)) windows.push({ ...span });
    }
    return mergeSpans(windows);
  }

  /**
   * The derived values in a window, from the inputs' samples (per input point id, in time order,
   * covering the window and the MAX_INPUT_AGE_MS before it).
   */
  values(window: InvalidatedSpan, samples: ReadonlyMap<number, readonly Sample[]>): Sample[] {
    const derived = this.byId.get(window.pointId);
    if (!derived) return [];
    const inputs = derived.inputs.map((input) => ({ name: input.name, samples: samples.get(input.pointId) ?? [] }));
    return deriveSeries(derived.evaluate, inputs, window.from, window.to);
  }
}

/** The current DerivedDefinitions, replaced whenever the registry is (re)loaded. */
export class DerivedPoints {
  /** Undefined until the registry is loaded: until then a pass must not take (and so lose) any span. */
  current?: DerivedDefinitions;

  /** Replaces the definitions; returns the points left out that were not left out before. */
  define(definitions: readonly DerivedDefinition[], pointIdOf: PointIdOf): IgnoredPoint[] {
    const before = new Set(this.current?.ignored.map((ignored) => `${ignored.point}: ${ignored.reason}`));
    this.current = new DerivedDefinitions(definitions, pointIdOf);
    return this.current.ignored.filter((ignored) => !before.has(`${ignored.point}: ${ignored.reason}`));
  }
}

/** The derived points whose inputs lead back to themselves, or to such a point: no order computes them. */
function cyclic(byId: ReadonlyMap<number, Compiled>): Set<number> {
  const ordered = new Set<number>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pointId, derived] of byId) {
      if (!ordered.has(pointId) && derived.inputs.every((input) => !byId.has(input.pointId) || ordered.has(input.pointId))) {
        ordered.add(pointId);
        grew = true;
      }
    }
  }
  return new Set([...byId.keys()].filter((pointId) => !ordered.has(pointId)));
}
