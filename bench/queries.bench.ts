/**
 * Query times through the HTTP API of a built api process, on a database holding a year and more
 * of data loaded through the real storage path (ReadingRepository.insertBatch, then the rollup refresher, which computes the
 * 15-minute, hourly and daily rollups the API reads):
 *   - the main electricity meter (role main): kW and kWh every `--main-interval` s (default 60)
 *     from 1 January of last year (the baseline year) until now;
 *   - `--points` more gauges (default 20, one of them the outdoor temperature) every `--interval` s
 *     (default 300) over the last `--days` days (default 365).
 * Then, each `--reps` times (default 50) after 3 warm-up calls: the live overview's queries (latest
 * values: raw readings of the last 2 minutes; GET /sites/{site}/overview: today's energy against
 * yesterday and the baseline day, and the running demand), both at once as the page sends them, a year's
 * trend of a point (bucket 1d and 1h), and the savings report (JSON) of this year against last.
 * Run: npm run build && npx tsx --tsconfig tsconfig.json bench/queries.bench.ts [--points 20] [--interval 300] [--days 365] [--main-interval 60] [--reps 50]
 * Uses the local PostgreSQL and Redis.
 */
import { parseArgs } from 'node:util';
import { localDate, Reading, startOfLocalDate, wallClock } from '@hallwatch/domain';
import { ReadingRepository, RollupRefresher, RollupRepository } from '@hallwatch/readings';
import { RegistryRepository, SiteDefinition } from '@hallwatch/registry';
import { createTestDatabase, freePort, isolatedEnv, startProcess } from '@hallwatch/testing';
import { machineLoad, summary, waitHealthy } from './bench-helpers';

const { values: args } = parseArgs({
  options: {
    points: { type: 'string', default: '20' },
    interval: { type: 'string', default: '300' },
    days: { type: 'string', default: '365' },
    'main-interval': { type: 'string', default: '60' },
    reps: { type: 'string', default: '50' },
  },
});
const POINTS = Number(args.points);
const INTERVAL_MS = Number(args.interval) * 1000;
const DAYS = Number(args.days);
const MAIN_INTERVAL_MS = Number(args['main-interval']) * 1000;
const REPS = Number(args.reps);
const SITE = 'bench-hall';
const BATCH = 10_000;
const DAY_MS = 86_400_000;
const ZONE = 'Asia/Taipei';

const GAUGES_PER_ASSET = 10;
const site: SiteDefinition = {
  key: SITE,
  name: 'Benchmark hall',
  timezone: ZONE,
  attributes: {},
  opcua: [],
  assets: [
    {
      key: 'main-incomer',
      name: 'Main incomer',
      type: 'electricity-meter',
      tags: ['elec', 'meter', 'main'],
      attributes: { role: 'main' },
      points: [
        { key: 'kW', kind: 'gauge', unit: 'kW', tags: ['elec', 'power'], attributes: {} },
        { key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: ['elec', 'energy'], attributes: {} },
      ],
    },
    {
      key: 'weather',
      name: 'Weather station',
      type: 'weather-station',
      tags: ['weather'],
      attributes: {},
      points: [{ key: 'outdoorT', kind: 'gauge', unit: '°C', tags: ['outside', 'temp'], attributes: {} }],
    },
    ...Array.from({ length: Math.ceil((POINTS - 1) / GAUGES_PER_ASSET) }, (_, a) => ({
      key: `ahu-${a}`,
      name: `AHU ${a}`,
      type: 'ahu',
      tags: ['hvac'],
      attributes: {},
      points: Array.from({ length: Math.min(GAUGES_PER_ASSET, POINTS - 1 - a * GAUGES_PER_ASSET) }, (_, p) => ({
        key: `p${p}`,
        kind: 'gauge' as const,
        unit: '°C',
        tags: ['temp'],
        attributes: {},
      })),
    })),
  ],
};

