import fc from 'fast-check';
import Long from 'long';
import { encodePayload, UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { isStorableNumber } from '../parse-result';
import { SparkplugDecoder } from '../sparkplug/sparkplug-decoder';
import { toPointKey } from '../sparkplug/sparkplug-topic';
import {
  expectNoPollution,
  expectWellFormed,
  FUZZ_RUNS,
  FUZZ_SEED,
  HUGE_KEY,
  LIMITS,
  NOW,
  protobuf,
  ReasonTally,
  TRICKY_KEYS,
} from './fuzz-checks';

const limits = { maxFutureMs: LIMITS.maxFutureMs, maxAgeMs: LIMITS.maxAgeMs, maxPayloadBytes: LIMITS.maxPayloadBytes };

/** A numeric metric as an edge node sends it, and the number the decoder must make of it. */
interface SentMetric {
  name: string;
  type: UMetric['type'];
  value: number | boolean;
  expected: number;
  timestamp?: number;
}

const typed = <T extends UMetric['type']>(type: T, value: fc.Arbitrary<number>, expected: (value: number) => number = (v) => v) =>
  value.map((v) => ({ type, value: v, expected: expected(v) + 0 }));

const NUMERIC: fc.Arbitrary<Pick<SentMetric, 'type' | 'value' | 'expected'>> = fc.oneof(
  typed('Int8', fc.integer({ min: -128, max: 127 })),
  typed('Int16', fc.integer({ min: -32_768, max: 32_767 })),
  typed('Int32', fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })),
  typed('UInt8', fc.integer({ min: 0, max: 255 })),
  typed('UInt16', fc.integer({ min: 0, max: 65_535 })),
  // A 32-bit Wh register, the README's rollover example, lives in the upper half too.
  typed('UInt32', fc.oneof(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.constantFrom(2 ** 31, 2 ** 32 - 1))),
  typed('Int64', fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER })),
  typed('UInt64', fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER })),
  typed('Float', fc.float({ noNaN: true, noDefaultInfinity: true }), Math.fround),
  typed('Double', fc.double({ min: -1e300, max: 1e300, noNaN: true }).filter(isStorableNumber)),
  fc.boolean().map((flag) => ({ type: 'Boolean' as const, value: flag, expected: Number(flag) })),
);

const METRIC_NAME = fc.oneof(
  { weight: 6, arbitrary: fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _/.-]{0,20}$/) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY_KEYS) },
);
const ID = fc.oneof(fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/), fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }));

const metrics = (min: number) =>
  fc
    .uniqueArray(
      fc.record({
        name: METRIC_NAME.filter((name) => !/^(bdSeq$|Node Control\/|Device Control\/|Properties\/)/.test(name)),
        numeric: NUMERIC,
        timestamp: fc.option(fc.integer({ min: NOW - limits.maxAgeMs, max: NOW + limits.maxFutureMs }), { nil: undefined }),
      }),
      { minLength: min, maxLength: 6, selector: (metric) => metric.name },
    )
    .map((list) => list.map(({ name, numeric, timestamp }): SentMetric => ({ name, ...numeric, timestamp })));

/** A node's session: NBIRTH, a device's DBIRTH, then DDATA by alias, sequence numbers in order. */
const session = fc.record({
  // A group named STATE would make the topic a host application's STATE message.
  group: ID.filter((id) => !id.includes('/') && id !== 'STATE'),
  node: ID.filter((id) => !id.includes('/')),
  device: ID.filter((id) => !id.includes('/')),
  bdSeq: fc.integer({ min: 0, max: 255 }),
  firstSeq: fc.integer({ min: 0, max: 255 }),
  nodeMetrics: metrics(0),
  deviceMetrics: metrics(1),
  data: fc.array(fc.array(fc.tuple(fc.nat(), NUMERIC), { minLength: 1, maxLength: 4 }), { maxLength: 4 }),
});
type Session = typeof session extends fc.Arbitrary<infer T> ? T : never;

interface Frame {
  topic: string;
  bytes: Buffer;
  /** `point=value` of what must be stored */
  expected: string[];
}

