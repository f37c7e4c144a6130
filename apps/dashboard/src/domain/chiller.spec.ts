import { chillerSnapshot, chillerValues, efficiencyLevel, kwPerRt, plantTotals, runBadges } from './chiller';

const chiller = (running: number | null, kW: number | null, tons: number | null, chwsT: number | null = 7, chwrT: number | null = 12) =>
  chillerSnapshot({ running, kW, tons, chwsT, chwrT });

describe('chillers', () => {
  it('computes delta-T and kW/RT of a running chiller', () => {
    const snapshot = chiller(1, 420, 600, 7.2, 12.4);
    expect(snapshot.isRunning).toBe(true);
    expect(snapshot.deltaT).toBeCloseTo(5.2);
    expect(snapshot.kwPerRt).toBeCloseTo(0.7);
  });

  it.each<[string, boolean | null, number | null, number | null]>([
    ['stopped', false, 420, 600],
    ['of unknown state', null, 420, 600],
    ['without tons', true, 420, null],
    ['with no load', true, 15, 0],
    ['without kW', true, null, 600],
  ])('gives no kW/RT for a chiller %s', (_case, running, kW, tons) => {
    expect(kwPerRt(running, kW, tons)).toBeNull();
  });

  it('has no delta-T without both temperatures', () => {
    expect(chiller(1, 400, 500, null, 12).deltaT).toBeNull();
  });

  it('totals the plant: all kW, running tons, kW/RT over the running chillers', () => {
    const totals = plantTotals([chiller(1, 420, 600), chiller(1, 380, 500), chiller(0, 12, 0), chiller(null, null, null)]);
    expect(totals).toEqual({ running: 2, total: 4, kW: 812, tons: 1100, kwPerRt: 800 / 1100 });
  });

  it('has no plant kW/RT when nothing runs', () => {
    expect(plantTotals([chiller(0, 10, 0)])).toMatchObject({ running: 0, kW: 10, tons: null, kwPerRt: null });
    expect(plantTotals([])).toMatchObject({ running: 0, total: 0, kW: null, kwPerRt: null });
  });

  it.each([
    [0.6, 'good'],
    [0.75, 'good'],
    [0.9, 'fair'],
    [1.1, 'fair'],
    [1.25, 'poor'],
  ])('rates %p kW/RT as %p', (value, level) => {
    expect(efficiencyLevel(value)).toBe(level);
  });

  it('reads each value from the point its tags name, whatever its key', () => {
    const newest: Record<string, number> = { on: 1, P: 420, chwl: 7.1, chwe: 12.3, rt: 600, chwsT: 99, kW: 99 };
    const points = {
      asset: 'ch-north',
      running: 'on',
      runState: 'state',
      alarm: 'trip',
      power: 'P',
      leavingTemp: 'chwl',
      enteringTemp: 'chwe',
      capacity: 'rt',
    };
    expect(chillerValues(points, (point) => newest[point] ?? null)).toEqual({ running: 1, kW: 420, chwsT: 7.1, chwrT: 12.3, tons: 600 });
    const bare = { ...points, running: null, power: null, leavingTemp: null, enteringTemp: null, capacity: null };
    expect(chillerValues(bare, (point) => newest[point] ?? null)).toEqual({
      running: null,
      kW: null,
      chwsT: null,
      chwrT: null,
      tons: null,
    });
  });

  it.each<[string, boolean | null, boolean, string | null, ReturnType<typeof runBadges>]>([
    ['running, no run state', true, false, null, [{ tone: 'ok', message: 'status.running' }]],
    ['stopped, no run state', false, false, null, [{ tone: 'neutral', message: 'status.stopped' }]],
    ['unknown, no run state', null, false, null, [{ tone: 'neutral', message: 'status.unknown' }]],
    [
      'stopped in alarm, no run state',
      false,
      true,
      null,
      [
        { tone: 'neutral', message: 'status.stopped' },
        { tone: 'bad', message: 'status.alarm' },
      ],
    ],
    ['running, run state on', true, false, '運轉', [{ tone: 'ok', text: '運轉' }]],
    ['stopped, run state off', false, false, 'Off', [{ tone: 'neutral', text: 'Off' }]],
    // the run state says it: one red badge, not the state and a second "fault"
    ['tripped, run state fault', false, true, '故障', [{ tone: 'bad', text: '故障' }]],
    [
      'running yet in alarm',
      true,
      true,
      'On',
      [
        { tone: 'ok', text: 'On' },
        { tone: 'bad', message: 'status.alarm' },
      ],
    ],
  ])('status cell of a chiller %s', (_case, isRunning, alarm, stateText, badges) => {
    expect(runBadges(isRunning, alarm, stateText)).toEqual(badges);
  });
});
