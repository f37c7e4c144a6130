import Long from 'long';
import { decodePayload, encodePayload, UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { protobuf } from '../fuzz/fuzz-checks';
import { MAX_SESSIONS, SparkplugDecoder } from './sparkplug-decoder';
import { decodeSparkplugPayload, WirePayload } from './sparkplug-wire';

const limits = { maxMetrics: 10_000, maxGroupDepth: 32 };
const decode = (bytes: Buffer): WirePayload => {
  const decoded = decodeSparkplugPayload(bytes, limits);
  if ('reason' in decoded) throw new Error(`${decoded.reason}: ${decoded.detail}`);
  return decoded.payload;
};
const now = Date.parse('2025-11-22T10:00:00+08:00');
const decoderLimits = { maxFutureMs: 300_000, maxAgeMs: 86_400_000, maxPayloadBytes: 1 << 20 };

describe('decodeSparkplugPayload', () => {
  it('reads what sparkplug-payload encodes as sparkplug-payload decodes it, for every scalar type', () => {
    const metrics: UMetric[] = [
      { name: 'i8', type: 'Int8', value: -5, alias: 1, timestamp: now - 1 },
      { name: 'i16', type: 'Int16', value: -30_000 },
      { name: 'i32', type: 'Int32', value: -(2 ** 31) },
      { name: 'i64', type: 'Int64', value: -1 },
      { name: 'u8', type: 'UInt8', value: 255 },
      { name: 'u16', type: 'UInt16', value: 65_535 },
      { name: 'u32', type: 'UInt32', value: 4_294_967_295 },
      { name: 'u64', type: 'UInt64', value: Number.MAX_SAFE_INTEGER },
      { name: 'f', type: 'Float', value: 412.5 },
      { name: 'd', type: 'Double', value: 1250311.7 },
      { name: 'b', type: 'Boolean', value: true },
      { name: 's', type: 'String', value: '溫度\u0000' },
      { name: 'n', type: 'Double', value: null },
      { alias: 7, type: 'Double', value: 3 },
    ];
    const bytes = Buffer.from(encodePayload({ timestamp: now, seq: 9, metrics }));
    const ours = decode(bytes);
    const theirs = decodePayload(bytes);
    expect(Long.fromValue(ours.timestamp!).toNumber()).toBe(now);
    expect(ours.seq!.toNumber()).toBe(9);
    expect(ours.metrics).toHaveLength(metrics.length);
    ours.metrics.forEach((metric, i) => {
      const expected = theirs.metrics![i];
      expect([metric.name, metric.type, metric.isNull]).toEqual([expected.name, expected.type, expected.value === null]);
      const number = (value: unknown) => (Long.isLong(value) ? value.toString() : value);
      expect(number(metric.value)).toEqual(number(expected.value));
      expect(metric.alias?.toNumber()).toEqual(
        expected.alias === undefined || expected.alias === null ? undefined : Long.fromValue(expected.alias).toNumber(),
      );
    });
  });

  // No clock here: a decoder that reads each level twice (sparkplug-payload's) needs 2^100,000 steps
  // for this frame and never returns, and a recursive one overflows the stack.
  it('reads 100,000 nested templates and property sets without recursion, each level once, as one metric each', () => {
    const payload = decode(
      protobuf.payload([protobuf.nestedTemplates(100_000), protobuf.nestedPropertySets(100_000), protobuf.doubleMetric('kW', 2)]),
    );
    expect(payload.metrics.map((metric) => [metric.name, metric.type, metric.value])).toEqual([
      ['deep', 'Template', null],
      ['props', 'Double', 1],
      ['kW', 'Double', 2],
    ]);
  });

  it('refuses groups nested deeper than the limit as too-deep, and reads past a few', () => {
    expect(decodeSparkplugPayload(protobuf.payload([], protobuf.nestedGroups(100_000)), limits)).toEqual({
      reason: 'too-deep',
      detail: 'protobuf groups nested deeper than 32 levels',
    });
    expect(decode(protobuf.payload([protobuf.doubleMetric('kW', 1)], protobuf.nestedGroups(32))).metrics).toHaveLength(1);
  });

  it.each([
    ['a truncated field', protobuf.payload([protobuf.doubleMetric('kW', 1)]).subarray(0, 10), /index out of range/],
    ['an unterminated group', Buffer.from([0x33]), /index out of range/],
    ['an end of group without a start', Buffer.from([0x34]), /invalid wire type 4/],
    ['a varint of 11 bytes', Buffer.from([0x08, ...Array<number>(10).fill(0xff), 0x01]), /varint longer than 10 bytes/],
    ['metrics sent as a number', Buffer.from([0x10, 0x01]), /Payload.metrics: wire type 0, expected 2/],
    ['a length past the end', Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f]), /index out of range/],
  ])('refuses %s as bad-protobuf', (_, bytes, detail) => {
    const decoded = decodeSparkplugPayload(bytes, limits);
    expect(decoded).toEqual({ reason: 'bad-protobuf', detail: expect.stringMatching(detail) });
  });

  it('stops at the metric limit instead of reading them all', () => {
    const bytes = protobuf.payload(Array.from({ length: 10_001 }, () => Buffer.from([0x10, 0x01])));
    expect(decodeSparkplugPayload(bytes, limits)).toEqual({ reason: 'payload-too-large', detail: 'more than 10000 metrics' });
  });
});

