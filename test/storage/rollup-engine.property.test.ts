import fc from 'fast-check';
import { Database } from '@hallwatch/db';
import { ReadingRepository, RollupRefresher } from '@hallwatch/readings';
import {
  BACKENDS,
  createMeterPoints,
  createTestDatabase,
  diffRollups,
  HOUR_MS,
  localHourStart,
  nextLocalDayStart,
  QUARTER_MS,
  quarterStart,
  ReferenceReading,
  ReferenceReplacement,
  referenceRollups,
  RollupAttributes,
  storedReadings,
  storedRollups,
  TestDatabase,
} from '@hallwatch/testing';

/**
 * docs/rollups.md: rollups are a pure function of the stored readings. Readings with jitter,
 * resets, rollovers, spikes, gaps and boundary timestamps are delivered shuffled, re-delivered,
 * in random batches by concurrent writers while the refresher runs; once drained, every row of
 * every level must be what test/support/rollup-reference.ts computes from what was stored.
 */

const SEED = 20260412;
const TIMEZONES = ['Asia/Taipei', 'UTC', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu'];
/** Starts near New York's clock changes, a half-year's turn and a year's turn. */
const ANCHORS = ['2025-03-08T12:00:00Z', '2025-11-01T12:00:00Z', '2025-06-30T10:00:00Z', '2024-12-31T09:00:00Z'].map(Date.parse);
const DAY_MS = 86_400_000;

type TimeMove = 'short' | 'quarter' | 'hour' | 'midnight' | 'long' | 'days';
type ValueMove = 'forward' | 'jitter' | 'reset' | 'rollover' | 'suspect' | 'spike' | 'replace';
interface Move {
  time: TimeMove;
  value: ValueMove;
  a: number;
  b: number;
  c: number;
}
type GeneratedKind = 'cumulative' | 'interval' | 'gauge';
interface PointSpec {
  kind: GeneratedKind;
  attributes: RollupAttributes;
  initial: number;
  moves: Move[];
}
interface Scenario {
  timezone: string;
  anchor: number;
  offset: number;
  points: PointSpec[];
  deliverySeed: number;
}

/** A point as generated: what a meter would send, and the replacements an operator records. */
interface PointPlan {
  kind: GeneratedKind;
  attributes: RollupAttributes;
  readings: ReferenceReading[];
  replacements: ReferenceReplacement[];
}

const weighted = <T>(choices: Array<[T, number]>): fc.Arbitrary<T> =>
  fc.oneof(...choices.map(([value, weight]) => ({ arbitrary: fc.constant(value), weight })));
const unit = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 2 });

const moveArb: fc.Arbitrary<Move> = fc.record({
  time: weighted<TimeMove>([
    ['short', 60],
    ['quarter', 10],
    ['hour', 6],
    ['midnight', 4],
    ['long', 6],
    ['days', 1],
  ]),
  value: weighted<ValueMove>([
    ['forward', 70],
    ['jitter', 8],
    ['reset', 3],
    ['rollover', 6],
    ['suspect', 4],
    ['spike', 3],
    ['replace', 3],
  ]),
  a: unit,
  b: unit,
  c: unit,
});

const attributesArb: fc.Arbitrary<RollupAttributes> = fc
  .record({
    noiseBand: maybe(fc.constantFrom(0.5, 5)),
    rolloverAt: maybe(fc.constantFrom(1000, 100_000, 4294967.295)),
    maxRatePerHour: maybe(fc.constantFrom(500, 5000)),
    expectedIntervalSeconds: maybe(fc.constantFrom(300, 900, 86_400)),
    intervalSeconds: maybe(fc.constantFrom(300, 900, 3600)),
  })
  .map((attributes) => Object.fromEntries(Object.entries(attributes).filter(([, value]) => value !== undefined)));