function framesOf(s: Session): Frame[] {
  const prefix = `spBv1.0/${s.group}`;
  const seq = (i: number) => (s.firstSeq + i) % 256;
  const encode = (i: number, list: UMetric[]) => Buffer.from(encodePayload({ timestamp: NOW - 1000, seq: seq(i), metrics: list }));
  const toMetric = (metric: SentMetric, alias?: number): UMetric => ({ ...metric, alias });
  const shown = (metric: Pick<SentMetric, 'name' | 'expected'>) => `${toPointKey(metric.name)}=${metric.expected}`;
  const frames: Frame[] = [
    {
      topic: `${prefix}/NBIRTH/${s.node}`,
      bytes: encode(0, [{ name: 'bdSeq', type: 'UInt64', value: s.bdSeq }, ...s.nodeMetrics.map((metric) => toMetric(metric))]),
      expected: s.nodeMetrics.map(shown),
    },
    {
      topic: `${prefix}/DBIRTH/${s.node}/${s.device}`,
      bytes: encode(
        1,
        s.deviceMetrics.map((metric, alias) => toMetric(metric, alias)),
      ),
      expected: s.deviceMetrics.map(shown),
    },
  ];
  s.data.forEach((values, i) => {
    // By alias only, as Sparkplug sends data; the value keeps the type the birth declared.
    const sent = values.map(([pick, numeric]) => {
      const alias = pick % s.deviceMetrics.length;
      const declared = s.deviceMetrics[alias];
      const same = numeric.type === declared.type ? numeric : { type: declared.type, value: declared.value, expected: declared.expected };
      return { alias, name: declared.name, ...same };
    });
    frames.push({
      topic: `${prefix}/DDATA/${s.node}/${s.device}`,
      bytes: encode(
        i + 2,
        sent.map(({ alias, type, value }) => ({ alias, type, value })),
      ),
      expected: sent.map(shown),
    });
  });
  return frames;
}

const HUGE_TIMESTAMPS: Array<number | Long> = [
  Long.MAX_UNSIGNED_VALUE,
  Long.MAX_VALUE,
  Long.fromNumber(8.64e15 + 1, true),
  0,
  1,
  Number.MAX_SAFE_INTEGER,
  NOW + 86_400_000,
];

function badMetric(): fc.Arbitrary<UMetric> {
  return fc.oneof(
    fc.constantFrom<UMetric>(
      { name: 'kW', type: 'Double', value: NaN },
      { name: 'kW', type: 'Double', value: Infinity },
      { name: 'kW', type: 'Double', value: 5e-324 },
      { name: 'kW', type: 'Double', value: 1e308 },
      { name: 'kW', type: 'Float', value: -Infinity },
      { name: 'kW', type: 'Float', value: 1e39 /* Infinity as a float */ },
      { name: 'kW', type: 'String', value: '412.5' },
      { name: 'kW', type: 'Text', value: 'NaN' },
      { name: 'kW', type: 'Bytes', value: new Uint8Array([1, 2, 3]) },
      { name: 'kW', type: 'Double', value: null },
      { alias: 9999, type: 'Double', value: 1 },
      { type: 'Double', value: 1 },
      { name: '', type: 'Double', value: 1 },
      { name: 'bdSeq', type: 'String', value: 'x' },
      { name: '__proto__', type: 'Double', value: 1 },
    ),
    fc.constantFrom(...HUGE_TIMESTAMPS).map<UMetric>((timestamp) => ({ name: 'kW', type: 'Double', value: 1, timestamp })),
  );
}

/** Things that go wrong on the wire or at the edge node. */
const corruption = fc.oneof(
  fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })).map(([at, xor]) => (bytes: Buffer) => {
    const copy = Buffer.from(bytes);
    if (copy.length > 0) copy[at % copy.length] ^= xor;
    return copy;
  }),
  fc.nat().map((at) => (bytes: Buffer) => bytes.subarray(0, at % Math.max(bytes.length, 1))),
  fc.uint8Array({ minLength: 1, maxLength: 40 }).map((extra) => (bytes: Buffer) => Buffer.concat([bytes, extra])),
  fc.uint8Array({ maxLength: 200 }).map((random) => () => Buffer.from(random)),
  badMetric().map((metric) => () => Buffer.from(encodePayload({ timestamp: NOW, seq: 0, metrics: [metric] }))),
  fc
    .constantFrom(...HUGE_TIMESTAMPS)
    .map((timestamp) => () => Buffer.from(encodePayload({ timestamp, seq: 0, metrics: [{ name: 'kW', type: 'Double', value: 1 }] }))),
);

