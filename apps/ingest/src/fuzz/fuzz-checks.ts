import fc from 'fast-check';
import { KEY_PATTERN, POINT_KEY_PATTERN } from '@hallwatch/domain';
import { REJECT_REASONS } from '@hallwatch/readings';
import { isStorableNumber, MAX_POINT_KEY_CHARS, ParseLimits, ParseResult } from '../parse-result';

/** Shared by the fuzz specs: the seed and run count, so a failure prints a reproducible counterexample. */
export const FUZZ_SEED = 20251122;
export const FUZZ_RUNS = 2000;

export const NOW = Date.parse('2025-11-22T10:00:00+08:00');
export const LIMITS: ParseLimits = {
  topicPrefix: 'hallwatch/v1',
  maxPayloadBytes: 256 * 1024,
  maxFutureMs: 300_000,
  maxAgeMs: 7305 * 86_400_000,
};

const KNOWN_REASONS = new Set<string>(REJECT_REASONS);
/** A detail quotes a part of the input at most: never the whole of it (a 256 KiB value, a key 100,000 characters long). */
export const MAX_DETAIL_CHARS = 600;

/**
 * What must hold for any input: every rejection has a known reason and says why; every reading
 * has valid keys, a finite value and a timestamp inside the limits (or the receive time).
 */
export function expectWellFormed(result: ParseResult, receivedAt: number, limits: Pick<ParseLimits, 'maxFutureMs' | 'maxAgeMs'>): void {
  for (const rejection of result.rejections) {
    if (!KNOWN_REASONS.has(rejection.reason)) throw new Error(`unknown reason ${JSON.stringify(rejection.reason)}`);
    if (typeof rejection.detail !== 'string' || rejection.detail === '') throw new Error(`rejection ${rejection.reason} without a detail`);
    // The detail is stored as PostgreSQL text, which cannot hold NUL: one such dead letter stopped the batch writer.
    if (rejection.detail.includes('\u0000')) throw new Error(`rejection ${rejection.reason} with a NUL in its detail`);
    if (rejection.detail.length > MAX_DETAIL_CHARS)
      throw new Error(`rejection ${rejection.reason} with a detail of ${rejection.detail.length} characters`);
  }
  for (const reading of result.readings) {
    const where = JSON.stringify(reading);
    if (!KEY_PATTERN.test(reading.site) || !KEY_PATTERN.test(reading.asset)) throw new Error(`bad site or asset key in ${where}`);
    if (!POINT_KEY_PATTERN.test(reading.point) || reading.point.length > MAX_POINT_KEY_CHARS) throw new Error(`bad point key in ${where}`);
    if (!isStorableNumber(reading.value)) throw new Error(`value not finite or out of the storable range in ${where}`);
    if (!Number.isFinite(reading.ts) || reading.ts > receivedAt + limits.maxFutureMs || reading.ts < receivedAt - limits.maxAgeMs) {
      throw new Error(`ts outside the limits in ${where}`);
    }
  }
}

/** Every input is accounted for: it became readings, or rejections that say why (or both). */
export function expectAccounted(result: ParseResult, expected = 1): void {
  if (result.readings.length + result.rejections.length < expected) {
    throw new Error(`an input became ${result.readings.length} readings and ${result.rejections.length} rejections, expected ${expected}`);
  }
}

/** A parser must never write through `__proto__` or `constructor` keys of the input. */
export function expectNoPollution(): void {
  const probe = {} as Record<string, unknown>;
  if (probe.polluted !== undefined || Object.keys(Object.prototype).length > 0) throw new Error('Object.prototype was polluted');
}

/** Counts of each reason over a run, for the line the specs print. */
export class ReasonTally {
  tried = 0;
  accepted = 0;
  readonly rejected: Record<string, number> = {};

  add(result: ParseResult): void {
    this.tried++;
    this.accepted += result.readings.length;
    for (const { reason } of result.rejections) this.rejected[reason] = (this.rejected[reason] ?? 0) + 1;
  }

  line(name: string): string {
    return `fuzz ${name}: tried ${this.tried}, accepted ${this.accepted}, rejected by reason ${JSON.stringify(this.rejected)}, crashes 0\n`;
  }
}

