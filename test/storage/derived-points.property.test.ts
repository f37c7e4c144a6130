import fc from 'fast-check';
import { Database } from '@hallwatch/db';
import { ReadingFlags } from '@hallwatch/domain';
import { DerivedReadingRepository, ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import {
  BACKENDS,
  createTestDatabase,
  diffRollups,
  ReferenceReading,
  referenceRollups,
  storedReadings,
  storedRollups,
  TestDatabase,
} from '@hallwatch/testing';
import { DerivedPoints, MAX_INPUT_AGE_MS } from '../../apps/ingest/src/derived/derived-points';
import { DerivedRefresher } from '../../apps/ingest/src/derived/derived-refresher';

/**
 * Derived points are a function of the stored input readings (apps/ingest/src/derived): inputs at
 * shared and separate times, with gaps around the 5-minute hold, zero divisors, stray device values
 * on derived points, delivered shuffled, re-delivered, in random batches by concurrent writers while
 * derived passes and rollup refreshes run beside them. Once drained, the stored derived readings
 * must be what a slow reference computes from the stored inputs, and their rollups the rollup
 * reference of them.
 */

const SEED = 20260601;
const START = Date.parse('2025-07-01T06:00:00Z');
const STEP_MS = 10_000;

type Fn = (...values: number[]) => number;
interface DerivedSpec {
  asset: string;
  point: string;
  expression: string;
  /** the same as the expression, written plainly, over `inputs` in order */
  fn: Fn;
  inputs: string[];
}

const INPUTS = ['chiller-1/kW', 'chiller-1/tons', 'chiller-1/chwsT', 'chiller-1/chwrT', 'main-incomer/kW', 'pv-roof/kW'];
const DERIVED: DerivedSpec[] = [
  { asset: 'chiller-1', point: 'deltaT', expression: 'chwrT - chwsT', fn: (r, s) => r - s, inputs: ['chiller-1/chwrT', 'chiller-1/chwsT'] },
  {
    asset: 'chiller-1',
    point: 'kWPerRt',
    expression: 'kW / tons',
    fn: (kw, tons) => kw / tons,
    inputs: ['chiller-1/kW', 'chiller-1/tons'],
  },
  {
    asset: 'main-incomer',
    point: 'netKw',
    expression: "kW - 'pv-roof.kW'",
    fn: (grid, pv) => grid - pv,
    inputs: ['main-incomer/kW', 'pv-roof/kW'],
  },
  // a derived point of a derived point
  { asset: 'chiller-1', point: 'cop', expression: '3.517 / kWPerRt', fn: (kwPerRt) => 3.517 / kwPerRt, inputs: ['chiller-1/kWPerRt'] },
];
const ORDER = ['chiller-1/deltaT', 'chiller-1/kWPerRt', 'main-incomer/netKw', 'chiller-1/cop'];

interface Move {
  /** steps of 10 s to the next reading: often short, sometimes exactly or beyond the 5-minute hold */
  steps: number;
  value: number;
}

const moveArb: fc.Arbitrary<Move> = fc.record({
  steps: fc.oneof(
    { arbitrary: fc.integer({ min: 1, max: 9 }), weight: 12 },
    { arbitrary: fc.constantFrom(29, 30, 31), weight: 2 },
    { arbitrary: fc.integer({ min: 32, max: 60 }), weight: 1 },
  ),
  value: fc.oneof({ arbitrary: fc.integer({ min: -40, max: 400 }).map((n) => n / 4), weight: 9 }, { arbitrary: fc.constant(0), weight: 1 }),
});

const scenarioArb = fc.record({
  inputs: fc.array(fc.array(moveArb, { minLength: 1, maxLength: 40 }), { minLength: INPUTS.length, maxLength: INPUTS.length }),
  /** device values sent for derived points, which the definition overrides */
  strays: fc.array(fc.record({ derived: fc.integer({ min: 0, max: 2 }), steps: fc.integer({ min: 0, max: 300 }), value: fc.integer() }), {
    maxLength: 4,
  }),
  deliverySeed: fc.integer(),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

interface Reading {
  pointId: number;
  ts: number;
  value: number;
  flags: number;
}

/** mulberry32: the delivery's own randomness, from the scenario's seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The definition, as plainly as possible: for each time any input has, each input's latest reading at most 5 minutes old. */
function reference(fn: Fn, inputs: ReferenceReading[][]): ReferenceReading[] {
  const times = [...new Set(inputs.flat().map((reading) => reading.ts))].sort((a, b) => a - b);
  const out: ReferenceReading[] = [];
  for (const t of times) {
    const held = inputs.map(
      (readings) => readings.filter((reading) => reading.ts <= t && t - reading.ts <= MAX_INPUT_AGE_MS).sort((a, b) => b.ts - a.ts)[0],
    );
    if (held.some((reading) => reading === undefined)) continue;
    const value = fn(...held.map((reading) => reading.value));
    if (value === 0) out.push({ ts: t, value: 0 });
    else if (Number.isFinite(value) && Math.abs(value) >= 1e-300 && Math.abs(value) <= 1e300) out.push({ ts: t, value });
  }
  return out;
}

let sites = 0;

async function createSite(db: Database): Promise<{ ids: Map<string, number>; points: DerivedPoints; site: string }> {
  const site = `derived-property-${++sites}`;
  const [{ id: siteId }] = await db.query<{ id: number }>(
    "insert into sites (key, name, timezone) values ($1, $1, 'Asia/Taipei') returning id",
    [site],
  );
  const ids = new Map<string, number>();
  const expressions = new Map(DERIVED.map((spec) => [`${spec.asset}/${spec.point}`, spec.expression]));
  for (const asset of ['chiller-1', 'main-incomer', 'pv-roof']) {
    const [{ id: assetId }] = await db.query<{ id: number }>(
      `insert into assets (site_id, key, name, type) values ($1, $2, $2, 'meter') returning id`,
      [siteId, asset],
    );
    for (const key of [...INPUTS, ...ORDER].filter((candidate) => candidate.startsWith(`${asset}/`))) {
      const [{ id }] = await db.query<{ id: number }>(
        `insert into points (asset_id, key, kind, expression) values ($1, $2, 'gauge', $3) returning id`,
        [assetId, key.split('/')[1], expressions.get(key) ?? null],
      );
      ids.set(key, id);
    }
  }
  const points = new DerivedPoints();
  points.define(
    DERIVED.map((spec) => ({
      pointId: ids.get(`${spec.asset}/${spec.point}`)!,
      site,
      asset: spec.asset,
      point: spec.point,
      expression: spec.expression,
    })),
    (s, asset, point) => (s === site ? ids.get(`${asset}/${point}`) : undefined),
  );
  return { ids, points, site };
}

function readingsOf(scenario: Scenario, ids: Map<string, number>): { inputs: Reading[]; strays: Reading[] } {
  const inputs = scenario.inputs.flatMap((moves, i) => {
    let ts = START;
    return moves.map((move) => {
      ts += move.steps * STEP_MS;
      return { pointId: ids.get(INPUTS[i])!, ts, value: move.value, flags: 0 };
    });
  });
  const strays = scenario.strays.map((stray) => ({
    pointId: ids.get(ORDER[stray.derived])!,
    ts: START + stray.steps * STEP_MS,
    value: stray.value,
    flags: 0,
  }));
  return { inputs, strays };
}

/** PostgreSQL may pick a writer or a pass as a deadlock victim (a stray value on a derived point): both are retried in production. */
async function retried<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if ((error as { code?: string }).code !== '40P01' || attempt > 5) throw error;
    }
  }
}

