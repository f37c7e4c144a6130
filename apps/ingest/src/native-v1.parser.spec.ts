import { parseNativeV1 } from './native-v1.parser';

const limits = { topicPrefix: 'hallwatch/v1', maxPayloadBytes: 1024, maxFutureMs: 300_000, maxAgeMs: 86_400_000 * 365 };
const now = Date.parse('2025-11-22T10:00:00+08:00');
const parse = (topic: string, payload: string) => parseNativeV1(topic, Buffer.from(payload), now, limits);
const TOPIC = 'hallwatch/v1/demo-city-hall/main-incomer';

describe('parseNativeV1', () => {
  it('reads one object with epoch milliseconds', () => {
    expect(parse(TOPIC, `{"ts": ${now - 1000}, "values": {"kW": 412.5, "kWh": 1250311.7}}`)).toEqual({
      readings: [
        { site: 'demo-city-hall', asset: 'main-incomer', point: 'kW', ts: now - 1000, value: 412.5, flags: 0 },
        { site: 'demo-city-hall', asset: 'main-incomer', point: 'kWh', ts: now - 1000, value: 1250311.7, flags: 0 },
      ],
      rejections: [],
    });
  });

  it('reads an array, ISO timestamps, booleans, and flags a missing ts as receive time', () => {
    const result = parse(TOPIC, '[{"ts": "2025-11-22T09:59:00+08:00", "values": {"running": true}}, {"values": {"running": false}}]');
    expect(result.readings).toEqual([
      expect.objectContaining({ point: 'running', ts: Date.parse('2025-11-22T09:59:00+08:00'), value: 1, flags: 0 }),
      expect.objectContaining({ point: 'running', ts: now, value: 0, flags: 1 }),
    ]);
  });

  it.each([
    ['hallwatch/v1/demo-city-hall', '{"values":{}}', 'bad-topic'],
    ['hallwatch/v1/Demo/main', '{"values":{}}', 'bad-topic'],
    ['other/v1/a/b', '{"values":{}}', 'bad-topic'],
    [TOPIC, '{"values": {"kW": 1}', 'bad-json'],
    [TOPIC, '[]', 'bad-shape'],
    [TOPIC, '42', 'bad-shape'],
    [TOPIC, '{"ts": 1}', 'bad-shape'],
    [TOPIC, '{"ts": "yesterday", "values": {"kW": 1}}', 'bad-timestamp'],
    [TOPIC, '{"ts": "2025-11-22T09:59:00", "values": {"kW": 1}}', 'bad-timestamp'],
    [TOPIC, `{"ts": ${now + 3_600_000}, "values": {"kW": 1}}`, 'timestamp-out-of-range'],
    [TOPIC, '{"ts": 0, "values": {"kW": 1}}', 'timestamp-out-of-range'],
    [TOPIC, `{"values": {"kW": "${'x'.repeat(2000)}"}}`, 'payload-too-large'],
  ])('rejects %s %s as %s', (topic, payload, reason) => {
    const result = parse(topic, payload);
    expect(result.readings).toEqual([]);
    expect(result.rejections).toEqual([expect.objectContaining({ reason })]);
  });

  it('keeps the good values of a message and rejects the bad ones one by one', () => {
    const result = parse(TOPIC, '{"values": {"kW": 1, "kVAR": "high", "pf": null, "bad key": 2}}');
    expect(result.readings.map((reading) => reading.point)).toEqual(['kW']);
    expect(result.rejections).toEqual([
      expect.objectContaining({ reason: 'bad-value', point: 'kVAR' }),
      expect.objectContaining({ reason: 'bad-value', point: 'pf' }),
      expect.objectContaining({ reason: 'bad-shape', point: 'bad key' }),
    ]);
  });
});
