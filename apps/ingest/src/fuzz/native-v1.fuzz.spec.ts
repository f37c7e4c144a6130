import fc from 'fast-check';
import { RejectReason } from '@hallwatch/readings';
import { parseNativeV1 } from '../native-v1.parser';
import { MAX_POINT_KEY_CHARS } from '../parse-result';
import {
  BAD_POINT_KEY,
  BAD_VALUE_JSON,
  DEEP_JSON,
  expectAccounted,
  expectNoPollution,
  expectWellFormed,
  FINITE_VALUE,
  FUZZ_RUNS,
  FUZZ_SEED,
  HUGE_ARRAY_JSON,
  HUGE_KEY,
  LIMITS,
  nestedArrays,
  nestedObjects,
  NOW,
  POINT_KEY,
  ReasonTally,
} from './fuzz-checks';

/**
 * A message as the generator builds it, with what the parser must make of each part. Payloads are
 * written as JSON text by hand, so keys such as `__proto__` reach the parser as a device sends them.
 */
interface ModelValue {
  key: string;
  json: string;
  /** undefined: stored with this value */
  reason?: RejectReason;
  value?: number;
}
interface ModelEntry {
  /** JSON text of `ts`, or undefined to leave it out */
  tsJson?: string;
  ts?: number;
  /** the whole entry is refused for this reason (one rejection) */
  reason?: RejectReason;
  /** JSON text that replaces the entry, or its `values`, when the shape is wrong */
  rawJson?: string;
  valuesJson?: string;
  extraJson?: string;
  values: ModelValue[];
}
interface ModelMessage {
  topic: string;
  topicOk: boolean;
  /** the whole message is refused for this reason (one rejection), whatever its entries hold */
  reason?: RejectReason;
  asArray: boolean;
  entries: ModelEntry[];
}

const SITE_KEY = fc.stringMatching(/^[a-z0-9-]{1,20}$/);

const validTs: fc.Arbitrary<Pick<ModelEntry, 'tsJson' | 'ts'>> = fc.oneof(
  fc.integer({ min: NOW - LIMITS.maxAgeMs, max: NOW + LIMITS.maxFutureMs }).map((ts) => ({ tsJson: String(ts), ts })),
  fc
    .tuple(fc.integer({ min: NOW - LIMITS.maxAgeMs, max: NOW + LIMITS.maxFutureMs }), fc.integer({ min: -12 * 60, max: 14 * 60 }))
    .map(([ts, offsetMinutes]) => ({ tsJson: JSON.stringify(isoWithOffset(ts, offsetMinutes)), ts })),
  fc.constant({ tsJson: undefined, ts: NOW }),
  fc.constant({ tsJson: 'null', ts: NOW }),
);

const validValue: fc.Arbitrary<Pick<ModelValue, 'json' | 'value'>> = fc.oneof(
  { weight: 4, arbitrary: FINITE_VALUE.map((value) => ({ json: JSON.stringify(value), value })) },
  { weight: 1, arbitrary: fc.boolean().map((flag) => ({ json: String(flag), value: Number(flag) })) },
);

const validEntry: fc.Arbitrary<ModelEntry> = fc
  .tuple(validTs, fc.uniqueArray(fc.tuple(POINT_KEY, validValue), { minLength: 1, maxLength: 8, selector: ([key]) => key }))
  .map(([ts, values]) => ({ ...ts, values: values.map(([key, value]) => ({ key, ...value })) }));

const validMessage: fc.Arbitrary<ModelMessage> = fc
  .record({
    site: SITE_KEY,
    asset: SITE_KEY,
    asArray: fc.boolean(),
    entries: fc.array(validEntry, { minLength: 1, maxLength: 5 }),
  })
  .map(({ site, asset, asArray, entries }) => ({
    topic: `${LIMITS.topicPrefix}/${site}/${asset}`,
    topicOk: true,
    asArray: asArray || entries.length > 1,
    entries,
  }));

/** One thing wrong with a valid message, and what the parser must then say. */
type Mutation = (message: ModelMessage, entryIndex: number, valueIndex: number) => ModelMessage;

