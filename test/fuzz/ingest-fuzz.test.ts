import fc from 'fast-check';
import { connectAsync, MqttClient } from 'mqtt';
import { REJECT_REASONS } from '@hallwatch/readings';
import { StandaloneModule } from '@hallwatch/standalone';
import {
  createServerDatabase,
  dropServerDatabase,
  eventually,
  isolatedEnv,
  RunningApp,
  startApp,
  startMosquitto,
  TestBroker,
  testSite,
} from '@hallwatch/testing';

const SITE = 'fuzz-hall';
const SEED = 20251122;
const MESSAGES = 2000;
const MAX_PAYLOAD_BYTES = 16_384;
/** Readings are stamped BASE + 1 s per message (+ 1 ms per entry), so no two valid ones share a point and time. */
const BASE = Date.now() - 2 * 86_400_000;

const POINTS: Record<string, Array<{ key: string; status?: boolean }>> = {
  'main-incomer': [{ key: 'kW' }, { key: 'kWh' }],
  'chiller-1': [{ key: 'chwsT' }, { key: 'running', status: true }],
};
type Asset = keyof typeof POINTS;

/** A message to publish and what ingest must make of it. */
interface DeadLetterView {
  reason: string;
  detail?: string;
  topic?: string;
  payload: string;
  payloadTruncated: boolean;
  source: string;
  count: number;
}

interface Sent {
  kind: string;
  topic: string;
  payload: Buffer;
  stored: number;
  duplicate: number;
  rejected: Partial<Record<string, number>>;
}

/** What the generator decides before the message's index (and so its timestamps) is known. */
type Plan = (index: number, prefix: string, earlier: readonly Sent[]) => Sent;

const VALUE = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: -1e12, max: 1e12 }).map((milli) => milli / 1000 + 0) },
  { weight: 1, arbitrary: fc.constantFrom(0, 1e300, -1e300, 1e-300, Number.MAX_SAFE_INTEGER) },
);
const ENTRY = fc.record({
  asset: fc.constantFrom<Asset>('main-incomer', 'chiller-1'),
  picks: fc.array(fc.tuple(fc.boolean(), VALUE, fc.boolean()), { minLength: 2, maxLength: 2 }),
  iso: fc.boolean(),
  count: fc.integer({ min: 1, max: 3 }),
  asArray: fc.boolean(),
});
type Entry = typeof ENTRY extends fc.Arbitrary<infer T> ? T : never;

/** A valid message as text parts, so single values can be swapped for bad ones. */
function validParts(entry: Entry, index: number) {
  const points = POINTS[entry.asset];
  const entries = Array.from({ length: entry.count }, (_, j) => {
    const ts = BASE + index * 1000 + j;
    const values = points
      .map((point, k) => ({ point, pick: entry.picks[k] }))
      .filter(({ pick }, k) => pick[0] || k === 0)
      .map(({ point, pick }) => ({ key: point.key, json: point.status && pick[2] ? String(pick[1] > 0) : JSON.stringify(pick[1]) }));
    return { ts: entry.iso ? JSON.stringify(new Date(ts).toISOString()) : String(ts), values };
  });
  return { asset: entry.asset, entries, asArray: entry.asArray || entries.length > 1 };
}
type Parts = ReturnType<typeof validParts>;

function text(parts: Parts): string {
  const entries = parts.entries.map(
    (entry) => `{"ts":${entry.ts},"values":{${entry.values.map((value) => `${JSON.stringify(value.key)}:${value.json}`).join(',')}}}`,
  );
  return parts.asArray ? `[${entries.join(',')}]` : entries[0];
}

const valueCount = (parts: Parts) => parts.entries.reduce((sum, entry) => sum + entry.values.length, 0);
const sent = (kind: string, topic: string, payload: string | Buffer, stored: number, rejected: Sent['rejected'] = {}): Sent => ({
  kind,
  topic,
  payload: Buffer.isBuffer(payload) ? payload : Buffer.from(payload),
  stored,
  duplicate: 0,
  rejected,
});

