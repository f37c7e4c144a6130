import { DerivedPoints, expressionInputs } from './derived-points';

const T = Date.parse('2025-07-01T14:00:00+08:00');
const reading = (asset: string, point: string, value: number, ts = T) => ({ site: 'hall', asset, point, ts, value, flags: 0 });

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

describe('DerivedPoints', () => {
  const derived = new DerivedPoints([
    { site: 'hall', asset: 'chiller-1', point: 'kWPerRt', expression: 'kW / tons' },
    { site: 'hall', asset: 'chiller-1', point: 'deltaT', expression: 'chwrT - chwsT' },
    { site: 'hall', asset: 'chiller-1', point: 'cop', expression: '3.517 / (kW / tons)' },
    { site: 'hall', asset: 'building', point: 'netKw', expression: "'main-incomer.kW' - 'pv-roof.kW'" },
  ]);

  it('computes kW/RT, COP and delta-T from one message of the chiller', () => {
    const out = derived.derive([
      reading('chiller-1', 'kW', 450),
      reading('chiller-1', 'tons', 600),
      reading('chiller-1', 'chwsT', 7),
      reading('chiller-1', 'chwrT', 12.2),
    ]);
    expect(Object.fromEntries(out.map((r) => [r.point, Number(r.value.toFixed(4))]))).toEqual({ kWPerRt: 0.75, cop: 4.6893, deltaT: 5.2 });
    expect(out.every((r) => r.ts === T && r.flags === 2)).toBe(true);
  });

  it('gives nothing for a stopped chiller (division by zero) or a missing input', () => {
    const fresh = new DerivedPoints([{ site: 'hall', asset: 'chiller-2', point: 'kWPerRt', expression: 'kW / tons' }]);
    expect(fresh.derive([reading('chiller-2', 'kW', 0), reading('chiller-2', 'tons', 0)])).toEqual([]);
    expect(new DerivedPoints([{ site: 'hall', asset: 'c', point: 'x', expression: 'kW / tons' }]).derive([reading('c', 'kW', 5)])).toEqual(
      [],
    );
  });

  it('computes net load across assets from the latest values, and not from stale ones', () => {
    expect(derived.derive([reading('main-incomer', 'kW', 3000)])).toEqual([]);
    expect(derived.derive([reading('pv-roof', 'kW', 80, T + 5000)])).toEqual([
      { site: 'hall', asset: 'building', point: 'netKw', ts: T + 5000, value: 2920, flags: 2 },
    ]);
    expect(derived.derive([reading('pv-roof', 'kW', 90, T + 10 * 60_000)])).toEqual([]);
  });
});
