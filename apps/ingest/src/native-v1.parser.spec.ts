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

  it('stores values the device marks uncertain with the uncertain flag and refuses those it marks bad', () => {
    const payload = `{"ts": ${now}, "values": {"kW": 1, "kWh": 2, "PF": 0.9, "Hz": 60}, "quality": {"kW": "uncertain", "kWh": "bad", "PF": "good", "Hz": "maybe"}}`;
    expect(parse(TOPIC, payload)).toEqual({
      readings: [
        { site: 'demo-city-hall', asset: 'main-incomer', point: 'kW', ts: now, value: 1, flags: 8 },
        { site: 'demo-city-hall', asset: 'main-incomer', point: 'PF', ts: now, value: 0.9, flags: 0 },
      ],
      rejections: [
        { reason: 'bad-value', detail: 'kWh: the device marked 2 as bad quality', point: 'kWh' },
        { reason: 'bad-shape', detail: 'Hz: quality "maybe" is not "good", "uncertain" or "bad"', point: 'Hz' },
      ],
    });
    expect(parse(TOPIC, `{"ts": ${now}, "values": {"kW": 1}, "quality": ["uncertain"]}`).rejections).toEqual([
      { reason: 'bad-shape', detail: 'quality must map point keys to "good", "uncertain" or "bad"' },
    ]);
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

  describe('hostile input: limits are checked on the text, before anything recurses', () => {
    const roomy = { ...limits, maxPayloadBytes: 1 << 20 };
    const parseRoomy = (payload: string) => parseNativeV1(TOPIC, Buffer.from(payload), now, roomy);
    const arrays = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
    const objects = (depth: number) => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth);
    const only = (payload: string) => {
      const result = parseRoomy(payload);
      expect(result.readings).toEqual([]);
      expect(result.rejections).toHaveLength(1);
      return result.rejections[0];
    };

    it.each([
      ['arrays in a value', 5_000, (depth: number) => `{"ts":${now},"values":{"kW":${arrays(depth)}}}`],
      ['arrays in a value', 100_000, (depth: number) => `{"ts":${now},"values":{"kW":${arrays(depth)}}}`],
      ['objects in a value', 5_000, (depth: number) => `{"ts":${now},"values":{"kW":${objects(depth)}}}`],
      ['objects in a value', 100_000, (depth: number) => `{"ts":${now},"values":{"kW":${objects(depth)}}}`],
      ['objects in ts', 5_000, (depth: number) => `{"ts":${objects(depth)},"values":{"kW":1}}`],
      ['objects in ts', 100_000, (depth: number) => `{"ts":${objects(depth)},"values":{"kW":1}}`],
      ['arrays in ts', 5_000, (depth: number) => `{"ts":${arrays(depth)},"values":{"kW":1}}`],
      ['arrays in ts', 100_000, (depth: number) => `{"ts":${arrays(depth)},"values":{"kW":1}}`],
      ['arrays as the message', 100_000, arrays],
      ['messages in messages', 5_000, (depth: number) => '[{"values":'.repeat(depth) + '{}' + '}]'.repeat(depth)],
    ])('refuses %s nested %i deep as too-deep, naming the limit', (_, depth, build) => {
      expect(only(build(depth))).toEqual({ reason: 'too-deep', detail: 'arrays and objects nested deeper than 32 levels' });
    });

    it('still reads a bad value nested within the limit as a bad value, briefly', () => {
      const result = parseRoomy(`{"ts":${now},"values":{"kW":${arrays(30)},"kWh":1}}`);
      expect(result.readings.map((reading) => reading.point)).toEqual(['kWh']);
      expect(result.rejections).toEqual([
        { reason: 'bad-value', detail: 'kW: [[[[[…]]]]] is not a number (0 or 1e-300 to 1e300 in size) or boolean', point: 'kW' },
      ]);
      expect(only(`{"ts":${now},"values":{"kW":${arrays(31)}}}`).reason).toBe('too-deep');
    });

    it('refuses a huge array, as a value or as the message, without listing it', () => {
      const values = `{"ts":${now},"values":{"kW":[${Array(200_000).fill(1).join(',')}]}}`;
      expect(only(values)).toEqual({ reason: 'payload-too-large', detail: 'an array of more than 10000 elements' });
      const within = parseRoomy(`{"ts":${now},"values":{"kW":[${Array(9_000).fill(123456789).join(',')}]}}`);
      expect(within.rejections).toEqual([expect.objectContaining({ reason: 'bad-value', point: 'kW' })]);
      expect(within.rejections[0].detail.length).toBeLessThan(200);
      const entries = `[${Array(20_000).fill(`{"values":{"kW":1}}`).join(',')}]`;
      expect(only(entries)).toEqual({ reason: 'payload-too-large', detail: 'an array of more than 10000 elements' });
    });

    it('refuses an object with too many keys before walking it', () => {
      const keys = Array.from({ length: 10_001 }, (_, i) => `"p${i}":1`).join(',');
      expect(only(`{"ts":${now},"values":{${keys}}}`)).toEqual({
        reason: 'payload-too-large',
        detail: 'an object of more than 10000 members',
      });
    });

    it('refuses a huge key as key-too-long, quoting only its start', () => {
      for (const key of ['k'.repeat(300), 'k'.repeat(500_000), '溫'.repeat(1000)]) {
        const rejection = only(`{"ts":${now},"values":{"${key}":1}}`);
        expect(rejection.reason).toBe('key-too-long');
        expect(rejection.detail).toMatch(/^a key of \d+ characters, more than 256: "/);
        expect(rejection.detail.length).toBeLessThan(150);
      }
      // A long string value is not a key; it is a bad value, and its detail is short.
      const result = parseRoomy(`{"ts":${now},"values":{"kW":"${'x'.repeat(500_000)}"}}`);
      expect(result.rejections).toEqual([expect.objectContaining({ reason: 'bad-value', point: 'kW' })]);
      expect(result.rejections[0].detail.length).toBeLessThan(200);
      // The longest key allowed is read as usual.
      const longest = 'k'.repeat(256);
      expect(parseRoomy(`{"ts":${now},"values":{"${longest}":1}}`).readings.map((reading) => reading.point)).toEqual([longest]);
    });

    it('keeps NUL out of every detail and names unicode keys and values without breaking them', () => {
      const result = parseRoomy(
        `{"ts":${now},"values":{"k\\u0000W":1,"溫度":2,"🔥":3,"\\ud800":4,"kW":"a\\u0000b","kVAR":"🔥\\ud800","ok":5}}`,
      );
      expect(result.readings.map((reading) => reading.point)).toEqual(['ok']);
      expect(result.rejections.map((rejection) => [rejection.reason, rejection.detail])).toEqual([
        ['bad-shape', 'point key "k\\u0000W" is not [A-Za-z0-9_.-]+'],
        ['bad-shape', 'point key "溫度" is not [A-Za-z0-9_.-]+'],
        ['bad-shape', 'point key "🔥" is not [A-Za-z0-9_.-]+'],
        ['bad-shape', 'point key "\\ud800" is not [A-Za-z0-9_.-]+'],
        ['bad-value', 'kW: "a\\u0000b" is not a number (0 or 1e-300 to 1e300 in size) or boolean'],
        ['bad-value', 'kVAR: "🔥\\ud800" is not a number (0 or 1e-300 to 1e300 in size) or boolean'],
      ]);
      for (const { detail } of result.rejections) expect(detail).not.toContain('\u0000');
      // A raw NUL byte in the text is bad JSON, and the detail quotes it escaped.
      const raw = only(`{"ts":${now},"values":{"kW":1}}\u0000`);
      expect(raw.reason).toBe('bad-json');
      expect(raw.detail).not.toContain('\u0000');
    });

    it('cuts a long rendering at a character, not inside a surrogate pair', () => {
      const result = parseRoomy(`{"ts":${now},"values":{"kW":"${'🔥'.repeat(200)}"}}`);
      const [{ detail }] = result.rejections;
      expect(detail).toMatch(/^kW: "(🔥)+… is not a number/);
      expect(detail).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    });
  });
});