/** Keys that have broken parsers elsewhere: prototype keys, and ones that look like numbers (and so sort first). */
export const TRICKY_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '0', '42', '1e3'];

/** Depth of a value inside `[{"values":{"kW": ... }}]`, the deepest a message puts one, within JSON_LIMITS.maxDepth (32). */
export const MAX_VALUE_DEPTH = 29;
export function nestedArrays(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}
export function nestedObjects(depth: number): string {
  return '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
}

/** Values a device might send for a number that are not one. As JSON text, since some (1e400) have no JS literal. */
export const BAD_VALUE_JSON: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '"NaN"',
    '"Infinity"',
    '"-Infinity"',
    'null',
    '"12"',
    '""',
    '{}',
    '[]',
    '[1]',
    '1e400',
    '-1e400',
    '"0x10"',
    '{"polluted":1}',
  ),
  // finite, but beyond what the rollups can weight and sum
  fc.constantFrom('1e308', '-1.7976931348623157e308', '5e-324', '-1e-310', '1e301'),
  fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => JSON.stringify(text)),
  // nested, but within the depth a message may have (deeper is DEEP_JSON: the whole message is refused)
  fc.integer({ min: 1, max: MAX_VALUE_DEPTH }).map(nestedArrays),
  fc.integer({ min: 1, max: MAX_VALUE_DEPTH }).map(nestedObjects),
  fc.integer({ min: 1, max: 5000 }).map((length) => JSON.stringify('9'.repeat(length)) /* a number as a huge string */),
  fc.integer({ min: 1, max: 9_000 }).map((length) => `[${Array<string>(length).fill('1e300').join(',')}]`),
  fc.constantFrom('"\\u0000"', '"kW\\u0000"', '"\\ud800"', '"🔥\\udfff"', '"\\u202e"', '{"\\u0000":1}'),
);

/** JSON too deep for any place in a message, as arrays, objects or both, from just past the limit to 100,000 levels. */
export const DEEP_JSON: fc.Arbitrary<string> = fc
  .tuple(
    fc.oneof(fc.integer({ min: MAX_VALUE_DEPTH + 3, max: 200 }), fc.integer({ min: 200, max: 20_000 }), fc.constant(100_000)),
    fc.constantFrom('arrays', 'objects', 'mixed'),
  )
  .map(([depth, form]) => {
    if (form === 'arrays') return nestedArrays(depth);
    if (form === 'objects') return nestedObjects(Math.min(depth, 40_000));
    // Each form stays under LIMITS.maxPayloadBytes, so the depth is what refuses it.
    const half = Math.min(Math.ceil(depth / 2), 25_000);
    return '[{"b":'.repeat(half) + '0' + '}]'.repeat(half);
  });

/**
 * Keys longer than any point key may be: the whole message is refused as key-too-long. Under
 * LIMITS.maxPayloadBytes even in 3-byte characters.
 */
export const HUGE_KEY: fc.Arbitrary<string> = fc
  .tuple(fc.integer({ min: MAX_POINT_KEY_CHARS + 1, max: 80_000 }), fc.constantFrom('k', 'W', '溫', '_'))
  .map(([length, unit]) => unit.repeat(length));

/** Arrays with more elements than a message may hold in one array. */
export const HUGE_ARRAY_JSON: fc.Arbitrary<string> = fc
  .integer({ min: 10_001, max: 60_000 })
  .map((length) => `[${Array<string>(length).fill('0').join(',')}]`);

/** Numbers a valid message may carry, the extremes of the storable range included. */
export const FINITE_VALUE: fc.Arbitrary<number> = fc
  .oneof(
    fc.double({ min: -1e300, max: 1e300, noNaN: true }).filter(isStorableNumber),
    fc.constantFrom(1e300, -1e300, 1e-300, -1e-300, Number.MAX_SAFE_INTEGER, 0),
    fc.integer(),
  )
  .map((value) => value + 0 /* -0 travels as 0 */);

export const POINT_KEY: fc.Arbitrary<string> = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,24}$/) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
);

/** Point keys the parser must refuse (not `[A-Za-z0-9_.-]+`). */
export const BAD_POINT_KEY: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', 'k W', '溫度', 'a/b', '🔥', 'kW\n', 'kW\u0000', '$where', 'a"b'),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((key) => !POINT_KEY_PATTERN.test(key)),
);