const BAD_TIMESTAMPS: Array<[string, RejectReason]> = [
  ['1.5', 'bad-timestamp'],
  ['"yesterday"', 'bad-timestamp'],
  ['"NaN"', 'bad-timestamp'],
  ['true', 'bad-timestamp'],
  ['{}', 'bad-timestamp'],
  ['[]', 'bad-timestamp'],
  ['"2025-11-22T10:00:00"', 'bad-timestamp'],
  ['"2025-13-45T99:00:00Z"', 'bad-timestamp'],
  ['1e400', 'bad-timestamp'],
  [String(NOW + 86_400_000), 'timestamp-out-of-range'],
  ['0', 'timestamp-out-of-range'],
  ['-1', 'timestamp-out-of-range'],
  ['1e300', 'timestamp-out-of-range'],
  ['-1e300', 'timestamp-out-of-range'],
  ['8640000000000001', 'timestamp-out-of-range'],
  [String(Number.MAX_SAFE_INTEGER), 'timestamp-out-of-range'],
  ['"9999-12-31T23:59:59Z"', 'timestamp-out-of-range'],
  ['"1900-01-01T00:00:00+08:00"', 'timestamp-out-of-range'],
];

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  BAD_VALUE_JSON.map<Mutation>((json) => (message, e, v) => withValue(message, e, v, { json, reason: 'bad-value', value: undefined })),
  fc
    .constantFrom('1e300', '-1e300', '1e-300', '1e-400', '-0', '123456789012345678901234567890')
    .map<Mutation>((json) => (message, e, v) => withValue(message, e, v, { json, reason: undefined, value: Number(json) + 0 })),
  BAD_POINT_KEY.map<Mutation>((key) => (message, e, v) => withValue(message, e, v, { key, reason: 'bad-shape' })),
  fc.constantFrom(...BAD_TIMESTAMPS).map<Mutation>(
    ([tsJson, reason]) =>
      (message, e) =>
        withEntry(message, e, { tsJson, reason }),
  ),
  fc
    .constantFrom('42', '"x"', 'null', 'true', '[]', '[{"values":{"kW":1}}]')
    .map<Mutation>((rawJson) => (message, e) => withEntry(message, e, { rawJson, reason: 'bad-shape' })),
  fc
    .constantFrom('3', '[]', 'null', '"kW"', '[{"kW":1}]')
    .map<Mutation>((valuesJson) => (message, e) => withEntry(message, e, { valuesJson, reason: 'bad-shape' })),
  fc
    .constantFrom('"__proto__":{"polluted":"yes"}', '"constructor":{"prototype":{"polluted":"yes"}}', '"extra":[1,2,3]', '"ts2":"x"')
    .map<Mutation>((extraJson) => (message, e) => withEntry(message, e, { extraJson })),
  // Beyond the limits checked on the text: the whole message is refused, for the one reason.
  fc.tuple(DEEP_JSON, fc.boolean()).map<Mutation>(
    ([json, inTs]) =>
      (message, e, v) =>
        refused(inTs ? withEntry(message, e, { tsJson: json }) : withValue(message, e, v, { json }), 'too-deep'),
  ),
  fc.tuple(HUGE_ARRAY_JSON, fc.boolean()).map<Mutation>(
    ([json, inTs]) =>
      (message, e, v) =>
        refused(inTs ? withEntry(message, e, { tsJson: json }) : withValue(message, e, v, { json }), 'payload-too-large'),
  ),
  HUGE_KEY.map<Mutation>((key) => (message, e, v) => refused(withValue(message, e, v, { key }), 'key-too-long')),
  // The longest point keys allowed are read as usual.
  fc
    .stringMatching(new RegExp(`^[A-Za-z0-9_.-]{100,${MAX_POINT_KEY_CHARS}}$`))
    .map<Mutation>((key) => (message, e, v) => withValue(message, e, v, { key })),
  fc
    .constantFrom(
      'hallwatch/v1/Demo/main',
      'hallwatch/v1/site',
      'hallwatch/v1/a/b/c',
      'hallwatch/v1//main',
      'other/v1/a/b',
      '',
      '#',
      'hallwatch/v1/大樓/x',
    )
    .map<Mutation>((topic) => (message) => ({ ...message, topic, topicOk: false })),
);

function withValue(message: ModelMessage, e: number, v: number, change: Partial<ModelValue>): ModelMessage {
  const entries = message.entries.map((entry, i) =>
    i !== e
      ? entry
      : { ...entry, values: entry.values.map((value, j) => (j !== v % entry.values.length ? value : { ...value, ...change })) },
  );
  return { ...message, entries };
}

function refused(message: ModelMessage, reason: RejectReason): ModelMessage {
  return { ...message, reason };
}

function withEntry(message: ModelMessage, e: number, change: Partial<ModelEntry>): ModelMessage {
  // A replaced entry sits in an array: alone, `[...]` would be read as the message's own array.
  const asArray = message.asArray || change.rawJson !== undefined;
  return { ...message, asArray, entries: message.entries.map((entry, i) => (i !== e ? entry : { ...entry, ...change })) };
}