const pointArb: fc.Arbitrary<PointSpec> = fc.record({
  kind: weighted<GeneratedKind>([
    ['cumulative', 3],
    ['interval', 1],
    ['gauge', 2],
  ]),
  attributes: attributesArb,
  initial: unit,
  moves: fc.array(moveArb, { minLength: 1, maxLength: 80, size: 'max' }),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc.record({
  timezone: fc.constantFrom(...TIMEZONES),
  anchor: fc.constantFrom(...ANCHORS),
  offset: unit,
  points: fc.array(pointArb, { minLength: 1, maxLength: 3, size: 'max' }),
  deliverySeed: fc.integer(),
});

/** The next reading time after `ts`: irregular, sometimes exactly on a quarter, a local hour or a local midnight. */
function nextTime(ts: number, move: Move, timezone: string): number {
  switch (move.time) {
    case 'short':
      return ts + 1000 + Math.floor(move.a * 20 * 60_000);
    case 'quarter':
      return quarterStart(ts) + QUARTER_MS;
    case 'hour':
      return localHourStart(ts, timezone) + HOUR_MS;
    case 'midnight':
      return nextLocalDayStart(ts, timezone);
    case 'long':
      return ts + HOUR_MS + Math.floor(move.a * 5 * HOUR_MS);
    case 'days':
      return ts + DAY_MS + Math.floor(move.a * 2 * DAY_MS);
  }
}

function plan(scenario: Scenario): PointPlan[] {
  const start = scenario.anchor + Math.floor(scenario.offset * 2 * DAY_MS);
  return scenario.points.map((spec) => {
    const { kind, attributes } = spec;
    const rollover = attributes.rolloverAt;
    let ts = start;
    let value =
      kind === 'gauge'
        ? gaugeValue(spec.initial)
        : kind === 'interval'
          ? spec.initial * 50
          : rollover !== undefined
            ? rollover * (0.5 + 0.45 * spec.initial)
            : spec.initial * 1e6;
    const readings: ReferenceReading[] = [{ ts, value }];
    const replacements: ReferenceReplacement[] = [];
    for (const move of spec.moves) {
      const t0 = ts;
      ts = nextTime(ts, move, scenario.timezone);
      if (kind === 'gauge') {
        value = gaugeValue(move.b);
      } else if (kind === 'interval') {
        // the amount used over the interval ending now; intervals may overlap or leave holes
        value = Math.round(move.b * 50_000) / 1000;
      } else {
        const band = attributes.noiseBand ?? 0.001 * Math.abs(value);
        switch (move.value) {
          case 'forward':
            value += move.b * 50;
            break;
          case 'jitter':
            value -= 0.9 * move.b * band;
            break;
          case 'reset':
            value = move.b * 0.005 * value;
            break;
          case 'rollover':
            // climb near the wrap value, or wrap once there
            if (rollover === undefined) value += move.b * 50;
            else if (value < 0.9 * rollover) value = rollover * (0.91 + 0.08 * move.b);
            else value = rollover * 0.09 * move.b;
            break;
          case 'suspect':
            value *= 0.3 + 0.5 * move.b;
            break;
          case 'spike':
            value += 100_000 * (1 + move.b);
            break;
          case 'replace': {
            const startValue = Math.round(move.b * 50_000) / 1000;
            const at = move.c < 0.3 ? ts : t0 + 1 + Math.floor((ts - t0 - 1) * move.c);
            replacements.push({ at, startValue });
            // may start below startValue: that step counts max(v1 - startValue, 0)
            value = Math.max(0, startValue + move.a * 20 - 2);
            break;
          }
        }
      }
      readings.push({ ts, value });
    }
    return { kind, attributes, readings, replacements };
  });
}

function gaugeValue(amount: number): number {
  return Math.round((amount * 200 - 50) * 100) / 100;
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

interface Reading {
  pointId: number;
  ts: number;
  value: number;
  flags: number;
}

async function drain(refresher: RollupRefresher): Promise<void> {
  for (let round = 0; round < 10_000; round++) {
    if ((await refresher.refreshPending()) === 0) return;
  }
  throw new Error('refreshPending() still had work after 10,000 rounds');
}

/** Shuffled, re-delivered, in random batches over 2-4 concurrent writers, with refreshes in between. */
async function deliverChaotically(
  repo: ReadingRepository,
  refresher: RollupRefresher,
  points: PointPlan[],
  ids: number[],
  seed: number,
): Promise<void> {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const deliveries: Reading[] = [];
  points.forEach((point, i) => {
    for (const reading of point.readings) {
      deliveries.push({ pointId: ids[i], ts: reading.ts, value: reading.value, flags: 0 });
      if (next() < 0.2) deliveries.push({ pointId: ids[i], ts: reading.ts, value: reading.value, flags: 0 });
    }
  });
  for (let i = deliveries.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [deliveries[i], deliveries[j]] = [deliveries[j], deliveries[i]];
  }
  type Job = { batch: Reading[] } | { replacement: ReferenceReplacement; pointId: number };
  const jobs: Job[] = [];
  for (let i = 0; i < deliveries.length;) {
    const size = 1 + pick(25);
    jobs.push({ batch: deliveries.slice(i, i + size) });
    i += size;
  }
  points.forEach((point, i) => {
    for (const replacement of point.replacements) jobs.splice(pick(jobs.length + 1), 0, { replacement, pointId: ids[i] });
  });
  const writers: Job[][] = Array.from({ length: 2 + pick(3) }, () => []);
  for (const job of jobs) writers[pick(writers.length)].push(job);
  const refreshAfter = writers.map((queue) => queue.map(() => next() < 0.15));

  await Promise.all(
    writers.map(async (queue, w) => {
      for (const [j, job] of queue.entries()) {
        if ('batch' in job) await repo.insertBatch(job.batch);
        else await repo.recordReplacement(job.pointId, new Date(job.replacement.at), job.replacement.startValue, null, 'test');
        if (refreshAfter[w][j]) await refresher.refreshPending();
      }
    }),
  );
  await drain(refresher);
}

/**
 * How live meters deliver: in time order, in small batches spread over 2-4 concurrent writers, a
 * refresh after most batches, with some readings re-delivered and some held back and sent late.
 * Most passes then take the append path (rollup-append.ts); late ones recompute.
 */
async function deliverMostlyInOrder(
  repo: ReadingRepository,
  refresher: RollupRefresher,
  points: PointPlan[],
  ids: number[],
  seed: number,
): Promise<void> {
  const next = random(seed);
  const pick = (n: number) => Math.floor(next() * n);
  const inOrder: Reading[] = points
    .flatMap((point, i) => point.readings.map((reading) => ({ pointId: ids[i], ts: reading.ts, value: reading.value, flags: 0 })))
    .sort((a, b) => a.ts - b.ts || a.pointId - b.pointId);
  const deliveries: Reading[] = [];
  const late: Array<{ reading: Reading; after: number }> = [];
  for (const reading of inOrder) {
    if (next() < 0.1) late.push({ reading, after: deliveries.length + 1 + pick(40) });
    else deliveries.push(reading);
    if (next() < 0.1) deliveries.push(reading);
  }
  for (const { reading, after } of late.reverse()) deliveries.splice(Math.min(after, deliveries.length), 0, reading);
  const batches: Reading[][] = [];
  for (let i = 0; i < deliveries.length;) {
    const size = 1 + pick(12);
    batches.push(deliveries.slice(i, i + size));
    i += size;
  }
  for (const [i, point] of points.entries()) {
    for (const replacement of point.replacements) {
      await repo.recordReplacement(ids[i], new Date(replacement.at), replacement.startValue, null, 'test');
    }
  }
  const writers = 2 + pick(3);
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      for (let b = w; b < batches.length; b += writers) {
        await repo.insertBatch(batches[b]);
        if (next() < 0.6) await refresher.refreshPending();
      }
    }),
  );
  await drain(refresher);
}

