import { encodePayload, UMetric } from 'sparkplug-payload/lib/sparkplugbpayload';
import { ReadingFlags } from '@hallwatch/domain';
import { SparkplugDecoder, sparkplugQuality } from './sparkplug-decoder';

const now = Date.parse('2025-11-22T10:00:00+08:00');
const limits = { maxFutureMs: 300_000, maxAgeMs: 86_400_000, maxPayloadBytes: 65_536 };
const frame = (seq: number | undefined, metrics: UMetric[], timestamp = now - 1000) =>
  Buffer.from(encodePayload({ timestamp, seq, metrics }));
const metric = (fields: Partial<UMetric> & Pick<UMetric, 'type' | 'value'>): UMetric => fields;

const T = 'spBv1.0/Taipei_Hall';
const nbirth = frame(0, [
  metric({ name: 'bdSeq', type: 'UInt64', value: 7 }),
  metric({ name: 'Node Control/Rebirth', type: 'Boolean', value: false }),
  metric({ name: 'Gateway/uptime', alias: 1, type: 'UInt32', value: 100 }),
]);
const dbirth = (seq: number) =>
  frame(seq, [
    metric({ name: 'Meter/kW', alias: 10, type: 'Float', value: 412.5 }),
    metric({ name: 'Meter/kWh', alias: 11, type: 'Double', value: 1250311.7 }),
    metric({ name: 'Meter/running', alias: 12, type: 'Boolean', value: true }),
  ]);

describe('sparkplugQuality', () => {
  it.each([
    [undefined, 'good'],
    [192, 'good'],
    [216, 'good'], // good, local override
    [64, 'uncertain'],
    [68, 'uncertain'], // uncertain, last usable value
    [500, 'uncertain'], // stale
    [0, 'bad'],
    [8, 'bad'], // bad, not connected
    [24, 'bad'], // bad, comm failure
  ] as const)('reads Quality %s as %s', (code, quality) => expect(sparkplugQuality(code)).toBe(quality));
});