const BAD_VALUES = [
  // finite, but a float8 rollup of them overflows or underflows (5e-324 once stopped the batch writer)
  '5e-324',
  '1e308',
  '"NaN"',
  '"Infinity"',
  'null',
  '"12"',
  '{}',
  '[]',
  '1e400',
  '-1e400',
  '{"__proto__":{"polluted":1}}',
  '"溫度"',
  '[[[[[[[[[[1]]]]]]]]]]',
];
const BAD_TIMESTAMPS: Array<[string, string]> = [
  ['"yesterday"', 'bad-timestamp'],
  ['1.5', 'bad-timestamp'],
  ['"2025-11-22T10:00:00"', 'bad-timestamp'],
  ['"2025-13-45T10:00:00Z"', 'bad-timestamp'],
  ['true', 'bad-timestamp'],
  ['1e300', 'timestamp-out-of-range'],
  ['8640000000000001', 'timestamp-out-of-range'],
  ['0', 'timestamp-out-of-range'],
  [String(Date.now() + 86_400_000), 'timestamp-out-of-range'],
];
const BAD_SHAPES: Array<[string, number]> = [
  ['[]', 1],
  ['42', 1],
  ['null', 1],
  ['"kW"', 1],
  ['{"ts":1}', 1],
  ['{"values":3}', 1],
  ['[1,2]', 2],
  ['{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}', 1],
];
/** Nesting that once made the parser throw and ingest exit: refused whole, before it is parsed. */
const TOO_DEEP = [
  '['.repeat(5000) + ']'.repeat(5000),
  `{"values":{"kW":${'['.repeat(4500)}${']'.repeat(4500)}}}`,
  `{"ts":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)},"values":{"kW":1}}`,
];

const plans: fc.Arbitrary<Plan> = fc.oneof(
  {
    weight: 10,
    arbitrary: ENTRY.map<Plan>((entry) => (i, prefix) => {
      const parts = validParts(entry, i);
      return sent('valid', `${prefix}/${SITE}/${parts.asset}`, text(parts), valueCount(parts));
    }),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(ENTRY, fc.constantFrom(...BAD_VALUES)).map<Plan>(([entry, bad]) => (i, prefix) => {
      const parts = validParts(entry, i);
      parts.entries[0].values[0].json = bad;
      return sent('bad value', `${prefix}/${SITE}/${parts.asset}`, text(parts), valueCount(parts) - 1, { 'bad-value': 1 });
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .tuple(ENTRY, fc.constantFrom('reactive', '__proto__', 'constructor', 'toString', 'kw'), fc.constantFrom('k W', '溫度', 'a/b', ''))
      .map<Plan>(([entry, unknown, badKey]) => (i, prefix) => {
        const parts = validParts(entry, i);
        parts.entries[0].values.push({ key: unknown, json: '1' }, { key: badKey, json: '2' });
        return sent('bad point', `${prefix}/${SITE}/${parts.asset}`, text(parts), valueCount(parts) - 2, {
          'unknown-point': 1,
          'bad-shape': 1,
        });
      }),
  },
  {
    weight: 2,
    arbitrary: fc.tuple(ENTRY, fc.constantFrom(...BAD_TIMESTAMPS)).map<Plan>(([entry, [ts, reason]]) => (i, prefix) => {
      const parts = validParts(entry, i);
      const lost = parts.entries[0].values.length;
      parts.entries[0].ts = ts;
      return sent('bad timestamp', `${prefix}/${SITE}/${parts.asset}`, text(parts), valueCount(parts) - lost, { [reason]: 1 });
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom(...BAD_SHAPES).map<Plan>(
      ([payload, count]) =>
        (_, prefix) =>
          sent('bad shape', `${prefix}/${SITE}/main-incomer`, payload, 0, { 'bad-shape': count }),
    ),
  },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...TOO_DEEP)
      .map<Plan>((payload) => (_, prefix) => sent('too deep', `${prefix}/${SITE}/main-incomer`, payload, 0, { 'too-deep': 1 })),
  },
  {
    weight: 2,
    arbitrary: fc
      .oneof(
        fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.concat([Buffer.from('#'), bytes])),
        fc.tuple(ENTRY, fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })).map(([entry, cut]) => {
          const whole = text(validParts(entry, 0));
          return Buffer.from(whole.slice(0, Math.floor(cut * whole.length)));
        }),
      )
      .map<Plan>((payload) => (_, prefix) => sent('garbage', `${prefix}/${SITE}/main-incomer`, payload, 0, { 'bad-json': 1 })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(ENTRY, fc.constantFrom(`Fuzz_Hall/main-incomer`, `${SITE}/Main`, '大樓/main-incomer', `/main-incomer`, `${SITE}/`))
      .map<Plan>(
        ([entry, rest]) =>
          (i, prefix) =>
            sent('bad topic', `${prefix}/${rest}`, text(validParts(entry, i)), 0, { 'bad-topic': 1 }),
      ),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(ENTRY, fc.boolean()).map<Plan>(([entry, site]) => (i, prefix) => {
      const parts = validParts(entry, i);
      const topic = site ? `${prefix}/no-such-hall/${parts.asset}` : `${prefix}/${SITE}/no-such-asset`;
      return sent('unknown', topic, text(parts), 0, { [site ? 'unknown-site' : 'unknown-asset']: valueCount(parts) });
    }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: MAX_PAYLOAD_BYTES + 1, max: MAX_PAYLOAD_BYTES * 2 }).map<Plan>((size) => (_, prefix) => {
      const payload = `{"values":{"kW":1},"pad":"${'x'.repeat(size)}"}`;
      return sent('too large', `${prefix}/${SITE}/main-incomer`, payload, 0, { 'payload-too-large': 1 });
    }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(fc.nat(), ENTRY).map<Plan>(([pick, entry]) => (i, prefix, earlier) => {
      const valid = earlier.filter((message) => message.kind === 'valid');
      if (valid.length === 0) {
        const parts = validParts(entry, i);
        return sent('valid', `${prefix}/${SITE}/${parts.asset}`, text(parts), valueCount(parts));
      }
      const original = valid[pick % valid.length];
      return { ...original, kind: 'duplicate', stored: 0, duplicate: original.stored };
    }),
  },
);