async function deliverCleanly(repo: ReadingRepository, refresher: RollupRefresher, points: PointPlan[], ids: number[]): Promise<void> {
  for (const [i, point] of points.entries()) {
    for (const replacement of point.replacements)
      await repo.recordReplacement(ids[i], new Date(replacement.at), replacement.startValue, null, 'test');
  }
  await repo.insertBatch(points.flatMap((point, i) => point.readings.map((reading) => ({ pointId: ids[i], ...reading, flags: 0 }))));
  await drain(refresher);
}

function describeFailure(title: string, differences: string[]): string {
  return `${title}:\n  ${differences.join('\n  ')}`;
}

describe.each(BACKENDS)('rollup engine against the reference on %s', (backend) => {
  let testDb: TestDatabase;
  let db: Database;
  let repo: ReadingRepository;
  let refresher: RollupRefresher;

  beforeAll(async () => {
    testDb = await createTestDatabase(backend);
    db = testDb.db;
    repo = new ReadingRepository(db, db);
    refresher = new RollupRefresher(db);
  }, 60_000);

  afterAll(() => testDb?.drop());

  /** Every stored reading as planned (nothing lost, doubled or changed), every rollup row as the reference computes it. */
  async function expectReference(points: PointPlan[], ids: number[], timezone: string, delivery: string): Promise<void> {
    const stored = await storedReadings(db, ids);
    const actual = await storedRollups(db, ids);
    for (const [i, point] of points.entries()) {
      const readings = stored.get(ids[i])!;
      expect(readings).toEqual(point.readings);
      const expected = referenceRollups({
        kind: point.kind,
        attributes: point.attributes,
        readings,
        replacements: point.replacements,
        timezone,
      });
      const differences = diffRollups(expected, actual.get(ids[i])!);
      if (differences.length > 0) {
        throw new Error(
          describeFailure(`point ${i} (${point.kind} ${JSON.stringify(point.attributes)}, ${timezone})${delivery}`, differences),
        );
      }
    }
  }

  it('gives every row of every level exactly the reference of the stored readings, whatever the delivery', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const points = plan(scenario);
        const ids = await createMeterPoints(db, scenario.timezone, points);
        await deliverChaotically(repo, refresher, points, ids, scenario.deliverySeed);

        await expectReference(points, ids, scenario.timezone, '');
      }),
      { seed: SEED, numRuns: 25 },
    );
  }, 300_000);

  it('gives every row of every level exactly the reference when live meters deliver mostly in order (the append path)', async () => {
    const before = refresher.passCounts.appendedPoints;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const points = plan(scenario);
        const ids = await createMeterPoints(db, scenario.timezone, points);
        await deliverMostlyInOrder(repo, refresher, points, ids, scenario.deliverySeed);

        await expectReference(points, ids, scenario.timezone, ', mostly in order');
      }),
      { seed: SEED + 2, numRuns: 25 },
    );
    // The path under test was taken: passes appended to points' rows rather than recomputing them.
    expect(refresher.passCounts.appendedPoints - before).toBeGreaterThan(50);
  }, 300_000);

  it('gives a chaotic delivery the same rollups as one clean ordered batch of the same data', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const points = plan(scenario);
        const cleanIds = await createMeterPoints(db, scenario.timezone, points);
        const chaoticIds = await createMeterPoints(db, scenario.timezone, points);
        await deliverCleanly(repo, refresher, points, cleanIds);
        await deliverChaotically(repo, refresher, points, chaoticIds, scenario.deliverySeed);

        const clean = await storedRollups(db, cleanIds);
        const chaotic = await storedRollups(db, chaoticIds);
        for (const [i, point] of points.entries()) {
          const differences = diffRollups(clean.get(cleanIds[i])!, chaotic.get(chaoticIds[i])!);
          if (differences.length > 0) {
            throw new Error(describeFailure(`point ${i} (${point.kind}), clean delivery expected, chaotic got`, differences));
          }
        }
      }),
      { seed: SEED + 1, numRuns: 15 },
    );
  }, 300_000);
});
