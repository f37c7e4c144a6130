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

/** Protobuf frames written by hand, for the Sparkplug B shapes an encoder would not produce. */
export const protobuf = {
  varint(value: number): Buffer {
    const bytes: number[] = [];
    for (; value > 127; value = Math.floor(value / 128)) bytes.push((value % 128) | 128);
    bytes.push(value);
    return Buffer.from(bytes);
  },
  /** A length-delimited field. */
  field(field: number, body: Buffer): Buffer {
    return Buffer.concat([protobuf.varint((field << 3) | 2), protobuf.varint(body.length), body]);
  },
  /** A Double metric (name, datatype 10, double_value). */
  doubleMetric(name: string, value: number): Buffer {
    const double = Buffer.alloc(8);
    double.writeDoubleLE(value);
    return Buffer.concat([protobuf.field(1, Buffer.from(name)), Buffer.from([0x20, 10, 0x69]), double]);
  },
  /** A payload of these metrics (field 2), and of `extra` bytes after them. */
  payload(metrics: Buffer[], extra: Buffer = Buffer.alloc(0)): Buffer {
    return Buffer.concat([...metrics.map((metric) => protobuf.field(2, metric)), extra]);
  },
  /**
   * Nesting `depth` deep, built in linear time: every level is a prefix (its tag and length) in
   * front of the level inside it, so the lengths are summed from the inside out and the prefixes
   * written from the outside in. `prefix(innerLength)` gives a level's bytes before its inner level.
   */
  nested(depth: number, innermost: Buffer, prefix: (innerLength: number) => Buffer): Buffer {
    const prefixes: Buffer[] = [];
    let length = innermost.length;
    for (let i = 0; i < depth; i++) {
      const head = prefix(length);
      prefixes.push(head);
      length += head.length;
    }
    return Buffer.concat([...prefixes.reverse(), innermost]);
  },
  /** A Template metric whose template holds a Template metric ... `depth` deep, a Double `kW` inside. */
  nestedTemplates(depth: number, name = 'deep'): Buffer {
    // Metric { datatype 19 (Template), template_value (18): Template { metrics (2): [metric] } }
    const inner = protobuf.nested(depth, protobuf.doubleMetric('kW', 1), (metricLength) => {
      const template = Buffer.concat([Buffer.from([0x12]), protobuf.varint(metricLength)]);
      return Buffer.concat([Buffer.from([0x20, 19, 0x92, 0x01]), protobuf.varint(template.length + metricLength), template]);
    });
    return Buffer.concat([protobuf.field(1, Buffer.from(name)), inner]);
  },
  /** A Double metric whose properties hold a property set holding a property set ... `depth` deep. */
  nestedPropertySets(depth: number, name = 'props'): Buffer {
    // PropertySet { keys (1): "k", values (2): PropertyValue { type (1) 20, propertyset_value (9): set } }
    const set = protobuf.nested(depth, Buffer.alloc(0), (setLength) => {
      const value = Buffer.concat([Buffer.from([0x08, 20, 0x4a]), protobuf.varint(setLength)]);
      return Buffer.concat([Buffer.from([0x0a, 1, 0x6b, 0x12]), protobuf.varint(value.length + setLength), value]);
    });
    return Buffer.concat([protobuf.doubleMetric(name, 1), protobuf.field(9, set)]);
  },
  /** Groups (wire types 3 and 4) of an unknown field, `depth` inside one another. */
  nestedGroups(depth: number, field = 6): Buffer {
    return Buffer.concat([Buffer.alloc(depth, (field << 3) | 3), Buffer.alloc(depth, (field << 3) | 4)]);
  },
};
