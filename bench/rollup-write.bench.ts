/**
 * The cost of storing a batch with its rollups, straight to the database (no broker, no ingest
 * process): readings/s for batches like ingest writes them, against COPY of the same rows.
 * Run: npx tsx --tsconfig tsconfig.json bench/rollup-write.bench.ts [--points 1000] [--batch 5000] [--batches 20]
 */
import { parseArgs } from 'node:util';
import { ReadingRepository } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { createTestDatabase } from '@hallwatch/testing';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '1000' },
    batch: { type: 'string', default: '5000' },
    batches: { type: 'string', default: '20' },
  },
});
const POINTS = Number(args.points);
const BATCH = Number(args.batch);
const BATCHES = Number(args.batches);
const t0 = Date.parse('2025-01-01T00:00:00+08:00');

async function main(): Promise<void> {
  const testDb = await createTestDatabase('postgres');
  const site: SiteDefinition = {
    key: 'rollup-bench',
    name: 'Rollup bench',
    timezone: 'Asia/Taipei',
    attributes: {},
    opcua: [],
    assets: Array.from({ length: Math.ceil(POINTS / 100) }, (_, a) => ({
      key: `meter-${a}`,
      name: `Meter ${a}`,
      type: 'electricity-meter',
      tags: [],
      attributes: {},
      points: Array.from({ length: Math.min(100, POINTS - a * 100) }, (_, p) => ({
        key: `p${p}`,
        kind: 'gauge' as const,
        unit: 'kW',
        tags: [],
        attributes: {},
      })),
    })),
  };
  await new RegistryRepository(testDb.db).applySites([site], 'registry');
  const ids = (await new RegistryRepository(testDb.db).allPointAddresses()).map((address) => address.pointId);
  const readings = new ReadingRepository(testDb.db, testDb.db);
  let n = 0;
  const started = Date.now();
  for (let b = 0; b < BATCHES; b++) {
    const batch = Array.from({ length: BATCH }, () => {
      const i = n++;
      return { pointId: ids[i % ids.length], ts: t0 + Math.floor(i / ids.length) * 1000, value: i, flags: 0 };
    });
    await readings.insertBatch(batch);
  }
  const ms = Date.now() - started;
  console.log(
    `${BATCHES} batches of ${BATCH} over ${POINTS} points: ${Math.round((n / ms) * 1000)} readings/s (${(ms / BATCHES).toFixed(0)} ms a batch)`,
  );
  await testDb.drop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
