/**
 * Capacity of one ingest instance for a portfolio: the simulator's generated city halls publish at
 * their reporting interval into a Mosquitto of the benchmark's own, a built ingest process stores
 * them in the local PostgreSQL, and every few seconds the benchmark reads what was published,
 * what ingest stored and its backlog. Ingest keeps up when stored follows published and the
 * backlog stays flat. The figures feed docs/capacity-plan.md.
 * Run: npm run build && npx tsx --tsconfig tsconfig.json bench/portfolio-capacity.bench.ts [--buildings 50] [--points 2000] [--interval 10] [--seconds 60]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePortfolio, startSimulator, writeRegistry } from '@hallwatch/simulators';
import { createTestDatabase, freePort, isolatedEnv, startMosquitto, startProcess } from '@hallwatch/testing';

const { values: args } = parseArgs({
  options: {
    buildings: { type: 'string', default: '50' },
    points: { type: 'string', default: '2000' },
    interval: { type: 'string', default: '10' },
    seconds: { type: 'string', default: '60' },
  },
});
const BUILDINGS = Number(args.buildings);
const POINTS = Number(args.points);
const INTERVAL_S = Number(args.interval);
const SECONDS = Number(args.seconds);

const metric = (text: string, name: string, label = '') =>
  [...text.matchAll(new RegExp(`^${name}${label ? `\\{[^}]*${label}[^}]*\\}` : '(\\{[^}]*\\})?'} ([0-9.e+]+)$`, 'gm'))].reduce(
    (sum, m) => sum + Number(m.at(-1)),
    0,
  );

async function main(): Promise<void> {
  const registry = generatePortfolio({ buildings: BUILDINGS, pointsPerBuilding: POINTS, seed: 104 });
  const registryDir = mkdtempSync(join(tmpdir(), 'hallwatch-portfolio-'));
  writeRegistry(registryDir, registry);
  const points = registry.sites.reduce(
    (sum, site) => sum + site.assets.reduce((n, asset) => n + asset.points.filter((p) => !p.expression).length, 0),
    0,
  );
  const target = Math.round(points / INTERVAL_S);
  console.log(`portfolio: ${registry.sites.length} buildings, ${points} measured points every ${INTERVAL_S} s = ${target} readings/s`);

  const broker = await startMosquitto();
  const testDb = await createTestDatabase('postgres');
  const env = isolatedEnv([], {
    HALLWATCH_APP: 'ingest',
    PORT: String(await freePort()),
    DATABASE_URL: testDb.url!,
    MQTT_URL: broker.url,
    REGISTRY_DIR: registryDir,
    LOG_LEVEL: 'warn',
  });
  const started = Date.now();
  const ingest = startProcess('ingest', env);
  for (;;) {
    if (
      await fetch(`http://127.0.0.1:${env.PORT}/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(`ingest ready in ${((Date.now() - started) / 1000).toFixed(1)} s (registry of ${points} points applied)`);
  const metrics = () =>
    fetch(`http://127.0.0.1:${env.PORT}/metrics`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } }).then((r) =>
      r.text(),
    );

  const simulator = await startSimulator({
    mqttUrl: broker.url,
    sites: registry.sites,
    rate: target,
    topicPrefix: env.MQTT_TOPIC_PREFIX,
    seed: 104,
  });
  const rows: Array<Record<string, number>> = [];
  const t0 = Date.now();
  let cpuBefore = 0;
  while (Date.now() - t0 < SECONDS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 10_000));
    const text = await metrics();
    const cpu = metric(text, 'hallwatch_process_process_cpu_seconds_total');
    const stats = simulator.stats();
    rows.push({
      second: Math.round((Date.now() - t0) / 1000),
      publishedReadings: stats.readingsAcknowledged,
      storedReadings: metric(text, 'hallwatch_ingest_readings_total', 'outcome="stored"'),
      backlogReadings: metric(text, 'hallwatch_ingest_pending_readings'),
      ingestCpuPercent: Math.round(((cpu - cpuBefore) / 10) * 100),
      ingestRssMB: Math.round(metric(text, 'hallwatch_process_process_resident_memory_bytes') / 1024 / 1024),
    });
    cpuBefore = cpu;
  }
  await simulator.stop();
  console.table(rows);
  const last = rows.at(-1)!;
  const elapsed = last.second;
  console.log(
    `published ${Math.round(last.publishedReadings / elapsed)}/s, stored ${Math.round(last.storedReadings / elapsed)}/s, ` +
      `stored/published ${(last.storedReadings / Math.max(1, last.publishedReadings)).toFixed(2)}, backlog at the end ${last.backlogReadings}`,
  );
  await ingest.stop();
  await testDb.drop();
  await broker.stop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