function textOf(message: ModelMessage): string {
  const entries = message.entries.map((entry) => {
    if (entry.rawJson !== undefined) return entry.rawJson;
    const fields = [
      entry.tsJson !== undefined ? `"ts":${entry.tsJson}` : undefined,
      `"values":${entry.valuesJson ?? `{${entry.values.map((value) => `${JSON.stringify(value.key)}:${value.json}`).join(',')}}`}`,
      entry.extraJson,
    ];
    return `{${fields.filter((field) => field !== undefined).join(',')}}`;
  });
  return message.asArray ? `[${entries.join(',')}]` : entries[0];
}

/** What the parser must return for a model: reasons (sorted) and readings as `point=value@ts`. */
function expected(message: ModelMessage): { reasons: string[]; readings: string[] } {
  if (!message.topicOk) return { reasons: ['bad-topic'], readings: [] };
  if (message.reason) return { reasons: [message.reason], readings: [] };
  const reasons: string[] = [];
  const readings: string[] = [];
  for (const entry of message.entries) {
    if (entry.reason) {
      reasons.push(entry.reason);
      continue;
    }
    for (const value of entry.values) {
      if (value.reason) reasons.push(value.reason);
      else readings.push(`${value.key}=${value.value}@${entry.ts}`);
    }
  }
  return { reasons: reasons.sort(), readings: readings.sort() };
}

function isoWithOffset(ts: number, offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return new Date(ts + offsetMinutes * 60_000).toISOString().replace('Z', zone);
}

const parse = (topic: string, payload: Buffer | string) =>
  parseNativeV1(topic, typeof payload === 'string' ? Buffer.from(payload) : payload, NOW, LIMITS);
const tally = new ReasonTally();

function onlyEmptyValues(payload: Buffer | string): boolean {
  try {
    const body = JSON.parse(payload.toString()) as unknown;
    const entries = Array.isArray(body) ? (body as unknown[]) : [body];
    return entries.every((entry) => {
      const values = (entry as { values?: unknown } | null)?.values;
      return typeof values === 'object' && values !== null && !Array.isArray(values) && Object.keys(values).length === 0;
    });
  } catch {
    return false;
  }
}

function checked(topic: string, payload: Buffer | string) {
  const result = parse(topic, payload);
  expectWellFormed(result, NOW, LIMITS);
  // A message whose every `values` is empty says nothing, and becomes nothing.
  expectAccounted(result, onlyEmptyValues(payload) ? 0 : 1);
  expectNoPollution();
  tally.add(result);
  return result;
}

