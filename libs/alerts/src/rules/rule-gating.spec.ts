import { evaluateRule, ReadingSample, RuleChange, RuleState, SiteClock } from './rule-evaluator';
import { RuleDefinition } from './rule-definition';
import { parseOccupiedHours } from './schedule';

const MIN = 60_000;
const TAIPEI: SiteClock = { zone: 'Asia/Taipei' };
const deltaT = { asset: 'chiller-1', point: 'deltaT' };
const running = { asset: 'chiller-1', point: 'running' };
const temp = { asset: 'zone-2f-east', point: 'temp' };

const lowDeltaT: RuleDefinition = {
  id: 'starter.hall.chiller-low-delta-t.chiller-1',
  name: 'Chiller 1: chilled-water delta-T below 4 °C for 20 min',
  kind: 'chiller-low-delta-t',
  severity: 'P3',
  site: 'hall',
  target: 'chiller-1',
  condition: { type: 'threshold', point: deltaT, below: 4, forSeconds: 1200, hysteresis: 0.5 },
  appliesWhen: { running },
};
const tooWarm: RuleDefinition = {
  id: 'starter.hall.zone-too-warm.zone-2f-east',
  name: '2F East zone: room temperature above 28 °C for 15 min',
  severity: 'P3',
  site: 'hall',
  target: 'zone-2f-east',
  condition: { type: 'threshold', point: temp, above: 28, forSeconds: 900, hysteresis: 0.5 },
  appliesWhen: { occupied: true },
};

/** One reading a minute of each point from `start`, for `count` minutes. */
function everyMinute(start: number, count: number, values: Array<[{ asset: string; point: string }, number]>): ReadingSample[] {
  return Array.from({ length: count }, (_, i) => values.map(([point, value]) => ({ ...point, ts: start + i * MIN, value }))).flat();
}

/** Feeds the readings minute by minute (as live batches come), collecting the changes. */
function run(rule: RuleDefinition, samples: ReadingSample[], clock: SiteClock = TAIPEI, state?: RuleState) {
  const changes: RuleChange[] = [];
  const minutes = [...new Set(samples.map((s) => s.ts))].sort((a, b) => a - b);
  for (const ts of minutes) {
    const result = evaluateRule(
      rule,
      state,
      samples.filter((s) => s.ts === ts),
      ts,
      clock,
    );
    state = result.state;
    changes.push(...result.changes);
  }
  return { state: state!, changes };
}

describe('equipment rules apply while the equipment runs', () => {
  const night = Date.parse('2026-01-13T01:00:00+08:00');

  it('a stopped chiller at night raises nothing, however low its delta-T', () => {
    const { changes, state } = run(
      lowDeltaT,
      everyMinute(night, 60, [
        [running, 0],
        [deltaT, 0.3],
      ]),
    );
    expect(changes).toEqual([]);
    // A positive marker that the hour was evaluated: the last readings were seen.
    expect(state.lastSeen['chiller-1/deltaT']).toBe(night + 59 * MIN);
    expect(state.running).toBe(false);
  });

  it('the same delta-T while running opens after 20 minutes, with the facts of the breach', () => {
    const { changes } = run(
      lowDeltaT,
      everyMinute(night, 60, [
        [running, 1],
        [deltaT, 0.3],
      ]),
    );
    expect(changes.map((c) => [c.kind, (c.at - night) / MIN])).toEqual([['open', 20]]);
    expect(changes[0].breaches).toEqual([{ type: 'threshold', point: deltaT, value: 0.3, limit: 4, direction: 'below', seconds: 1200 }]);
  });

  it('counts from the start: a chiller that starts after a night at rest gets its full 20 minutes', () => {
    const stopped = everyMinute(night, 60, [
      [running, 0],
      [deltaT, 0.3],
    ]);
    const started = everyMinute(night + 60 * MIN, 30, [
      [running, 1],
      [deltaT, 3],
    ]);
    const { changes } = run(lowDeltaT, [...stopped, ...started]);
    // Running from 02:00 with delta-T 3 °C: 20 minutes later, at 02:20, not at 02:00.
    expect(changes.map((c) => [c.kind, (c.at - night) / MIN])).toEqual([['open', 80]]);
  });

  it('resolves when the chiller stops', () => {
    const runs = everyMinute(night, 25, [
      [running, 1],
      [deltaT, 2],
    ]);
    const stops = everyMinute(night + 25 * MIN, 2, [
      [running, 0],
      [deltaT, 0.2],
    ]);
    const { changes } = run(lowDeltaT, [...runs, ...stops]);
    expect(changes.map((c) => [c.kind, (c.at - night) / MIN, c.detail, c.reason])).toEqual([
      ['open', 20, 'chiller-1.deltaT 2 below 4 for 20 min', undefined],
      ['resolve', 25, `${lowDeltaT.name}: equipment not running`, 'not-running'],
    ]);
  });
});