/** The seeded mix: the same messages on every run. */
function generate(prefix: string): Sent[] {
  const messages: Sent[] = [];
  fc.sample(plans, { seed: SEED, numRuns: MESSAGES }).forEach((plan, i) => messages.push(plan(i, prefix, messages)));
  return messages;
}

function sum(messages: readonly Sent[]) {
  const rejected: Record<string, number> = {};
  for (const message of messages) {
    for (const [reason, count] of Object.entries(message.rejected)) rejected[reason] = (rejected[reason] ?? 0) + (count ?? 0);
  }
  const stored = messages.reduce((total, message) => total + message.stored, 0);
  const duplicate = messages.reduce((total, message) => total + message.duplicate, 0);
  const rejectedTotal = Object.values(rejected).reduce((total, count) => total + count, 0);
  return { stored, duplicate, rejected, received: stored + duplicate + rejectedTotal };
}

describe('ingest under a fuzzed mix of valid, mutated and garbage MQTT messages', () => {
  let env: Record<string, string>;
  let running: RunningApp;
  let device: MqttClient;
  let databaseUrl: string;
  let broker: TestBroker;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => crashes.push(error);

  const get = async <T>(path: string, token: string | null = env.HALLWATCH_API_TOKEN): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${running.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    process.on('unhandledRejection', onCrash);
    process.on('uncaughtException', onCrash);
    databaseUrl = await createServerDatabase();
    // A broker of the project's configuration (deploy/mosquitto): the machine's stock one drops a
    // subscriber's messages past 1,000 queued, which a burst of 2,000 reaches on a busy machine.
    broker = await startMosquitto({ persistence: false });
    env = isolatedEnv([testSite(SITE)], {
      DATABASE_URL: databaseUrl,
      MQTT_URL: broker.url,
      INGEST_MAX_PAYLOAD_BYTES: String(MAX_PAYLOAD_BYTES),
    });
    running = await startApp(StandaloneModule, env);
    device = await connectAsync(broker.url, { clientId: `${env.MQTT_CLIENT_ID}-fuzzer` });
  });

  afterAll(async () => {
    await device?.endAsync();
    await running?.close();
    await broker?.stop();
    if (databaseUrl) await dropServerDatabase(databaseUrl);
    process.off('unhandledRejection', onCrash);
    process.off('uncaughtException', onCrash);
  });

  it('counts, keeps and explains every message, stores exactly the valid readings, and stays healthy', async () => {
    const messages = generate(env.MQTT_TOPIC_PREFIX);
    const want = sum(messages);
    const source = `mqtt:${env.MQTT_TOPIC_PREFIX}`;
    // Every kind of input is in the mix, and each reason stays under the dead-letter API's page of 1,000.
    expect(new Set(messages.map((message) => message.kind)).size).toBe(11);
    expect(Math.max(...Object.values(want.rejected))).toBeLessThan(1000);

    for (let i = 0; i < messages.length; i += 100) {
      await Promise.all(messages.slice(i, i + 100).map((message) => device.publishAsync(message.topic, message.payload, { qos: 1 })));
    }

    // The ledger adds up for the source, to the count the generator expects.
    const counts = await eventually(
      async () => {
        const { body } = await get<Array<{ source: string; counts: Record<string, number> }>>('/api/v1/ingest/ledger');
        const current = body.find((entry) => entry.source === source)?.counts ?? {};
        expect(current.received).toBe(want.received);
        return current;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
    const rejectedCounts = Object.fromEntries(
      Object.entries(counts)
        .filter(([outcome]) => outcome.startsWith('rejected:'))
        .map(([outcome, count]) => [outcome.slice('rejected:'.length), count]),
    );
    expect(rejectedCounts).toEqual(want.rejected);
    expect(counts.stored).toBe(want.stored);
    expect(counts.duplicate ?? 0).toBe(want.duplicate);
    const rejectedTotal = Object.values(rejectedCounts).reduce((total, count) => total + count, 0);
    expect(counts.received).toBe(counts.stored + (counts.duplicate ?? 0) + rejectedTotal);

    // Every rejection is in a dead letter (repeats of a topic share one, with a count) with its reason, a detail, the topic
    // and the payload as published (its first DEAD_LETTER_MAX_PAYLOAD_BYTES).
    const published = new Map(messages.map((message) => [`${message.topic}\u0000${message.payload.toString('utf8')}`, message]));
    const binary = new Set(messages.map((message) => `${message.topic}\u0000base64:${message.payload.toString('base64')}`));
    for (const reason of REJECT_REASONS) {
      const { status, body } = await get<{ items: DeadLetterView[] }>(`/api/v1/ingest/dead-letters?reason=${reason}&limit=1000`);
      expect(status).toBe(200);
      const letters = body.items.filter((letter) => letter.source === source);
      expect(letters.reduce((total, letter) => total + letter.count, 0)).toBe(want.rejected[reason] ?? 0);
      for (const letter of letters) {
        expect(letter.detail).toEqual(expect.any(String));
        expect(letter.detail).not.toBe('');
        const key = `${letter.topic}\u0000${letter.payload}`;
        if (letter.payloadTruncated) expect([...published.keys(), ...binary].some((sent) => sent.startsWith(key))).toBe(true);
        else expect(published.has(key) || binary.has(key)).toBe(true);
      }
    }

    // The stored readings, read back through the API, are exactly as many as the valid values sent.
    let readBack = 0;
    for (const [asset, points] of Object.entries(POINTS)) {
      for (const point of points) {
        const { body } = await get<{ readings: unknown[]; truncated: boolean }>(
          `/api/v1/sites/${SITE}/assets/${asset}/points/${point.key}/readings?bucket=raw&from=${BASE - 1}&to=${BASE + MESSAGES * 1000}&limit=100000`,
        );
        expect(body.truncated).toBe(false);
        readBack += body.readings.length;
      }
    }
    expect(readBack).toBe(want.stored);

    // Still healthy, still ingesting, nothing thrown out of the process.
    expect((await get<{ status: string }>('/health', null)).body.status).toBe('ok');
    const ts = Date.now();
    await device.publishAsync(`${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`, JSON.stringify({ ts, values: { kW: 42 } }), { qos: 1 });
    await eventually(async () => {
      const { body } = await get<{ readings: Array<{ value: number }> }>(
        `/api/v1/sites/${SITE}/assets/main-incomer/points/kW/readings?bucket=raw&from=${ts}&to=${ts + 1}`,
      );
      expect(body.readings).toEqual([expect.objectContaining({ value: 42 })]);
    });
    expect(crashes).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();

    const byReason = Object.fromEntries(Object.entries(want.rejected).sort(([a], [b]) => a.localeCompare(b)));
    process.stdout.write(
      `fuzz: tried ${messages.length} messages, accepted ${want.stored} readings (+${want.duplicate} duplicates), rejected by reason ${JSON.stringify(byReason)}, crashes ${crashes.length}\n`,
    );
  }, 180_000);
});