describe('native v1 parser under fuzzing', () => {
  afterAll(() => process.stdout.write(tally.line('native-v1')));

  it('accepts every value of every valid message, as sent', () => {
    fc.assert(
      fc.property(validMessage, (message) => {
        const result = checked(message.topic, textOf(message));
        const want = expected(message);
        expect(result.rejections).toEqual([]);
        expect(result.readings.map((reading) => `${reading.point}=${reading.value}@${reading.ts}`).sort()).toEqual(want.readings);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('refuses exactly the mutated part of a message, with its reason, and keeps the rest', () => {
    fc.assert(
      fc.property(validMessage, mutation, fc.nat(), fc.nat(), (message, mutate, e, v) => {
        const mutated = mutate(message, e % message.entries.length, v);
        const result = checked(mutated.topic, textOf(mutated));
        const want = expected(mutated);
        expect(result.rejections.map((rejection) => rejection.reason).sort()).toEqual(want.reasons);
        expect(result.readings.map((reading) => `${reading.point}=${reading.value}@${reading.ts}`).sort()).toEqual(want.readings);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('refuses any strict prefix of a valid message as bad JSON', () => {
    fc.assert(
      fc.property(validMessage, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), (message, cut) => {
        const text = textOf(message);
        const result = checked(message.topic, text.slice(0, Math.floor(cut * text.length)));
        expect(result.rejections.map((rejection) => rejection.reason)).toEqual(['bad-json']);
        expect(result.readings).toEqual([]);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on random bytes, random JSON or random topics', () => {
    const topic = fc.oneof(
      fc.constant(`${LIMITS.topicPrefix}/demo-hall/main-incomer`),
      fc.string({ unit: 'grapheme', maxLength: 60 }),
      fc.tuple(fc.string({ maxLength: 10 }), fc.string({ maxLength: 10 })).map(([site, asset]) => `${LIMITS.topicPrefix}/${site}/${asset}`),
    );
    const payload = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
      fc.jsonValue({ maxDepth: 6 }).map((value) => JSON.stringify(value)),
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc
        .dictionary(fc.oneof(POINT_KEY, fc.string()), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 })
        .map((values) => JSON.stringify([{ ts: NOW, values }, { values }])),
      // deep, wide and long: anywhere in the message, closed or not
      fc
        .tuple(
          fc.oneof(
            DEEP_JSON,
            HUGE_ARRAY_JSON,
            HUGE_KEY.map((key) => `{${JSON.stringify(key)}:1}`),
            fc.integer({ min: 1, max: 40 }).map(nestedArrays),
          ),
          fc.constantFrom('value', 'ts', 'message', 'values', 'unclosed'),
        )
        .map(([json, where]) => {
          if (where === 'value') return `{"ts":${NOW},"values":{"kW":${json}}}`;
          if (where === 'ts') return `{"ts":${json},"values":{"kW":1}}`;
          if (where === 'values') return `[{"values":${json}}]`;
          if (where === 'unclosed') return `{"values":{"kW":${json.slice(0, Math.ceil(json.length / 2))}`;
          return json;
        }),
      fc
        .tuple(fc.integer({ min: 1, max: 50_000 }), fc.constantFrom('[', '{"a":', '{"', '[{"values":', '"\\', ','))
        .map(([count, unit]) => unit.repeat(count)),
      fc.integer({ min: 1, max: 40 }).map((depth) => `{"ts":${NOW},"values":{"kW":${nestedObjects(depth)}}}`),
    );
    fc.assert(
      fc.property(topic, payload, (topicName, bytes) => {
        checked(topicName, bytes);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('keeps NUL out of a bad-json detail, which quotes the payload', () => {
    const [rejection] = checked(`${LIMITS.topicPrefix}/a/b`, Buffer.from('#\u0000{')).rejections;
    expect(rejection.reason).toBe('bad-json');
    expect(rejection.detail).toContain('\\u0000');
  });

  it('refuses a timestamp past year 275760 as out of range instead of throwing', () => {
    // new Date(1e300).toISOString() throws; it used to escape the parser and stop the ingest pipeline.
    expect(checked(`${LIMITS.topicPrefix}/a/b`, '{"ts":1e300,"values":{"kW":1}}').rejections).toEqual([
      { reason: 'timestamp-out-of-range', detail: 'ts 1e+300 is in the future' },
    ]);
  });

  it('refuses finite values that a float8 rollup cannot weight or sum, keeping the others', () => {
    // 5e-324 made PostgreSQL raise "value out of range: underflow" in the rollups, and the batch writer retried it forever.
    const result = checked(`${LIMITS.topicPrefix}/a/b`, '{"ts":1763776800000,"values":{"tiny":5e-324,"huge":1e308,"ok":1e-300,"zero":0}}');
    expect(result.rejections.map((rejection) => [rejection.reason, rejection.point])).toEqual([
      ['bad-value', 'tiny'],
      ['bad-value', 'huge'],
    ]);
    expect(result.readings.map((reading) => reading.point)).toEqual(['ok', 'zero']);
  });

  it('refuses a payload over the byte limit, and deep nesting, without throwing', () => {
    const small = { ...LIMITS, maxPayloadBytes: 1024 };
    const big = `{"values":{"kW":"${'x'.repeat(2000)}"}}`;
    expect(parseNativeV1(`${LIMITS.topicPrefix}/a/b`, Buffer.from(big), NOW, small).rejections).toEqual([
      { reason: 'payload-too-large', detail: `${big.length} bytes > 1024` },
    ]);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(checked(`${LIMITS.topicPrefix}/a/b`, deep).rejections.map((rejection) => rejection.reason)).toEqual(['too-deep']);
  });

  it('turns a message with more than 10,000 values, good or bad, into one payload-too-large', () => {
    const topic = `${LIMITS.topicPrefix}/a/b`;
    // 256 KiB of empty objects would otherwise be about 87,000 rejections, each kept with the payload.
    for (const entry of ['{}', '{"values":{"x":1}}', '{"values":{"x":"bad"}}']) {
      const result = checked(topic, `[${Array.from({ length: 10_001 }, () => entry).join(',')}]`);
      expect(result.readings).toEqual([]);
      expect(result.rejections.map((rejection) => rejection.reason)).toEqual(['payload-too-large']);
    }
    const values = Array.from({ length: 10_001 }, (_, i) => `"p${i}":"bad"`).join(',');
    expect(checked(topic, `{"values":{${values}}}`).rejections.map((rejection) => rejection.reason)).toEqual(['payload-too-large']);
  });
});
