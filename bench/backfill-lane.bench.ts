/**
 * The bulk lane against COPY, in one run (#19 item 7): the demo city hall's history at 15 minutes
 * (its main incomer, water, weather and PV points) loaded through BulkLoader (COPY into staging,
 * insert ... on conflict do nothing, ledger and invalidation log), against a bare COPY of the same
 * rows into a table like readings; and, while the bulk load runs, how long a live batch of one
 * reading a point (the normal ingest path, ReadingRepository.insertBatch) waits to be stored.
 *
 *   npx tsx --tsconfig tsconfig.json bench/backfill-lane.bench.ts --backend postgres --days 90
 *   npx tsx --tsconfig tsconfig.json bench/backfill-lane.bench.ts --backend embedded --days 90
 */
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { Database, migrate, PgDatabase, PgliteDatabase } from '@hallwatch/db';
import { Reading } from '@hallwatch/domain';
import { BulkLoader, ReadingRepository } from '@hallwatch/readings';
import { loadRegistryFile, RegistryRepository } from '@hallwatch/registry';
import { demoHistory, historySchedule } from '@hallwatch/simulators';
import { createServerDatabase, dropServerDatabase } from '@hallwatch/testing';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'embedded' }, days: { type: 'string', default: '90' } },
});
const [site] = loadRegistryFile(join(__dirname, '../registry/demo-city-hall.yaml')).sites;
const rate = (count: number, ms: number) => Math.round((count / Math.max(1, ms)) * 1000);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

async function copyRate(db: Database, url: string | undefined, readings: Reading[]): Promise<number> {
  const rows = readings.map((r) => `${r.pointId}\t${new Date(r.ts).toISOString()}\t${r.value}\t${r.flags}\n`).join('');
  await db.exec('drop table if exists copy_target; create table copy_target (like readings including all)');
  const start = Date.now();
  if (url) {
    const client = new Client({ connectionString: url });
    await client.connect();
    await pipeline(Readable.from([rows]), client.query(copyFrom('copy copy_target (point_id, ts, value, flags) from stdin')));
    await client.end();
  } else {
    await (db as PgliteDatabase).client.query(`copy copy_target (point_id, ts, value, flags) from '/dev/blob'`, [], {
      blob: new Blob([rows]),
    });
  }
  const ms = Date.now() - start;
  await db.exec('drop table copy_target');
  return rate(readings.length, ms);
}

async function main(): Promise<void> {
  const url = args.backend === 'postgres' ? await createServerDatabase() : undefined;
  const db: Database = url ? new PgDatabase(url, 4) : await PgliteDatabase.open();
  await migrate(db);
  await new RegistryRepository(db).applySites([site], 'registry');
  const ids = new Map(
    (await new RegistryRepository(db).allPointAddresses()).map((address) => [`${address.asset}/${address.point}`, address.pointId]),
  );
  const to = Date.now() - 3_600_000;
  const from = to - Number(args.days) * 86_400_000;
  const ticks = historySchedule(from, to).filter((ts) => ts >= from);
  const quarterTicks: number[] = [];
  for (let ts = Math.ceil(from / 900_000) * 900_000; ts < to; ts += 900_000) quarterTicks.push(ts);
  const history = await demoHistory(site, { seed: 104, from, to, ticks: quarterTicks.length ? quarterTicks : ticks });
  const readings: Reading[] = [];
  for (const tick of history)
    for (const [asset, values] of tick.values)
      for (const [point, value] of Object.entries(values)) {
        const pointId = ids.get(`${asset}/${point}`);
        if (pointId !== undefined) readings.push({ pointId, ts: tick.ts, value, flags: 0 });
      }
  const copy = await copyRate(db, url, readings);

  // Live: one reading of each live point every 50 ms through the normal path while the bulk load runs.
  const repo = new ReadingRepository(db, db);
  const livePoints = [...ids.values()].slice(0, 20);
  const waits: number[] = [];
  let loading = true;
  const live = (async () => {
    let ts = Date.now();
    while (loading) {
      ts += 1;
      const batch = livePoints.map((pointId) => ({ pointId, ts, value: 1, flags: 0 }));
      const start = Date.now();
      await repo.insertBatch(batch);
      waits.push(Date.now() - start);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  const loader = new BulkLoader(db, url);
  const result = await loader.load(readings, 'bench-bulk');
  loading = false;
  await live;
  await loader.close();
  waits.sort((a, b) => a - b);
  console.log(`${args.backend}: ${readings.length} readings of the demo city hall's history (${args.days} days at 15 minutes)`);
  console.table({
    'COPY into a table like readings, readings/s': copy,
    'bulk lane (staging + insert, ledger, invalidations), readings/s': result.readingsPerSecond,
    'live batches stored during the load': waits.length,
    'live batch store time p50 ms': percentile(waits, 50),
    'live batch store time p99 ms': percentile(waits, 99),
    'live batch store time max ms': waits.at(-1),
  });
  console.log(`bulk / COPY: ${(result.readingsPerSecond / copy).toFixed(2)}`);
  await db.close();
  if (url) await dropServerDatabase(url);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
