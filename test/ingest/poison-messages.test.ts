import { randomBytes } from 'node:crypto';
import { connectAsync, MqttClient } from 'mqtt';
import { encodePayload } from 'sparkplug-payload/lib/sparkplugbpayload';
import { RegistryRepository } from '@hallwatch/registry';
import {
  AppProcess,
  createTestDatabase,
  eventually,
  freePort,
  isolatedEnv,
  startProcess,
  testSite,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * Poison messages against a built ingest process on the real Mosquitto and PostgreSQL: a message
 * nested thousands of levels deep used to make the native parser throw, the process exit without
 * acknowledging it, and every restart receive it again and exit again. A Sparkplug B frame of
 * templates nested a few dozen levels deep kept the decoder busy for ever. Each must become a dead
 * letter, be acknowledged, and leave ingest storing the next good reading.
 */
const SITE = `poison-${randomBytes(3).toString('hex')}`;

/** `{"ts":...,"values":{"kW":[[[...]]]}}`, 9-12 KB as in the report, and deeper. */
const deepValue = (depth: number, ts: number) => `{"ts":${ts},"values":{"kW":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
const deepTs = (depth: number) => `{"ts":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)},"values":{"kW":1}}`;

/** Protobuf by hand: a metric `deep` whose template holds a metric whose template holds ... (`depth` templates). */
function nestedTemplates(depth: number): Buffer {
  const varint = (n: number) => {
    const bytes: number[] = [];
    for (; n > 127; n >>>= 7) bytes.push((n & 127) | 128);
    bytes.push(n);
    return Buffer.from(bytes);
  };
  const field = (tag: number, body: Buffer) => Buffer.concat([varint(tag), varint(body.length), body]);
  // name "kW", datatype Double (10), double_value 1
  let metric = Buffer.concat([field(0x0a, Buffer.from('kW')), Buffer.from([0x20, 10, 0x69]), Buffer.alloc(8)]);
  for (let i = 0; i < depth; i++) {
    // Metric { datatype: Template (19), template_value (18): Template { metrics (2): [metric] } }
    metric = Buffer.concat([Buffer.from([0x20, 19]), field((18 << 3) | 2, field((2 << 3) | 2, metric))]);
  }
  return field((2 << 3) | 2, Buffer.concat([field(0x0a, Buffer.from('deep')), metric]));
}

/** Groups of an unknown field (wire types 3 and 4), 100,000 inside one another: recursion in protobufjs. */
const nestedGroups = (depth: number) => Buffer.concat([Buffer.alloc(depth, (6 << 3) | 3), Buffer.alloc(depth, (6 << 3) | 4)]);

describe('poison messages do not crash or stall ingest', () => {
  let testDb: TestDatabase;
  let env: Record<string, string>;
  let ingest: AppProcess;
  let device: MqttClient;
  let pointId: number;
  const exits: Array<number | null> = [];

  const topic = () => `${env.MQTT_TOPIC_PREFIX}/${SITE}/main-incomer`;
  const health = async () => (await fetch(`http://127.0.0.1:${env.PORT}/health`).catch(() => undefined))?.status;
  const startIngest = async () => {
    ingest = startProcess('ingest', env);
    ingest.child.once('exit', (code) => exits.push(code));
    await eventually(async () => expect(await health()).toBe(200), { timeoutMs: 30_000 });
  };
  const storedAt = async (ts: number) =>
    (await testDb.db.query<{ value: number }>('select value from readings where point_id = $1 and ts = $2', [pointId, new Date(ts)])).map(
      (row) => row.value,
    );
  const deadLetters = () =>
    testDb.db.query<{ reason: string; detail: string; source: string }>(// one row per rejection: repeats share a dead-letter row with a count
      'select reason, detail, source from dead_letters, generate_series(1, count) order by id');
  const alive = () => ingest.child.exitCode === null && ingest.child.signalCode === null;

  beforeAll(async () => {
    testDb = await createTestDatabase('postgres');
    const registry = new RegistryRepository(testDb.db);
    await registry.applySites([testSite(SITE)], 'registry');
    pointId = (await registry.findPointAddress(SITE, 'main-incomer', 'kW'))!.pointId;
    env = isolatedEnv([testSite(SITE)], {
      HALLWATCH_APP: 'ingest',
      PORT: String(await freePort()),
      DATABASE_URL: testDb.url!,
      SPARKPLUG: 'on',
      SPARKPLUG_GROUPS: SITE,
    });
    device = await connectAsync(env.MQTT_URL, { clientId: `${env.MQTT_CLIENT_ID}-device` });
    await startIngest();
  }, 60_000);

  afterAll(async () => {
    if (process.env.DEBUG_POISON) console.log(ingest?.output.join('').slice(-6000));
    await ingest?.stop('SIGKILL');
    await device?.endAsync();
    await testDb?.drop();
  });

  it('dead-letters deep nesting in a value and in ts, acknowledges it, and stores the next good reading', async () => {
    const good = Date.now() - 60_000;
    const poison = deepValue(5000, good - 1000);
    expect(poison.length).toBeGreaterThan(9_000);
    await device.publishAsync(topic(), poison, { qos: 1 });
    await device.publishAsync(topic(), deepTs(4500), { qos: 1 });
    await device.publishAsync(topic(), deepValue(100_000, good - 2000), { qos: 1 });
    await device.publishAsync(topic(), JSON.stringify({ ts: good, values: { kW: 42 } }), { qos: 1 });

    await eventually(async () => expect(await storedAt(good)).toEqual([42]), { timeoutMs: 30_000 });
    const letters = await eventually(async () => {
      const rows = await deadLetters();
      expect(rows).toHaveLength(3);
      return rows;
    });
    expect(letters.map((letter) => letter.reason)).toEqual(['too-deep', 'too-deep', 'too-deep']);
    expect(letters[0].detail).toMatch(/deeper than \d+ levels/);
    // Counted in the loss ledger: each poison message received once, rejected once.
    const ledger = await testDb.db.query<{ outcome: string; count: number }>(
      `select outcome, count::float8 as count from ingest_ledger where source = $1`,
      [`mqtt:${env.MQTT_TOPIC_PREFIX}`],
    );
    expect(Object.fromEntries(ledger.map((row) => [row.outcome, row.count]))).toMatchObject({
      received: 4,
      stored: 1,
      'rejected:too-deep': 3,
    });
    expect(alive()).toBe(true);
    expect(await health()).toBe(200);
  });

  it('dead-letters Sparkplug B frames of deeply nested templates and groups instead of decoding them for ever', async () => {
    const good = Date.now() - 30_000;
    await device.publishAsync(`spBv1.0/${SITE}/NDATA/main-incomer`, nestedTemplates(40), { qos: 1 });
    await device.publishAsync(`spBv1.0/${SITE}/NDATA/main-incomer`, nestedGroups(100_000), { qos: 1 });
    const birth = encodePayload({
      timestamp: good,
      seq: 0,
      metrics: [
        { name: 'bdSeq', type: 'UInt64', value: 0 },
        { name: 'kW', type: 'Double', value: 43 },
      ],
    });
    await device.publishAsync(`spBv1.0/${SITE}/NBIRTH/main-incomer`, Buffer.from(birth), { qos: 1 });

    await eventually(async () => expect(await storedAt(good)).toEqual([43]), { timeoutMs: 30_000 });
    await eventually(async () => {
      const sparkplug = (await deadLetters()).filter((letter) => letter.source.startsWith('sparkplug:'));
      // The template is not a number: its metric is refused; the groups are refused before any recursion.
      expect(sparkplug.map((letter) => letter.reason)).toEqual(['bad-value', 'too-deep']);
    });
    expect(alive()).toBe(true);
  });

  it('after a restart nothing is delivered again and the next good reading is stored', async () => {
    await ingest.stop('SIGTERM');
    await startIngest();
    const good = Date.now() - 10_000;
    await device.publishAsync(topic(), JSON.stringify({ ts: good, values: { kW: 44 } }), { qos: 1 });

    await eventually(async () => expect(await storedAt(good)).toEqual([44]), { timeoutMs: 30_000 });
    expect(alive()).toBe(true);
    // Only the SIGTERM above ended a process; the poison was acknowledged, so it came back to no one.
    expect(exits).toHaveLength(1);
    expect((await deadLetters()).map((letter) => letter.reason)).toEqual(['too-deep', 'too-deep', 'too-deep', 'bad-value', 'too-deep']);
  });
});