describe('SparkplugDecoder', () => {
  it('stores a value of uncertain Quality with the uncertain flag and refuses one of bad Quality with the reason', () => {
    const decoder = new SparkplugDecoder(limits);
    const quality = (code: number, type: 'Int32' | 'Int64' = 'Int32') => ({ Quality: { type, value: code } });
    const outcome = decoder.decode(
      `${T}/NBIRTH/gw-1`,
      frame(0, [
        metric({ name: 'bdSeq', type: 'UInt64', value: 1 }),
        metric({ name: 'good', type: 'Float', value: 1, properties: quality(192) }),
        metric({
          name: 'uncertain',
          type: 'Float',
          value: 2,
          properties: { Engineering: { type: 'String', value: 'kW' }, ...quality(64, 'Int64') },
        }),
        metric({ name: 'stale', type: 'Float', value: 3, properties: quality(500) }),
        metric({ name: 'bad', type: 'Float', value: 4, properties: quality(0) }),
        metric({ name: 'plain', type: 'Float', value: 5 }),
      ]),
      now,
    );
    expect(outcome.result.readings.map((reading) => [reading.point, reading.value, reading.flags])).toEqual([
      ['good', 1, ReadingFlags.none],
      ['uncertain', 2, ReadingFlags.uncertain],
      ['stale', 3, ReadingFlags.uncertain],
      ['plain', 5, ReadingFlags.none],
    ]);
    expect(outcome.result.rejections).toEqual([
      { reason: 'bad-value', detail: 'bad: the device marked 4 as bad quality (Quality 0)', point: 'bad' },
    ]);
  });

  it('maps group, device and metric names to site, asset and point, and skips protocol metrics', () => {
    const decoder = new SparkplugDecoder(limits);
    const birth = decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    expect(birth.presence).toEqual({ id: 'Taipei_Hall/gw-1', online: true });
    expect(birth.result.readings).toEqual([
      { site: 'taipei-hall', asset: 'gw-1', point: 'Gateway.uptime', ts: now - 1000, value: 100, flags: 0 },
    ]);
    const device = decoder.decode(`${T}/DBIRTH/gw-1/Main_Incomer`, dbirth(1), now);
    expect(device.result.readings.map((reading) => [reading.asset, reading.point, reading.value])).toEqual([
      ['main-incomer', 'Meter.kW', 412.5],
      ['main-incomer', 'Meter.kWh', 1250311.7],
      ['main-incomer', 'Meter.running', 1],
    ]);
  });

  it('resolves aliases declared in the births, with per-metric timestamps', () => {
    const decoder = new SparkplugDecoder(limits);
    decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    decoder.decode(`${T}/DBIRTH/gw-1/meter`, dbirth(1), now);
    const data = decoder.decode(
      `${T}/DDATA/gw-1/meter`,
      frame(2, [metric({ alias: 10, type: 'Float', value: 420, timestamp: now - 500 })]),
      now,
    );
    expect(data.rebirth).toBeUndefined();
    expect(data.result.readings).toEqual([{ site: 'taipei-hall', asset: 'meter', point: 'Meter.kW', ts: now - 500, value: 420, flags: 0 }]);
  });

  it('asks for a rebirth on an unknown alias, keeping the metric as a rejection', () => {
    const decoder = new SparkplugDecoder(limits);
    decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    decoder.decode(`${T}/DBIRTH/gw-1/meter`, dbirth(1), now);
    const data = decoder.decode(
      `${T}/DDATA/gw-1/meter`,
      frame(2, [metric({ alias: 99, type: 'Float', value: 1 }), metric({ alias: 10, type: 'Float', value: 2 })]),
      now,
    );
    expect(data.result.readings).toHaveLength(1);
    expect(data.result.rejections).toEqual([expect.objectContaining({ reason: 'unknown-alias' })]);
    expect(data.rebirth).toEqual({ group: 'Taipei_Hall', node: 'gw-1', reason: 'unknown alias in DDATA' });
  });

  it('asks for a rebirth on data before any birth, and on a sequence gap', () => {
    const decoder = new SparkplugDecoder(limits);
    expect(decoder.decode(`${T}/NDATA/gw-1`, frame(5, [metric({ alias: 1, type: 'UInt32', value: 1 })]), now).rebirth?.reason).toBe(
      'NDATA before NBIRTH',
    );
    decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    expect(decoder.decode(`${T}/NDATA/gw-1`, frame(1, [metric({ alias: 1, type: 'UInt32', value: 1 })]), now).rebirth).toBeUndefined();
    expect(decoder.decode(`${T}/NDATA/gw-1`, frame(3, [metric({ alias: 1, type: 'UInt32', value: 2 })]), now).rebirth?.reason).toBe(
      'sequence gap: expected 2, got 3',
    );
    // seq wraps from 255 to 0
    decoder.decode(`${T}/NBIRTH/gw-1`, frame(255, [metric({ name: 'bdSeq', type: 'UInt64', value: 8 })]), now);
    expect(decoder.decode(`${T}/NDATA/gw-1`, frame(0, []), now).rebirth).toBeUndefined();
  });

  it('honours a death only from the current session (bdSeq), and then forgets the aliases', () => {
    const decoder = new SparkplugDecoder(limits);
    decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    const stale = decoder.decode(`${T}/NDEATH/gw-1`, frame(undefined, [metric({ name: 'bdSeq', type: 'UInt64', value: 6 })]), now);
    expect(stale.presence).toBeUndefined();
    const death = decoder.decode(`${T}/NDEATH/gw-1`, frame(undefined, [metric({ name: 'bdSeq', type: 'UInt64', value: 7 })]), now);
    expect(death.presence).toEqual({ id: 'Taipei_Hall/gw-1', online: false });
    expect(decoder.decode(`${T}/NDATA/gw-1`, frame(1, [metric({ alias: 1, type: 'UInt32', value: 1 })]), now).rebirth).toBeDefined();
  });

  it('reports a device death as presence', () => {
    const decoder = new SparkplugDecoder(limits);
    decoder.decode(`${T}/NBIRTH/gw-1`, nbirth, now);
    decoder.decode(`${T}/DBIRTH/gw-1/meter`, dbirth(1), now);
    expect(decoder.decode(`${T}/DDEATH/gw-1/meter`, frame(2, []), now).presence).toEqual({ id: 'Taipei_Hall/gw-1/meter', online: false });
  });

  it.each([
    ['spBv1.0/g/NDATA', Buffer.from([]), 'bad-topic'],
    ['spBv1.0/g/DDATA/node', Buffer.from([]), 'bad-topic'],
    [`${T}/NBIRTH/gw-1`, Buffer.from('not protobuf at all, really not'), 'bad-protobuf'],
  ])('rejects %s as %s', (topic, bytes, reason) => {
    expect(new SparkplugDecoder(limits).decode(topic, bytes, now).result.rejections).toEqual([expect.objectContaining({ reason })]);
  });

  it('rejects non-numeric metrics and out-of-range timestamps one by one', () => {
    const decoder = new SparkplugDecoder(limits);
    const result = decoder.decode(
      `${T}/NBIRTH/gw-1`,
      frame(0, [
        metric({ name: 'label', type: 'String', value: 'hello' }),
        metric({ name: 'old', type: 'Float', value: 1, timestamp: now - 2 * 86_400_000 }),
        metric({ name: 'ok', type: 'Int64', value: 5 }),
      ]),
      now,
    ).result;
    expect(result.readings.map((reading) => reading.point)).toEqual(['ok']);
    expect(result.rejections.map((rejection) => rejection.reason)).toEqual(['bad-value', 'timestamp-out-of-range']);
  });
});