async function deliverChaotically(
  repo: ReadingRepository,
  derived: DerivedRefresher,
  refresher: RollupRefresher,
  readings: Reading[],
  seed: number,
): Promise<void> {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const deliveries: Reading[] = [];
  for (const reading of readings) {
    deliveries.push(reading);
    if (next() < 0.2) deliveries.push(reading);
  }
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  const batches: Reading[][] = [];
  for (let i = 0; i < deliveries.length;) {
    const size = 1 + pick(25);
    batches.push(deliveries.slice(i, i + size));
    i += size;
  }
  const writers: Reading[][][] = Array.from({ length: 2 + pick(3) }, () => []);
  for (const batch of batches) writers[pick(writers.length)].push(batch);
  const after = writers.map((queue) => queue.map(() => ({ derive: next() < 0.3, refresh: next() < 0.15 })));
  await Promise.all(
    writers.map(async (queue, w) => {
      for (const [j, batch] of queue.entries()) {
        await retried(() => repo.insertBatch(batch));
        if (after[w][j].derive) await retried(() => derived.refreshPending());
        if (after[w][j].refresh) await refresher.refreshPending();
      }
    }),
  );
}

async function drain(db: Database, derived: DerivedRefresher, refresher: RollupRefresher): Promise<void> {
  await derived.drain();
  await refresher.drain();
  const [left] = await db.query<{ derived: number; rollups: number }>(
    'select (select count(*)::int from derived_invalidations) as derived, (select count(*)::int from rollup_invalidations) as rollups',
  );
  expect(left).toEqual({ derived: 0, rollups: 0 });
}