/** Building load in kW: a working-day curve, lower at weekends, 8% lower from the reporting year on. */
function buildingKw(ts: number, reportingYearStart: number): number {
  const local = wallClock(ts, ZONE);
  const hour = local.hour + local.minute / 60;
  const weekend = local.weekday === 0 || local.weekday === 6;
  const season = 1 + 0.3 * Math.sin(((ts / DAY_MS - 100) / 365) * 2 * Math.PI);
  const day = Math.max(0, Math.sin(((hour - 6) / 14) * Math.PI)) * (weekend ? 300 : 1500) * season;
  return (800 + day + 20 * Math.sin(ts / 60_000)) * (ts >= reportingYearStart ? 0.92 : 1);
}

async function load(readings: ReadingRepository, batches: Iterable<Reading[]>): Promise<number> {
  let count = 0;
  for (const batch of batches) {
    await readings.insertBatch(batch);
    count += batch.length;
  }
  return count;
}

function* mainMeter(kW: number, kWh: number, from: number, to: number, reportingYearStart: number): Generator<Reading[]> {
  let register = 0;
  let batch: Reading[] = [];
  for (let ts = from; ts < to; ts += MAIN_INTERVAL_MS) {
    const power = buildingKw(ts, reportingYearStart);
    register += (power * MAIN_INTERVAL_MS) / 3_600_000;
    batch.push({ pointId: kW, ts, value: power, flags: 0 }, { pointId: kWh, ts, value: register, flags: 0 });
    if (batch.length >= BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** All gauges, a few days at a time, so each batch holds every point's run of consecutive readings. */
function* gauges(pointIds: number[], from: number, to: number): Generator<Reading[]> {
  const span = Math.max(INTERVAL_MS, Math.floor(BATCH / pointIds.length) * INTERVAL_MS);
  for (let start = from; start < to; start += span) {
    const batch: Reading[] = [];
    pointIds.forEach((pointId, i) => {
      for (let ts = start; ts < Math.min(to, start + span); ts += INTERVAL_MS)
        batch.push({ pointId, ts, value: 22 + i / 10 + 6 * Math.sin(((ts / DAY_MS) * 2 + i) * Math.PI), flags: 0 });
    });
    yield batch;
  }
}

async function main(): Promise<void> {
  console.log(`machine before the run: ${machineLoad()}`);
  const testDb = await createTestDatabase('postgres');
  const registry = new RegistryRepository(testDb.db);
  await registry.applySites([site], 'registry');
  const ids = new Map((await registry.allPointAddresses()).map((p) => [`${p.asset}/${p.point}`, p.pointId]));
  const readings = new ReadingRepository(testDb.db, testDb.db);
  const rollups = new RollupRepository(testDb.db);

  const now = Date.now();
  const end = Math.floor(now / MAIN_INTERVAL_MS) * MAIN_INTERVAL_MS;
  const thisYear = Number(localDate(now, ZONE).slice(0, 4));
  const reportingYearStart = startOfLocalDate(`${thisYear}-01-01`, ZONE);
  const mainFrom = startOfLocalDate(`${thisYear - 1}-01-01`, ZONE);
  const gaugeFrom = Math.floor((end - DAYS * DAY_MS) / INTERVAL_MS) * INTERVAL_MS;
  const gaugeIds = [...ids].filter(([key]) => !key.startsWith('main-incomer/')).map(([, id]) => id);

  const loadStart = Date.now();
  const [mainCount, gaugeCount] = await Promise.all([
    load(readings, mainMeter(ids.get('main-incomer/kW')!, ids.get('main-incomer/kWh')!, mainFrom, end, reportingYearStart)),
    load(readings, gauges(gaugeIds, gaugeFrom, end)),
  ]);
  await new RollupRefresher(testDb.db).drain();
  const loadSeconds = (Date.now() - loadStart) / 1000;
  await testDb.db.query('analyze');
  const tables = await testDb.db.query<{ name: string; rows: number; size: string }>(
    `select relname as name, n_live_tup::int as rows, pg_size_pretty(pg_total_relation_size(relid)) as size
     from pg_stat_user_tables where relname in ('readings', 'rollups_15m', 'rollups_1h', 'rollups_1d') order by relname`,
  );
  console.log(
    `loaded through ReadingRepository.insertBatch and the rollup refresher in ${Math.round(loadSeconds)} s (${Math.round((mainCount + gaugeCount) / loadSeconds)} readings/s):`,
  );
  console.log(
    `  main meter kW + kWh every ${MAIN_INTERVAL_MS / 1000} s from ${localDate(mainFrom, ZONE)} to now: ${mainCount} readings;` +
      ` ${gaugeIds.length} gauges every ${INTERVAL_MS / 1000} s over ${DAYS} days: ${gaugeCount} readings`,
  );
  console.table(Object.fromEntries(tables.map((t) => [t.name, { rows: t.rows, size: t.size }])));

  const env = isolatedEnv([site], { HALLWATCH_APP: 'api', PORT: String(await freePort()), DATABASE_URL: testDb.url!, LOG_LEVEL: 'warn' });
  const api = startProcess('api', env);
  await waitHealthy(env.PORT);
  const base = `http://127.0.0.1:${env.PORT}/api/v1`;
  const get = async (path: string): Promise<number> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${env.HALLWATCH_API_TOKEN}` } });
    const body = await response.arrayBuffer();
    if (!response.ok) throw new Error(`${path}: ${response.status} ${Buffer.from(body).toString()}`);
    return body.byteLength;
  };
  const point = (asset: string, key: string, query: string) => `/sites/${SITE}/assets/${asset}/points/${key}/readings?${query}`;
  const t = Date.now();
  const overview = [
    point('main-incomer', 'kW', `bucket=raw&from=${t - 120_000}&to=${t + 1}&limit=500`),
    // today's kWh against yesterday and the baseline weekday, and the running demand: one server definition
    `/sites/${SITE}/overview`,
  ];
  /** Each returns the size of its response in bytes, or minus the number of rows for a query without HTTP. */
  const queries: Record<string, () => Promise<number>> = {
    'overview: latest kW (raw, last 2 minutes)': () => get(overview[0]),
    "overview: today's energy against yesterday and the baseline day, and the running demand": () => get(overview[1]),
    'overview: both at once (as the page loads)': async () => (await Promise.all(overview.map(get))).reduce((a, b) => a + b, 0),
    'trend: main kW, 1 year, bucket 1d': () => get(point('main-incomer', 'kW', `bucket=1d&from=${t - 365 * DAY_MS}&to=${t}`)),
    'trend: main kW, 1 year, bucket 1h': () => get(point('main-incomer', 'kW', `bucket=1h&from=${t - 365 * DAY_MS}&to=${t}`)),
    'trend: a 5-minute gauge, 1 year, bucket 1h': () => get(point('ahu-0', 'p0', `bucket=1h&from=${t - 365 * DAY_MS}&to=${t}`)),
    'trend: main kW, 1 year, 1h, the repository query alone (no HTTP)': async () =>
      -(await rollups.pointSeries(ids.get('main-incomer/kW')!, '1h', new Date(t - 365 * DAY_MS), new Date(t), 10_001)).length,
    [`savings report JSON: ${thisYear} to date against ${thisYear - 1}`]: () =>
      get(`/reports/savings?site=${SITE}&utility=electricity&from=${thisYear}-01-01&to=${localDate(t, ZONE)}&baselineYear=${thisYear - 1}`),
  };
  const results: Record<string, ReturnType<typeof summary> & { response: string }> = {};
  for (const [name, query] of Object.entries(queries)) {
    for (let i = 0; i < 3; i++) await query();
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < REPS; i++) {
      const start = performance.now();
      bytes = await query();
      times.push(performance.now() - start);
    }
    results[name] = { ...summary(times), response: bytes < 0 ? `${-bytes} rows` : `${(bytes / 1024).toFixed(1)} kB` };
  }
  console.log(`machine at the end: ${machineLoad()}`);
  console.log(`HTTP round trips in ms, ${REPS} repetitions each after 3 warm-up calls, one at a time`);
  console.table(results);
  await api.stop();
  await testDb.drop();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