describe('comfort rules apply in occupied hours', () => {
  it('a warm room at night raises nothing; the same room on a Tuesday morning does', () => {
    const night = Date.parse('2026-07-07T20:00:00+08:00');
    expect(run(tooWarm, everyMinute(night, 60, [[temp, 29.5]])).changes).toEqual([]);
    const morning = Date.parse('2026-07-07T09:00:00+08:00');
    expect(run(tooWarm, everyMinute(morning, 20, [[temp, 29.5]])).changes.map((c) => [c.kind, (c.at - morning) / MIN])).toEqual([
      ['open', 15],
    ]);
  });

  it("follows the site's own occupied hours, on its clock, and resolves when they end", () => {
    // Saturday 09:00-12:00 occupied in this building.
    const hours = parseOccupiedHours('1-5 08:00-18:00; 6 09:00-12:00')!;
    const saturday = Date.parse('2026-07-11T11:30:00+08:00');
    const { changes } = run(tooWarm, everyMinute(saturday, 40, [[temp, 29.5]]), { zone: 'Asia/Taipei', occupiedHours: hours });
    expect(changes.map((c) => [c.kind, (c.at - saturday) / MIN, c.reason])).toEqual([
      ['open', 15, undefined],
      ['resolve', 30, 'unoccupied'],
    ]);
    expect(run(tooWarm, everyMinute(saturday, 40, [[temp, 29.5]])).changes).toEqual([]);
  });

  it('reads occupied hours from the registry attribute, and refuses what it cannot read', () => {
    expect(parseOccupiedHours('1-5 08:00-18:00; 6 09:00-12:00')).toEqual([
      { days: [1, 2, 3, 4, 5], from: '08:00', to: '18:00' },
      { days: [6], from: '09:00', to: '12:00' },
    ]);
    expect(parseOccupiedHours('weekdays 8-6')).toBeNull();
    expect(parseOccupiedHours('5-1 08:00-18:00')).toBeNull();
  });
});

describe('an alert resolved by hand while its condition holds', () => {
  it('opens again at the next evaluation, saying it re-opened', () => {
    const morning = Date.parse('2026-07-07T09:00:00+08:00');
    const { state, changes } = run(tooWarm, everyMinute(morning, 16, [[temp, 29.5]]));
    expect(changes.map((c) => c.kind)).toEqual(['open']);
    // What AlertStateStore.markResolvedByHand does to the stored state.
    const handResolved: RuleState = { ...state, open: false, openedAt: undefined, resolvedByHand: true };
    const next = evaluateRule(tooWarm, handResolved, [], morning + 16 * MIN, TAIPEI);
    expect(next.changes.map((c) => [c.kind, (c.at - morning) / MIN, c.reopened])).toEqual([['open', 16, true]]);
    expect(next.state.resolvedByHand).toBeUndefined();
  });

  it('says so once: the re-opened alert resolves when the room cools, and a later breach is a plain open', () => {
    const morning = Date.parse('2026-07-07T09:00:00+08:00');
    const { state } = run(tooWarm, everyMinute(morning, 16, [[temp, 29.5]]));
    const handResolved: RuleState = { ...state, open: false, openedAt: undefined, resolvedByHand: true };
    // The condition is debounced: 26 °C must last the 15 minutes of the rule's duration to clear it.
    const cooled = run(tooWarm, everyMinute(morning + 16 * MIN, 20, [[temp, 26]]), TAIPEI, handResolved);
    expect(cooled.changes.map((c) => [c.kind, (c.at - morning) / MIN, c.reopened, c.reason])).toEqual([
      ['open', 16, true, undefined],
      ['resolve', 31, undefined, 'cleared'],
    ]);
    const warmAgain = run(tooWarm, everyMinute(morning + 36 * MIN, 16, [[temp, 29.5]]), TAIPEI, cooled.state);
    expect(warmAgain.changes.map((c) => [c.kind, c.reopened])).toEqual([['open', undefined]]);
  });
});
