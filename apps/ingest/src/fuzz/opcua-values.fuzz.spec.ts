import fc from 'fast-check';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import { OpcuaValue } from '../opcua/opcua-endpoint.connection';
import { opcuaPayload, opcuaReadings } from '../opcua/opcua-values';
import {
  expectAccounted,
  expectNoPollution,
  expectWellFormed,
  FINITE_VALUE,
  FUZZ_RUNS,
  FUZZ_SEED,
  LIMITS,
  NOW,
  ReasonTally,
} from './fuzz-checks';

const SITE = 'opcua-hall';
const endpoint: OpcuaEndpointDefinition = {
  key: 'chillers',
  url: 'opc.tcp://127.0.0.1:4840/UA/Chillers',
  securityMode: 'None',
  securityPolicy: 'None',
  auth: 'anonymous',
  publishingIntervalMs: 1000,
  samplingIntervalMs: 1000,
  queueSize: 10,
  mappings: [
    { nodeId: 'ns=1;s=Chiller1.kW', asset: 'chiller-1', point: 'kW' },
    { nodeId: 'ns=1;s=Chiller1.chwsT', asset: 'chiller-1', point: 'chwsT' },
    { nodeId: 'ns=1;s=Chiller1.running', asset: 'chiller-1', point: 'running' },
  ],
};

/** Nesting built in a loop, so building it cannot overflow the stack the code under test must not. */
function deepArray(depth: number): unknown {
  let value: unknown = [1];
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}
function deepObject(depth: number): unknown {
  let value: unknown = { value: 1 };
  for (let i = 0; i < depth; i++) value = { inner: value };
  return value;
}
function cycle(): unknown {
  const node: Record<string, unknown> = { name: 'loop' };
  node.self = node;
  node.list = [node, [node]];
  return node;
}
function hostileProxy(): unknown {
  return new Proxy(
    {},
    {
      get: () => {
        throw new Error('trap');
      },
      ownKeys: () => {
        throw new Error('trap');
      },
      getPrototypeOf: () => {
        throw new Error('trap');
      },
    },
  );
}

