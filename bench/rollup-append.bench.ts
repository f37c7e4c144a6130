/**
 * One refresher pass while a quarter-hour is being written, appended against recomputed, in one run.
 * Points (half registers, half gauges) have `--fill` seconds of the current quarter stored at
 * `--rate` readings a second each; then, pass by pass, one more second of readings is stored through
 * the product's write path and the refresher brings the rollups up to date: once with the points'
 * marks (the append path), once with the marks removed before each pass (what every pass did before
 * the append path: recompute the quarter from all its readings).
 * Run: npx tsx --tsconfig tsconfig.json bench/rollup-append.bench.ts [--backend postgres|embedded] [--points 200] [--rate 20] [--fill 600] [--passes 10]
 */
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import { BACKENDS, createMeterPoints, createTestDatabase } from '@hallwatch/testing';
import { machineLoad, summary } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string', default: 'postgres' },
    points: { type: 'string', default: '200' },
    rate: { type: 'string', default: '20' },
    fill: { type: 'string', default: '600' },
    passes: { type: 'string', default: '10' },
  },
});
const BACKEND = args.backend === 'embedded' ? BACKENDS[1] : BACKENDS[0];
const POINTS = Number(args.points);
const RATE = Number(args.rate);
const FILL_SECONDS = Number(args.fill);
const PASSES = Number(args.passes);
/** The start of a quarter-hour: the fill and the measured seconds all lie inside it. */
const QUARTER_START = Date.parse('2025-06-02T02:00:00Z');

async function main(): Promise<void> {
  if (FILL_SECONDS + 2 * PASSES >= 900) throw new Error('--fill plus two seconds per pass must stay inside one quarter-hour (900 s)');
  const testDb = await createTestDatabase(BACKEND);
  const db = testDb.db;
  const repo = new ReadingRepository(db, db);
  const refresher = new RollupRefresher(db);
  const plans = Array.from({ length: POINTS }, (_, i) => ({ kind: i % 2 === 0 ? ('cumulative' as const) : ('gauge' as const), attributes: {} }));
  const ids = await createMeterPoints(db, 'Asia/Taipei', plans);
  const stepMs = 1000 / RATE;

  // The quarter so far, written in one statement, then rolled up once (which sets the marks).
  await db.query(
    `insert into readings (point_id, ts, value)
     select p.id, to_timestamp($2::float8 / 1000) + (n * $3::float8) * interval '1 millisecond',
            case when p.kind = 'cumulative' then 1000 + n * 0.01 else 500 + (n % 7) end
     from points p cross join generate_series(0, $4::int - 1) as n where p.id = any($1::int[])`,
    [ids, QUARTER_START, stepMs, FILL_SECONDS * RATE],
  );
  await db.query(
    `insert into rollup_invalidations (point_id, from_ts, to_ts)
     select id, to_timestamp($2::float8 / 1000), to_timestamp($3::float8 / 1000) from unnest($1::int[]) as id`,
    [ids, QUARTER_START, QUARTER_START + FILL_SECONDS * 1000],
  );
  await refresher.drain();

  let second = FILL_SECONDS;
  const storeOneSecond = async () => {
    const readings = ids.flatMap((pointId, i) =>
      Array.from({ length: RATE }, (_, k) => {
        const n = second * RATE + k;
        return { pointId, ts: QUARTER_START + n * stepMs, value: plans[i].kind === 'cumulative' ? 1000 + n * 0.01 : 500 + (n % 7), flags: 0 };
      }),
    );
    second++;
    await repo.insertBatch(readings);
  };
  const measure = async (dropMarks: boolean) => {
    const times: number[] = [];
    for (let pass = 0; pass < PASSES; pass++) {
      await storeOneSecond();
      if (dropMarks) await db.query('delete from rollup_marks where point_id = any($1::int[])', [ids]);
      const started = performance.now();
      await refresher.refreshPending();
      times.push(performance.now() - started);
    }
    return summary(times);
  };

  const before = { ...refresher.passCounts };
  const appended = await measure(false);
  const afterAppend = { ...refresher.passCounts };
  const recomputed = await measure(true);
  const readingsPerPoint = FILL_SECONDS * RATE;
  console.log(
    JSON.stringify(
      {
        backend: BACKEND,
        points: POINTS,
        readingsPerPointInQuarter: `${readingsPerPoint}-${readingsPerPoint + 2 * PASSES * RATE}`,
        newReadingsPerPass: POINTS * RATE,
        appendPassMs: appended,
        recomputePassMs: recomputed,
        recomputeOverAppend: Math.round((recomputed.p50 / appended.p50) * 10) / 10,
        appendedPoints: afterAppend.appendedPoints - before.appendedPoints,
        recomputedPoints: refresher.passCounts.recomputedPoints - afterAppend.recomputedPoints,
        load: machineLoad(),
      },
      null,
      2,
    ),
  );
  await testDb.drop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