const RANDOM_TOPIC = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc
    .tuple(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('NBIRTH', 'NDEATH', 'DBIRTH', 'DDEATH', 'NDATA', 'DDATA', 'NCMD', 'DCMD', 'STATE', 'ndata', ''),
      fc.string({ maxLength: 8 }),
      fc.option(fc.string({ maxLength: 8 }), { nil: undefined }),
    )
    .map(([group, type, node, device]) => ['spBv1.0', group, type, node, ...(device === undefined ? [] : [device])].join('/')),
);

/** Frames no encoder writes: nesting deep enough to stall or overflow a recursive decoder, too many metrics, huge names. */
const HOSTILE_FRAME: fc.Arbitrary<{ bytes: Buffer; reasons?: string[] }> = fc.oneof(
  // sparkplug-payload decoded each template level twice: 2^depth work
  fc
    .integer({ min: 1, max: 64 })
    .map((depth) => ({ bytes: protobuf.payload([protobuf.nestedTemplates(depth), protobuf.doubleMetric('kW', 1)]) })),
  fc
    .integer({ min: 64, max: 20_000 })
    .map((depth) => ({ bytes: protobuf.payload([protobuf.nestedTemplates(depth)]), reasons: ['bad-value'] })),
  fc.integer({ min: 1, max: 20_000 }).map((depth) => ({ bytes: protobuf.payload([protobuf.nestedPropertySets(depth)]) })),
  fc
    .integer({ min: 33, max: 100_000 })
    .map((depth) => ({ bytes: protobuf.payload([], protobuf.nestedGroups(depth)), reasons: ['too-deep'] })),
  fc
    .integer({ min: 1, max: 32 })
    .map((depth) => ({ bytes: protobuf.payload([protobuf.doubleMetric('kW', 1)], protobuf.nestedGroups(depth)) })),
  fc.integer({ min: 10_001, max: 12_000 }).map((count) => ({
    bytes: protobuf.payload(Array.from({ length: count }, () => Buffer.from([0x10, 0x01]))),
    reasons: ['payload-too-large'],
  })),
  fc.integer({ min: 9_000, max: 10_000 }).map((count) => ({
    bytes: protobuf.payload(Array.from({ length: count }, (_, i) => protobuf.doubleMetric(`m${i}`, i))),
  })),
  HUGE_KEY.map((name) => ({ bytes: protobuf.payload([protobuf.doubleMetric(name, 1)]), reasons: ['key-too-long'] })),
  fc
    .string({ unit: 'binary', minLength: 1, maxLength: 300 })
    .map((name) => ({ bytes: protobuf.payload([protobuf.doubleMetric(`${name}\u0000`, 1), protobuf.doubleMetric(name, 2)]) })),
);

const tally = new ReasonTally();

function checked(decoder: SparkplugDecoder, topic: string, bytes: Buffer) {
  const outcome = decoder.decode(topic, bytes, NOW);
  expectWellFormed(outcome.result, NOW, limits);
  expectNoPollution();
  tally.add(outcome.result);
  return outcome;
}