describe('SparkplugDecoder on hostile frames', () => {
  const T = 'spBv1.0/hall';

  it('refuses a template nested 40 deep as a bad value at once (it once took hours), and keeps the other metrics', () => {
    const started = Date.now();
    const bytes = protobuf.payload([protobuf.nestedTemplates(40), protobuf.doubleMetric('kW', 42)]);
    const outcome = new SparkplugDecoder(decoderLimits).decode(`${T}/NBIRTH/gw`, bytes, now);
    expect(outcome.result.readings.map((reading) => [reading.point, reading.value])).toEqual([['kW', 42]]);
    expect(outcome.result.rejections).toEqual([
      {
        reason: 'bad-value',
        detail: 'deep: Template is not numeric or boolean, or out of range (0 or 1e-300 to 1e300)',
        point: 'deep',
      },
    ]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('refuses a metric name longer than a point key as key-too-long, quoting only its start', () => {
    const name = 'k'.repeat(100_000);
    const bytes = protobuf.payload([protobuf.doubleMetric(name, 1), protobuf.doubleMetric('ok', 2)]);
    const outcome = new SparkplugDecoder(decoderLimits).decode(`${T}/NBIRTH/gw`, bytes, now);
    expect(outcome.result.readings.map((reading) => reading.point)).toEqual(['ok']);
    expect(outcome.result.rejections).toEqual([
      { reason: 'key-too-long', detail: `metric name of 100000 characters, more than 256: ${'k'.repeat(39)}…` },
    ]);
  });

  it('keeps NUL out of a detail and maps unicode and NUL in names to point keys', () => {
    const bytes = Buffer.from(
      encodePayload({
        timestamp: now,
        metrics: [
          { name: 'k\u0000W', type: 'Double', value: 1 },
          { name: '溫度', type: 'String', value: 'hot' },
          { name: 'x\u0000', type: 'Text', value: '\u0000' },
        ],
      }),
    );
    const outcome = new SparkplugDecoder(decoderLimits).decode(`${T}/NBIRTH/gw`, bytes, now);
    expect(outcome.result.readings.map((reading) => [reading.point, reading.value])).toEqual([['k_W', 1]]);
    expect(outcome.result.rejections.map((rejection) => rejection.detail)).toEqual([
      '溫度: String is not numeric or boolean, or out of range (0 or 1e-300 to 1e300)',
      'x\\u0000: Text is not numeric or boolean, or out of range (0 or 1e-300 to 1e300)',
    ]);
  });

  it(`keeps at most ${MAX_SESSIONS} edge node sessions, forgetting the oldest`, () => {
    const decoder = new SparkplugDecoder(decoderLimits);
    const birth = Buffer.from(encodePayload({ timestamp: now, seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }));
    const data = Buffer.from(encodePayload({ timestamp: now, seq: 1, metrics: [] }));
    for (let i = 0; i <= MAX_SESSIONS; i++) decoder.decode(`${T}/NBIRTH/node-${i}`, birth, now);
    expect(decoder.decode(`${T}/NDATA/node-0`, data, now).rebirth?.reason).toBe('NDATA before NBIRTH');
    expect(decoder.decode(`${T}/NDATA/node-${MAX_SESSIONS}`, data, now).rebirth).toBeUndefined();
  });
});
