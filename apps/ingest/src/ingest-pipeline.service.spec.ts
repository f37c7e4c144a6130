import { Logger } from '@nestjs/common';
import { BatchWriter, IngestUnit } from './batch-writer.service';
import { IngestMetrics } from './ingest.metrics';
import { IngestPipeline, ReceivedMessage } from './ingest-pipeline.service';
import { ParsedReading, ParseResult, Rejection } from './parse-result';
import { PointDirectory } from './point-directory.service';

type Resolve = PointDirectory['resolve'];

/** A directory that knows every point (id = the number in its key) unless `resolve` is replaced. */
function fakeDirectory(resolve?: Resolve) {
  const known: Resolve = async (readings) => ({
    resolved: readings.map((reading) => ({ ...reading, pointId: Number(reading.point.slice(1)) })),
    rejections: [],
  });
  const calls: string[][] = [];
  const directory = {
    resolve: async (readings: readonly ParsedReading[]) => {
      calls.push(readings.map((reading) => reading.point));
      return (resolve ?? known)(readings);
    },
  };
  return { directory: directory as unknown as PointDirectory, calls, known };
}

function fakeWriter() {
  const units: IngestUnit[] = [];
  const writer = {
    enqueue: (unit: IngestUnit, ack: () => void) => {
      units.push(unit);
      ack();
    },
    flushed: async () => undefined,
  };
  return { writer: writer as unknown as BatchWriter, units };
}

const metrics = { received: () => undefined } as unknown as IngestMetrics;

const message = (point: string): ReceivedMessage => ({
  source: 'mqtt:test',
  topic: 'test/site/asset',
  payload: Buffer.from(point),
  receivedAt: 1_000,
});

/** One reading per message: its point is the payload. */
const parse = (received: ReceivedMessage): ParseResult => ({
  readings: [{ site: 'site', asset: 'asset', point: received.payload.toString(), ts: 1, value: 1, flags: 0 }],
  rejections: [],
});

function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

/** Unhandled rejections during a test, which would end the ingest process. */
function watchRejections(): { rejections: unknown[]; stop(): void } {
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on('unhandledRejection', onRejection);
  return { rejections, stop: () => process.off('unhandledRejection', onRejection) };
}

async function run(pipeline: IngestPipeline, points: string[], parser = parse): Promise<string[]> {
  const acked: string[] = [];
  for (const point of points) pipeline.accept(message(point), parser, () => acked.push(point));
  await pipeline.idle();
  // Let any unhandled rejection surface before the test looks.
  await new Promise((resolve) => setImmediate(resolve));
  return acked;
}

const stored = (units: IngestUnit[]) => units.map((unit) => unit.readings.map((reading) => reading.pointId));
const reasons = (units: IngestUnit[]) => units.map((unit) => unit.deadLetters.map((letter) => letter.reason));

