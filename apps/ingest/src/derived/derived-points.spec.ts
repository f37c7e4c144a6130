import { compileExpression } from 'filtrex';
import {
  DerivedDefinition,
  DerivedDefinitions,
  DerivedPoints,
  deriveSeries,
  Evaluate,
  expressionInputs,
  MAX_INPUT_AGE_MS,
  Sample,
} from './derived-points';

const T = Date.parse('2025-07-01T14:00:00+08:00');
const S = 1_000;
const MIN = 60_000;
const series = (...pairs: Array<[number, number]>): Sample[] => pairs.map(([ts, value]) => ({ ts, value }));
const evaluate = (expression: string) => compileExpression(expression) as Evaluate;
/** Everything the inputs have, from long before to long after. */
const ALL: [number, number] = [T - 60 * MIN, T + 60 * MIN];

describe('expressionInputs', () => {
  it.each([
    ['chiller-1', 'kW / tons', ['chiller-1/kW', 'chiller-1/tons']],
    ['chiller-1', '3.517 / (kW / tons)', ['chiller-1/kW', 'chiller-1/tons']],
    ['building', "'main-incomer.kW' - 'pv-roof.kW'", ['main-incomer/kW', 'pv-roof/kW']],
    ['chiller-1', 'max(chwrT - chwsT, 0)', ['chiller-1/chwrT', 'chiller-1/chwsT']],
  ])('%s: %s uses %j', (asset, expression, keys) => {
    expect(
      expressionInputs(asset, expression)
        .map((input) => input.key)
        .sort(),
    ).toEqual([...keys].sort());
  });
});

describe('deriveSeries: the value at each input time, from the inputs as of that time', () => {
  it('gives each of two samples per input in one message its own inputs (delta-T 5 then 6.5, not 6.5 twice)', () => {
    const inputs = [
      { name: 'chwsT', samples: series([T, 7], [T + MIN, 6]) },
      { name: 'chwrT', samples: series([T, 12], [T + MIN, 12.5]) },
    ];
    expect(deriveSeries(evaluate('chwrT - chwsT'), inputs, ...ALL)).toEqual(series([T, 5], [T + MIN, 6.5]));
  });

  it('holds each input from its own samples when the inputs come at different times', () => {
    const inputs = [
      { name: 'kW', samples: series([T, 100], [T + 30 * S, 150], [T + 60 * S, 120]) },
      { name: 'tons', samples: series([T + 10 * S, 200], [T + 50 * S, 300]) },
    ];
    // at T there are no tons yet; then kW/tons with whatever each last said
    expect(deriveSeries(evaluate('kW / tons'), inputs, ...ALL)).toEqual(
      series([T + 10 * S, 0.5], [T + 30 * S, 0.75], [T + 50 * S, 0.5], [T + 60 * S, 0.4]),
    );
  });

  it('uses an input at most MAX_INPUT_AGE_MS old (5 minutes: still at exactly 5, not after), and never a later one', () => {
    expect(MAX_INPUT_AGE_MS).toBe(5 * MIN);
    const inputs = [
      { name: 'main-incomer.kW', samples: series([T, 3000], [T + 6 * MIN, 3100], [T + 6 * MIN + 1, 3200]) },
      { name: 'pv-roof.kW', samples: series([T + MIN, 80]) },
    ];
    expect(deriveSeries(evaluate("'main-incomer.kW' - 'pv-roof.kW'"), inputs, ...ALL)).toEqual(
      series([T + MIN, 2920], [T + 6 * MIN, 3020]),
    );
  });

  it('gives no value where the result is not a number the store can hold', () => {
    const inputs = [
      { name: 'kW', samples: series([T, 0], [T + S, 5], [T + 2 * S, 1e300], [T + 3 * S, 450]) },
      { name: 'tons', samples: series([T, 0], [T + S, 0], [T + 2 * S, 1e-10], [T + 3 * S, 600]) },
    ];
    // 0/0 is NaN, 5/0 is Infinity, 1e300/1e-10 is beyond what the rollups can sum
    expect(deriveSeries(evaluate('kW / tons'), inputs, ...ALL)).toEqual(series([T + 3 * S, 0.75]));
    expect(deriveSeries(evaluate('kW > tons'), inputs, ...ALL)).toEqual([]);
    const throwing: Evaluate = () => {
      throw new Error('no');
    };
    expect(deriveSeries(throwing, inputs, ...ALL)).toEqual([]);
  });

  it('lets a late input sample change the later values until that input’s next sample, and no others', () => {
    const chwrT = { name: 'chwrT', samples: series([T, 12], [T + MIN, 12], [T + 2 * MIN, 12], [T + 3 * MIN, 12]) };
    const before = [{ name: 'chwsT', samples: series([T, 7], [T + 2 * MIN, 6]) }, chwrT];
    expect(deriveSeries(evaluate('chwrT - chwsT'), before, ...ALL)).toEqual(
      series([T, 5], [T + MIN, 5], [T + 2 * MIN, 6], [T + 3 * MIN, 6]),
    );
    const late = [{ name: 'chwsT', samples: series([T, 7], [T + 30 * S, 8], [T + 2 * MIN, 6]) }, chwrT];
    expect(deriveSeries(evaluate('chwrT - chwsT'), late, ...ALL)).toEqual(
      series([T, 5], [T + 30 * S, 4], [T + MIN, 4], [T + 2 * MIN, 6], [T + 3 * MIN, 6]),
    );
  });

  it('gives values only at times inside the window, holding a sample from before it', () => {
    const inputs = [
      { name: 'a', samples: series([T, 1], [T + MIN, 2], [T + 2 * MIN, 3]) },
      { name: 'b', samples: series([T - 4 * MIN, 10]) },
    ];
    expect(deriveSeries(evaluate('a + b'), inputs, T + 30 * S, T + MIN)).toEqual(series([T + MIN, 12]));
    // b holds 5 minutes: for a at T and T + 1 min, not at T + 2 min
    expect(deriveSeries(evaluate('a + b'), inputs, T - 10 * MIN, T + 10 * MIN)).toEqual(series([T, 11], [T + MIN, 12]));
  });
});