/** Whatever a server's Variant may hold, and worse: what node-opcua hands over is not validated. */
const ANY_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: FINITE_VALUE },
  fc.boolean(),
  fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308, 5e-324, -0, null, undefined),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer({ min: 1, max: 1_000_000 }).map((length) => `\u0000${'9'.repeat(length)}`),
  fc.bigInt().map((value) => value),
  fc.integer({ min: 0, max: 2 ** 31 - 1 }).map((low) => [0, low] /* Int64 as node-opcua sends it */),
  fc.integer({ min: 0, max: 200_000 }).map((length) => new Float64Array(length).fill(1.5)),
  fc.integer({ min: 0, max: 100_000 }).map(deepArray),
  fc.integer({ min: 0, max: 100_000 }).map(deepObject),
  fc.integer({ min: 0, max: 100_000 }).map((length) => Array.from({ length }, (_, i) => i)),
  fc
    .integer({ min: 0, max: 10_000 })
    .map((keys) => Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${'x'.repeat(i % 300)}${i}`, i]))),
  fc.constantFrom(new Date(NaN), new Date(NOW), Symbol('s'), () => 1, Buffer.from([0, 1, 2])),
  fc.constant(null).map(cycle),
  fc.constant(null).map(hostileProxy),
  fc.anything({
    maxDepth: 4,
    withBigInt: true,
    withDate: true,
    withTypedArray: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
  }),
);

const ANY_TS: fc.Arbitrary<number | undefined> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: NOW - LIMITS.maxAgeMs, max: NOW + LIMITS.maxFutureMs }) },
  fc.constant(undefined),
  fc.constantFrom(NaN, Infinity, -Infinity, 0, -1, 8.64e15 + 1, 1e300, NOW + 86_400_000),
);

const ANY_CHANGE: fc.Arbitrary<OpcuaValue> = fc.record({
  mapping: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 0, max: endpoint.mappings.length - 1 }) }, fc.constantFrom(-1, 3, 1.5, NaN)),
  value: ANY_VALUE,
  ts: ANY_TS,
  quality: fc.oneof({ weight: 4, arbitrary: fc.constant<'good'>('good') }, fc.constantFrom<'uncertain' | 'bad'>('uncertain', 'bad')),
  status: fc.oneof(fc.constantFrom('Good', 'BadNodeIdUnknown', 'UncertainLastUsableValue'), fc.string({ unit: 'binary', maxLength: 2000 })),
});

const tally = new ReasonTally();

function checked(values: OpcuaValue[]) {
  const result = opcuaReadings(SITE, endpoint, values, NOW, LIMITS);
  expectWellFormed(result, NOW, LIMITS);
  // One reading or one rejection for every change: none lost, none counted twice.
  expectAccounted(result, values.length);
  expect(result.readings.length + result.rejections.length).toBe(values.length);
  expectNoPollution();
  tally.add(result);
  return result;
}

describe('OPC UA values under fuzzing', () => {
  afterAll(() => process.stdout.write(tally.line('opcua-values')));

  it('stores every good number or boolean with a valid time, as sent, on its mapped point', () => {
    const valid = fc.record({
      mapping: fc.integer({ min: 0, max: endpoint.mappings.length - 1 }),
      value: fc.oneof(FINITE_VALUE, fc.boolean()),
      ts: fc.option(fc.integer({ min: NOW - LIMITS.maxAgeMs, max: NOW + LIMITS.maxFutureMs }), { nil: undefined }),
      quality: fc.constant<'good'>('good'),
      status: fc.constant('Good'),
    });
    fc.assert(
      fc.property(fc.array(valid, { maxLength: 20 }), (values) => {
        const result = checked(values);
        expect(result.rejections).toEqual([]);
        expect(result.readings).toEqual(
          values.map((change) => ({
            site: SITE,
            asset: 'chiller-1',
            point: endpoint.mappings[change.mapping].point,
            ts: change.ts ?? NOW,
            value: Number(change.value),
            flags: change.ts === undefined ? 1 : 0,
          })),
        );
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS },
    );
  });

  it('never throws on any value, time, status or mapping: each change becomes a reading or a rejection with a reason', () => {
    fc.assert(
      fc.property(fc.array(ANY_CHANGE, { maxLength: 6 }), (values) => {
        checked(values);
        // The dead letters' payload: always JSON, never more than a bounded rendering per change.
        const payload = opcuaPayload(values);
        expect(() => JSON.parse(payload.toString('utf8')) as unknown).not.toThrow();
        expect(payload.length).toBeLessThanOrEqual(1_000 + values.length * 2_000);
      }),
      { seed: FUZZ_SEED, numRuns: FUZZ_RUNS / 4 },
    );
  });

  it('refuses 100,000 levels of nesting, a cycle, a BigInt and a throwing proxy with short details', () => {
    const values: OpcuaValue[] = [deepArray(100_000), deepObject(100_000), cycle(), 10n, hostileProxy()].map((value) => ({
      mapping: 0,
      value,
      ts: NOW,
      quality: 'good',
      status: 'Good',
    }));
    const result = checked(values);
    expect(result.rejections.map((rejection) => rejection.detail)).toEqual([
      'ns=1;s=Chiller1.kW -> chiller-1/kW: [[[[[…]]]]] is not a number (0 or 1e-300 to 1e300 in size) or boolean',
      'ns=1;s=Chiller1.kW -> chiller-1/kW: {"inner":{"inner":{"inner":{"inner":{…}}}}} is not a number (0 or 1e-300 to 1e300 in size) or boolean',
      'ns=1;s=Chiller1.kW -> chiller-1/kW: {"name":"loop","self":{"name":"loop","self":{"name":"loop","self":{"name":"loop… is not a number (0 or 1e-300 to 1e300 in size) or boolean',
      'ns=1;s=Chiller1.kW -> chiller-1/kW: 10n is not a number (0 or 1e-300 to 1e300 in size) or boolean',
      'ns=1;s=Chiller1.kW -> chiller-1/kW: (unreadable) is not a number (0 or 1e-300 to 1e300 in size) or boolean',
    ]);
    expect(() => opcuaPayload(values)).not.toThrow();
  });

  it('refuses a number a float8 rollup cannot sum, and a timestamp that is not a date', () => {
    const result = checked([
      { mapping: 0, value: 1e308, ts: NOW, quality: 'good', status: 'Good' },
      { mapping: 1, value: 5e-324, ts: NOW, quality: 'good', status: 'Good' },
      { mapping: 2, value: true, ts: NaN, quality: 'good', status: 'Good' },
    ]);
    expect(result.rejections.map((rejection) => [rejection.reason, rejection.point])).toEqual([
      ['bad-value', 'kW'],
      ['bad-value', 'chwsT'],
      ['bad-timestamp', 'running'],
    ]);
  });
});