describe.each(BACKENDS)('derived points from the stored inputs on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let repo: ReadingRepository;
  let refresher: RollupRefresher;
  let derivedReadings: DerivedReadingRepository;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    repo = new ReadingRepository(db, db);
    refresher = new RollupRefresher(db);
    derivedReadings = new DerivedReadingRepository(db);
  }, 60_000);

  afterAll(() => testDb?.drop());

  it('stores exactly the reference of the stored inputs, whatever the delivery, and their rollups follow', async () => {
    let derivedValues = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { ids, points } = await createSite(db);
        const derived = new DerivedRefresher(derivedReadings, points);
        const { inputs, strays } = readingsOf(scenario, ids);
        await deliverChaotically(repo, derived, refresher, [...inputs, ...strays], scenario.deliverySeed);
        await drain(db, derived, refresher);

        const stored = await storedReadings(db, [...ids.values()]);
        const expected = new Map<string, ReferenceReading[]>();
        for (const spec of DERIVED) {
          // a derived input (kWPerRt for cop) is its own reference, not what was stored
          const inputSeries = spec.inputs.map((key) => expected.get(key) ?? stored.get(ids.get(key)!)!);
          expected.set(`${spec.asset}/${spec.point}`, reference(spec.fn, inputSeries));
        }
        for (const key of ORDER) {
          const id = ids.get(key)!;
          expect({ key, readings: stored.get(id) }).toEqual({ key, readings: expected.get(key) });
          derivedValues += expected.get(key)!.length;
          const rollups = await storedRollups(db, [id]);
          const differences = diffRollups(
            referenceRollups({ kind: 'gauge', attributes: {}, readings: stored.get(id)!, replacements: [], timezone: 'Asia/Taipei' }),
            rollups.get(id)!,
          );
          if (differences.length > 0) throw new Error(`rollups of ${key}:\n  ${differences.join('\n  ')}`);
        }
        const [flags] = await db.query<{ wrong: number }>(
          'select count(*)::int as wrong from readings where point_id = any($1) and flags <> $2',
          [ORDER.map((key) => ids.get(key)!), ReadingFlags.derived],
        );
        expect(flags.wrong).toBe(0);
      }),
      { seed: SEED, numRuns: 20 },
    );
    // the scenarios are not degenerate: derived values were there to be computed
    expect(derivedValues).toBeGreaterThan(200);
  }, 300_000);

  it('changes a derived value a late input reading changes, until that input’s next reading, and logs it for the rollups', async () => {
    const { ids, points } = await createSite(db);
    const derived = new DerivedRefresher(derivedReadings, points);
    const [chwsT, chwrT, deltaT] = ['chiller-1/chwsT', 'chiller-1/chwrT', 'chiller-1/deltaT'].map((key) => ids.get(key)!);
    const MIN = 60_000;
    await repo.insertBatch([
      { pointId: chwsT, ts: START, value: 7, flags: 0 },
      { pointId: chwsT, ts: START + 2 * MIN, value: 6, flags: 0 },
      ...[0, 1, 2, 3].map((m) => ({ pointId: chwrT, ts: START + m * MIN, value: 12, flags: 0 })),
    ]);
    const first = await derived.drain();
    expect(first.map((reading) => [reading.ts - START, reading.value])).toEqual([
      [0, 5],
      [MIN, 5],
      [2 * MIN, 6],
      [3 * MIN, 6],
    ]);
    await refresher.drain();

    await repo.insertBatch([{ pointId: chwsT, ts: START + 30_000, value: 8, flags: 0 }]);
    const late = await derived.drain();
    // a new time (30 s) and a changed value (1 min); nothing from the next chwsT reading on
    expect(late.map((reading) => [reading.ts - START, reading.value, reading.flags])).toEqual([
      [30_000, 4, ReadingFlags.derived],
      [MIN, 4, ReadingFlags.derived],
    ]);
    const [pending] = await db.query<{ from_ts: Date; to_ts: Date }>(
      'select from_ts, to_ts from rollup_invalidations where point_id = $1',
      [deltaT],
    );
    expect([pending.from_ts.getTime() - START, pending.to_ts.getTime() - START]).toEqual([30_000, MIN]);
    await refresher.drain();
    expect((await storedReadings(db, [deltaT])).get(deltaT)!.map((reading) => [reading.ts - START, reading.value])).toEqual([
      [0, 5],
      [30_000, 4],
      [MIN, 4],
      [2 * MIN, 6],
      [3 * MIN, 6],
    ]);
  });
});
