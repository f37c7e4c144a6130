/**
 * Ingest throughput, against the physical limits measured in the same run:
 *   - the broker: QoS 1 messages from a publisher to a plain subscriber;
 *   - the database: COPY of the same readings into the same table;
 *   - ingest: readings from MQTT until stored, in batched messages and in single-reading messages.
 * Run: npm run build && npx tsx bench/ingest-throughput.bench.ts [--readings 200000] [--batch 100] [--profile DIR]
 * --profile writes a V8 CPU profile of the ingest process to DIR (summarise it with bench/profile-summary.ts).
 * Uses the local PostgreSQL and Redis, and a Mosquitto of its own with deploy/mosquitto/mosquitto.conf.
 */
import { parseArgs } from 'node:util';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { connectAsync, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { RegistryRepository } from '@hallwatch/registry';
import { createTestDatabase, freePort, isolatedEnv, startMosquitto, startProcess } from '@hallwatch/testing';
import { benchSite } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    readings: { type: 'string', default: '200000' },
    batch: { type: 'string', default: '100' },
    points: { type: 'string', default: '1000' },
    profile: { type: 'string' },
  },
});
const READINGS = Number(args.readings);
const BATCH = Number(args.batch);
const POINTS = Number(args.points);
const SITE = 'bench-hall';
const ASSETS = Math.ceil(POINTS / 100);

const site = benchSite(
  Array.from({ length: ASSETS }, (_, a) => Math.min(100, POINTS - a * 100)),
  SITE,
);

const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);
const t0 = Date.parse('2025-01-01T00:00:00+08:00');

/** Reading i: point i % POINTS, one second apart per round over all points. */
function messages(total: number, perMessage: number, offset: number): Array<{ topic: string; payload: string }> {
  const out: Array<{ topic: string; payload: string }> = [];
  for (let start = 0; start < total; start += perMessage) {
    const asset = Math.floor(((start + offset) % POINTS) / 100);
    const entries: Array<{ ts: number; values: Record<string, number> }> = [];
    for (let i = start; i < Math.min(total, start + perMessage); i++) {
      const n = i + offset;
      const point = n % POINTS;
      if (Math.floor(point / 100) !== asset) continue;
      entries.push({ ts: t0 + Math.floor(n / POINTS) * 1000, values: { [`p${point % 100}`]: n } });
    }
    out.push({ topic: `${SITE}/meter-${asset}`, payload: JSON.stringify(entries.length === 1 ? entries[0] : entries) });
  }
  return out;
}

async function publishAll(client: MqttClient, prefix: string, batch: Array<{ topic: string; payload: string }>): Promise<void> {
  const window = 500;
  for (let i = 0; i < batch.length; i += window) {
    await Promise.all(
      batch.slice(i, i + window).map((message) => client.publishAsync(`${prefix}/${message.topic}`, message.payload, { qos: 1 })),
    );
  }
}

async function brokerRate(url: string, count: number): Promise<number> {
  const subscriber = await connectAsync(url, { clientId: 'bench-sub', clean: true });
  const publisher = await connectAsync(url, { clientId: 'bench-pub' });
  await subscriber.subscribeAsync('bench/raw/#', { qos: 1 });
  let received = 0;
  const done = new Promise<void>((resolve) => subscriber.on('message', () => ++received === count && resolve()));
  const start = Date.now();
  await publishAll(
    publisher,
    'bench/raw',
    Array.from({ length: count }, (_, i) => ({ topic: 'x', payload: JSON.stringify({ ts: i, values: { kW: i } }) })),
  );
  await done;
  const ms = Date.now() - start;
  await subscriber.endAsync();
  await publisher.endAsync();
  return rate(count, ms);
}

async function copyRate(url: string, pointIds: number[], count: number): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  await client.query('create table copy_target (like readings including all)');
  const rows = Readable.from(
    (function* () {
      for (let i = 0; i < count; i++)
        yield `${pointIds[i % pointIds.length]}\t${new Date(t0 + Math.floor(i / pointIds.length) * 1000).toISOString()}\t${i}\t0\n`;
    })(),
  );
  const start = Date.now();
  await pipeline(rows, client.query(copyFrom('copy copy_target (point_id, ts, value, flags) from stdin')));
  const ms = Date.now() - start;
  await client.query('drop table copy_target');
  await client.end();
  return rate(count, ms);
}

async function ingestRate(
  env: Record<string, string>,
  db: { query: (sql: string) => Promise<Array<{ count: number }>> },
  perMessage: number,
  count: number,
  offset: number,
): Promise<number> {
  const publisher = await connectAsync(env.MQTT_URL, { clientId: `bench-device-${perMessage}` });
  const batch = messages(count, perMessage, offset);
  const [{ count: before }] = await db.query('select count(*)::int as count from readings');
  const start = Date.now();
  await publishAll(publisher, env.MQTT_TOPIC_PREFIX, batch);
  for (;;) {
    const [{ count: now }] = await db.query('select count(*)::int as count from readings');
    if (now - before >= count) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ms = Date.now() - start;
  await publisher.endAsync();
  return rate(count, ms);
}

async function main(): Promise<void> {
  const broker = await startMosquitto();
  const testDb = await createTestDatabase('postgres');
  const registry = new RegistryRepository(testDb.db);
  await registry.applySites([site], 'registry');
  const pointIds = (await registry.allPointAddresses()).map((address) => address.pointId);
  const env = isolatedEnv([site], {
    HALLWATCH_APP: 'ingest',
    PORT: String(await freePort()),
    DATABASE_URL: testDb.url!,
    MQTT_URL: broker.url,
    LOG_LEVEL: 'warn',
  });
  const ingest = startProcess('ingest', env, args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []);
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${env.PORT}/health`)
      .then((r) => r.ok)
      .catch(() => false);
    if (ok) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const single = Math.min(READINGS, 50_000);
  const results = {
    brokerQos1MessagesPerSecond: await brokerRate(broker.url, single),
    copyReadingsPerSecond: await copyRate(testDb.url!, pointIds, READINGS),
    ingestBatchedReadingsPerSecond: await ingestRate(env, testDb.db, BATCH, READINGS, 0),
    ingestSingleReadingsPerSecond: await ingestRate(env, testDb.db, 1, single, READINGS),
  };
  const rss = await fetch(`http://127.0.0.1:${env.PORT}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } })
    .then((r) => r.text())
    .then((text) => Number(/hallwatch_process_process_resident_memory_bytes (\d+)/.exec(text)?.[1] ?? 0));
  console.log(`readings ${READINGS}, ${BATCH} per batched message, ${POINTS} points`);
  console.table({
    'broker, QoS 1 messages/s to a plain subscriber': results.brokerQos1MessagesPerSecond,
    'database, COPY readings/s into readings': results.copyReadingsPerSecond,
    [`ingest, readings/s in messages of ${BATCH}`]: results.ingestBatchedReadingsPerSecond,
    'ingest, readings/s in single-reading messages': results.ingestSingleReadingsPerSecond,
  });
  console.log(`batched ingest / COPY: ${(results.ingestBatchedReadingsPerSecond / results.copyReadingsPerSecond).toFixed(2)}`);
  console.log(
    `single-reading ingest / broker QoS 1: ${(results.ingestSingleReadingsPerSecond / results.brokerQos1MessagesPerSecond).toFixed(2)}`,
  );
  console.log(`ingest resident memory after the run: ${Math.round(rss / 1024 / 1024)} MB`);
  await ingest.stop();
  await testDb.drop();
  await broker.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