describe('Sparkplug B decoder under fuzzing', () => {
  afterAll(() => process.stdout.write(tally.line('sparkplug-b')));

  it('accepts every metric of a valid session, by name and by alias, with the value sent', () => {
    fc.assert(
      fc.property(session, (s) => {
        const decoder = new SparkplugDecoder(limits);
        for (const frame of framesOf(s)) {
          const outcome = checked(decoder, frame.topic, frame.bytes);
          expect(outcome.result.rejections).toEqual([]);
          expect(outcome.rebirth).toBeUndefined();
          expect(outcome.result.readings.map((reading) => `${reading.point}=${reading.value}`)).toEqual(frame.expected);
        }
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on a corrupted frame of a session, and goes on decoding the next ones', () => {
    fc.assert(
      fc.property(session, fc.nat(), corruption, (s, pick, corrupt) => {
        const decoder = new SparkplugDecoder(limits);
        const frames = framesOf(s);
        const broken = pick % frames.length;
        frames.forEach((frame, i) => checked(decoder, frame.topic, i === broken ? corrupt(frame.bytes) : frame.bytes));
        // After the corrupted frame, a fresh birth restores the session.
        const reborn = framesOf({ ...s, firstSeq: 0 });
        expect(checked(decoder, reborn[0].topic, reborn[0].bytes).result.rejections).toEqual([]);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on random bytes under random topics, one decoder for the whole run', () => {
    const decoder = new SparkplugDecoder(limits);
    fc.assert(
      fc.property(RANDOM_TOPIC, fc.uint8Array({ maxLength: 300 }), (topic, bytes) => {
        checked(decoder, topic, Buffer.from(bytes));
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('never throws or stalls on deep, wide and long frames, whole or cut short, and says why it refuses them', () => {
    const decoder = new SparkplugDecoder(limits);
    fc.assert(
      fc.property(
        HOSTILE_FRAME,
        fc.constantFrom('NBIRTH', 'NDATA', 'DBIRTH', 'DDATA'),
        fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
        ({ bytes, reasons }, type, cut) => {
          const frame = cut === undefined ? bytes : bytes.subarray(0, Math.floor(cut * bytes.length));
          const started = Date.now();
          const { result } = checked(decoder, `spBv1.0/g/${type}/n${type.startsWith('D') ? '/d' : ''}`, frame);
          expect(Date.now() - started).toBeLessThan(2_000);
          if (reasons && cut === undefined) expect(result.rejections.map((rejection) => rejection.reason)).toEqual(reasons);
        },
      ),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS / 10 },
    );
  });

  it('refuses a timestamp past year 275760 as out of range instead of throwing', () => {
    const decoder = new SparkplugDecoder(limits);
    const bytes = Buffer.from(
      encodePayload({ timestamp: NOW, seq: 0, metrics: [{ name: 'kW', type: 'Double', value: 1, timestamp: Long.MAX_UNSIGNED_VALUE }] }),
    );
    expect(checked(decoder, 'spBv1.0/g/NBIRTH/n', bytes).result.rejections).toEqual([
      { reason: 'timestamp-out-of-range', detail: 'ts 18446744073709552000 is in the future', point: 'kW' },
    ]);
  });

  it('reads a negative Int64 as negative, not as 2^64 minus it', () => {
    const bytes = Buffer.from(encodePayload({ timestamp: NOW, seq: 0, metrics: [{ name: 'kW', type: 'Int64', value: -1 }] }));
    expect(checked(new SparkplugDecoder(limits), 'spBv1.0/g/NBIRTH/n', bytes).result.readings[0].value).toBe(-1);
  });

  // The library narrows UInt32 with a signed toInt(); harmless only while its copy of long differs from protobufjs's.
  it('reads a UInt32 above 2^31 as itself, not as a negative number', () => {
    const bytes = Buffer.from(encodePayload({ timestamp: NOW, seq: 0, metrics: [{ name: 'Wh', type: 'UInt32', value: 4_294_967_295 }] }));
    expect(checked(new SparkplugDecoder(limits), 'spBv1.0/g/NBIRTH/n', bytes).result.readings[0].value).toBe(4_294_967_295);
  });

  it('turns a frame of more than 10,000 metrics into one payload-too-large', () => {
    // Two bytes a metric: 256 KiB would otherwise be about 130,000 unknown-alias dead letters.
    const bytes = Buffer.from(
      encodePayload({ timestamp: NOW, seq: 0, metrics: Array.from({ length: 10_001 }, () => ({ alias: 1, type: 'Double', value: 1 })) }),
    );
    const outcome = checked(new SparkplugDecoder(limits), 'spBv1.0/g/NDATA/n', bytes);
    expect(outcome.result.rejections.map((rejection) => rejection.reason)).toEqual(['payload-too-large']);
  });
});