describe('DerivedDefinitions', () => {
  const ids: Record<string, number> = {
    'hall/chiller-1/kW': 1,
    'hall/chiller-1/tons': 2,
    'hall/chiller-1/chwsT': 3,
    'hall/chiller-1/chwrT': 4,
    'hall/chiller-1/kWPerRt': 10,
    'hall/chiller-1/deltaT': 11,
    'hall/chiller-1/cop': 12,
    'hall/main-incomer/kW': 20,
    'hall/pv-roof/kW': 21,
    'hall/main-incomer/netKw': 22,
    'hall/chiller-1/copOfKwPerRt': 13,
    'hall/loop/a': 30,
    'hall/loop/b': 31,
    'hall/loop/c': 32,
  };
  const pointIdOf = (site: string, asset: string, point: string) => ids[`${site}/${asset}/${point}`];
  const definition = (asset: string, point: string, expression: string): DerivedDefinition => ({
    pointId: ids[`hall/${asset}/${point}`] ?? 99,
    site: 'hall',
    asset,
    point,
    expression,
  });
  const definitions = [
    definition('chiller-1', 'kWPerRt', 'kW / tons'),
    definition('chiller-1', 'deltaT', 'chwrT - chwsT'),
    definition('chiller-1', 'cop', '3.517 / (kW / tons)'),
    definition('chiller-1', 'copOfKwPerRt', '3.517 / kWPerRt'),
    definition('main-incomer', 'netKw', "kW - 'pv-roof.kW'"),
    definition('loop', 'a', 'b + 1'),
    definition('loop', 'b', 'a + 1'),
    definition('loop', 'c', 'a * 2'),
    definition('chiller-1', 'unknownInput', 'kW / flow'),
    definition('chiller-1', 'broken', 'kW / / tons'),
  ];
  const derived = new DerivedDefinitions(definitions, pointIdOf);
  const samples = new Map([
    [1, series([T, 450])],
    [2, series([T, 600])],
    [3, series([T, 7])],
    [4, series([T, 12.2])],
    [10, series([T, 0.75])],
  ]);
  const at = (pointId: number) => derived.values({ pointId, from: T, to: T }, samples);

  it('computes kW/RT, COP and delta-T of a chiller, and a derived point of a derived point', () => {
    expect(at(10)).toEqual(series([T, 0.75]));
    expect(at(12)[0].value).toBeCloseTo(4.6893, 4);
    expect(at(11)[0].value).toBeCloseTo(5.2, 12);
    expect(at(13)[0].value).toBeCloseTo(4.6893, 4);
    expect(derived.isInput(10)).toBe(true);
    expect(derived.isInput(11)).toBe(false);
  });

  it('leaves out points with an unknown input, an expression that does not compile, or inputs that depend on themselves', () => {
    expect(derived.ignored.map((ignored) => ignored.point).sort()).toEqual(
      ['hall/chiller-1/broken', 'hall/chiller-1/unknownInput', 'hall/loop/a', 'hall/loop/b', 'hall/loop/c'].sort(),
    );
    expect(derived.windows([{ pointId: 30, from: T, to: T }])).toEqual([]);
  });

  it('has no definitions until the registry is loaded, and reports a point left out once', () => {
    const points = new DerivedPoints();
    expect(points.current).toBeUndefined();
    expect(points.define(definitions, pointIdOf)).toHaveLength(5);
    expect(points.current?.inputsOf(11)).toEqual([4, 3]);
    expect(points.define(definitions, pointIdOf)).toEqual([]);
  });

  it('gives the windows new readings may change: an input span and MAX_INPUT_AGE_MS after it, a derived point’s own span', () => {
    expect(
      derived.windows([
        { pointId: 1, from: T, to: T + MIN },
        { pointId: 2, from: T + 3 * MIN, to: T + 4 * MIN },
        { pointId: 21, from: T, to: T },
        { pointId: 11, from: T - MIN, to: T },
        { pointId: 50, from: T, to: T },
      ]),
    ).toEqual([
      { pointId: 10, from: T, to: T + 9 * MIN },
      { pointId: 11, from: T - MIN, to: T },
      { pointId: 12, from: T, to: T + 9 * MIN },
      { pointId: 22, from: T, to: T + 5 * MIN },
    ]);
  });
});