describe('IngestPipeline: no message stops the others', () => {
  let watch: ReturnType<typeof watchRejections>;
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    watch = watchRejections();
  });
  afterEach(() => {
    watch.stop();
    expect(watch.rejections).toEqual([]);
  });

  it('retries a lookup that fails once (a database blip) and stores the message, the later ones after it in order', async () => {
    let failures = 1;
    const { directory, calls, known } = fakeDirectory(async (readings) => {
      if (failures-- > 0) throw connectionRefused();
      return known(readings);
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1, 1, 1]);

    expect(await run(pipeline, ['p1', 'p2', 'p3'])).toEqual(['p1', 'p2', 'p3']);
    expect(calls).toEqual([['p1'], ['p1'], ['p2'], ['p3']]);
    expect(stored(units)).toEqual([[1], [2], [3]]);
    expect(reasons(units)).toEqual([[], [], []]);
  });

  it('dead-letters a message whose lookup keeps failing as lookup-failed, acknowledges it, and goes on', async () => {
    const { directory, calls, known } = fakeDirectory(async (readings) => {
      if (readings.some((reading) => reading.point === 'p2')) throw connectionRefused();
      return known(readings);
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1, 2, 3]);

    expect(await run(pipeline, ['p1', 'p2', 'p3'])).toEqual(['p1', 'p2', 'p3']);
    expect(calls.filter(([point]) => point === 'p2')).toHaveLength(4);
    expect(stored(units)).toEqual([[1], [], [3]]);
    expect(units[1].deadLetters).toEqual([
      {
        source: 'mqtt:test',
        topic: 'test/site/asset',
        payload: 'p2',
        reason: 'lookup-failed',
        detail: 'Error: connect ECONNREFUSED 127.0.0.1:5432 (4 attempts)',
        receivedAt: 1_000,
      },
    ]);
  });

  it('dead-letters every message while the lookup always fails, and each is acknowledged', async () => {
    const { directory } = fakeDirectory(async () => {
      throw connectionRefused();
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1]);

    expect(await run(pipeline, ['p1', 'p2', 'p3'])).toEqual(['p1', 'p2', 'p3']);
    expect(reasons(units)).toEqual([['lookup-failed'], ['lookup-failed'], ['lookup-failed']]);
  });

  it('does not retry a lookup that fails for a reason retrying cannot fix', async () => {
    const refused = Object.assign(new Error('relation "points" does not exist'), { code: '42P01' });
    const { directory, calls } = fakeDirectory(async () => {
      throw refused;
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1, 1, 1]);

    expect(await run(pipeline, ['p1', 'p2'])).toEqual(['p1', 'p2']);
    expect(calls).toEqual([['p1'], ['p2']]);
    expect(units[0].deadLetters.map((letter) => [letter.reason, letter.detail])).toEqual([
      ['lookup-failed', 'Error: relation "points" does not exist'],
    ]);
  });

  it.each([
    [
      'the point lookup',
      {
        resolve: () => {
          throw new TypeError("Cannot read properties of undefined (reading 'pointId')");
        },
      },
      parse,
    ],
    [
      'parsing',
      {},
      (received: ReceivedMessage) => {
        if (received.payload.toString() === 'p2') throw new RangeError('Maximum call stack size exceeded');
        return parse(received);
      },
    ],
  ])('turns a throw in %s into an internal-error dead letter with an error id, and goes on', async (during, fakes, parser) => {
    const { directory, known } = fakeDirectory();
    if ('resolve' in fakes) {
      (directory as { resolve: Resolve }).resolve = async (readings) =>
        readings.some((reading) => reading.point === 'p2') ? fakes.resolve() : known(readings);
    }
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1]);

    expect(await run(pipeline, ['p1', 'p2', 'p3'], parser)).toEqual(['p1', 'p2', 'p3']);
    expect(stored(units)).toEqual([[1], [], [3]]);
    expect(reasons(units)).toEqual([[], ['internal-error'], []]);
    expect(units[1].deadLetters[0].detail).toMatch(new RegExp(`\\(in ${during}; errorId [0-9a-f-]{36}\\)$`));
    expect(units[1].deadLetters[0].payload).toBe('p2');
  });

  it("stores a message's readings as they came, at their own times: derived points are computed from the stored readings, not here", async () => {
    const { directory, calls } = fakeDirectory();
    // what the in-memory derivation on ingest used to add: a value from the newest inputs
    Object.assign(directory, { derived: { derive: () => [{ site: 'site', asset: 'asset', point: 'p9', ts: 2, value: 5, flags: 2 }] } });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1]);
    const twoTimes = (received: ReceivedMessage): ParseResult => ({
      readings: [1, 2].map((ts) => ({ site: 'site', asset: 'asset', point: received.payload.toString(), ts, value: ts * 10, flags: 0 })),
      rejections: [],
    });

    expect(await run(pipeline, ['p1'], twoTimes)).toEqual(['p1']);
    expect(calls).toEqual([['p1', 'p1']]);
    expect(units[0].readings).toEqual([
      { pointId: 1, ts: 1, value: 10, flags: 0 },
      { pointId: 1, ts: 2, value: 20, flags: 0 },
    ]);
  });

  it('keeps the rejections a message already had next to its lookup failure', async () => {
    const { directory } = fakeDirectory(async () => {
      throw connectionRefused();
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, []);
    const withRejection = (received: ReceivedMessage): ParseResult => ({
      ...parse(received),
      rejections: [{ reason: 'bad-value', detail: 'kVAR: "high" is not a number', point: 'kVAR' } satisfies Rejection],
    });

    expect(await run(pipeline, ['p1'], withRejection)).toEqual(['p1']);
    expect(units[0].deadLetters.map((letter) => [letter.reason, letter.detail])).toEqual([
      ['bad-value', 'kVAR: "high" is not a number'],
      ['lookup-failed', 'Error: connect ECONNREFUSED 127.0.0.1:5432'],
    ]);
  });

  it('keeps arrival order while an earlier message waits for its lookup, and idle() waits for all', async () => {
    let release!: () => void;
    const blocked = new Promise<void>((resolve) => (release = resolve));
    const { directory, known } = fakeDirectory(async (readings) => {
      if (readings[0].point === 'p1') await blocked;
      return known(readings);
    });
    const { writer, units } = fakeWriter();
    const pipeline = new IngestPipeline(directory, writer, metrics, [1]);
    const acked: string[] = [];
    for (const point of ['p1', 'p2', 'p3']) pipeline.accept(message(point), parse, () => acked.push(point));

    let idle = false;
    const waiting = pipeline.idle().then(() => (idle = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(acked).toEqual([]);
    expect(idle).toBe(false);
    release();
    await waiting;
    expect(acked).toEqual(['p1', 'p2', 'p3']);
    expect(stored(units)).toEqual([[1], [2], [3]]);
  });
});
