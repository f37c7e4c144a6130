import { evaluateRule, ReadingSample, RuleChange, RuleState } from './rule-evaluator';
import { Condition, RuleDefinition } from './rule-definition';

const ZONE = 'Asia/Taipei';
const T0 = Date.parse('2026-07-06T09:00:00+08:00'); // a Monday
const MIN = 60_000;
const chwsT = { asset: 'chiller-1', point: 'chwsT' };

const rule = (condition: Condition, extra: Partial<RuleDefinition> = {}): RuleDefinition => ({
  id: 'r',
  name: 'test rule',
  severity: 'P2',
  site: 's',
  target: 'chiller-1',
  condition,
  ...extra,
});
const supplyAbove9 = rule({ type: 'threshold', point: chwsT, above: 9, forSeconds: 600, hysteresis: 0.5 });

/** One reading a minute from T0: the values given. */
const minutes = (values: number[], point = chwsT, start = T0): ReadingSample[] =>
  values.map((value, i) => ({ ...point, ts: start + i * MIN, value }));

/** Feeds samples one call at a time (as live batches do), collecting the changes. */
function run(r: RuleDefinition, samples: ReadingSample[], state?: RuleState) {
  const changes: RuleChange[] = [];
  for (const sample of samples) {
    const result = evaluateRule(r, state, [sample], sample.ts, ZONE);
    state = result.state;
    changes.push(...result.changes);
  }
  return { state: state!, changes };
}

describe('threshold with duration and hysteresis', () => {
  it('opens once after the duration, stays open through repeats, and resolves after the clear duration', () => {
    // 9.6 °C from 09:00: the breach is 10 minutes old at 09:10.
    const { state, changes } = run(supplyAbove9, minutes([...Array(20).fill(9.6), ...Array(9).fill(8.6), ...Array(12).fill(8.4)]));
    expect(changes.map((c) => [c.kind, (c.at - T0) / MIN])).toEqual([
      ['open', 10],
      // 8.6 is inside the hysteresis band (9 − 0.5 = 8.5): not yet clear; 8.4 from minute 29, clear for 10 minutes at 39.
      ['resolve', 39],
    ]);
    expect(changes[0].detail).toBe('chiller-1.chwsT 9.6 above 9 for 10 min');
    expect(state.open).toBe(false);
  });

  it('opens nothing for a signal flapping inside the band with short excursions', () => {
    const flapping = Array.from({ length: 120 }, (_, i) => (Math.floor(i / 7) % 2 === 0 ? 9.3 : 8.8));
    expect(run(supplyAbove9, minutes(flapping)).changes).toEqual([]);
  });

  it('works below a limit too', () => {
    const zone = rule({ type: 'threshold', point: { asset: 'zone', point: 'setpoint' }, below: 26, forSeconds: 300, hysteresis: 0 });
    const { changes } = run(zone, minutes([25, 25, 25, 25, 25, 25, 26, 26, 26, 26, 26, 26], { asset: 'zone', point: 'setpoint' }));
    expect(changes.map((c) => [c.kind, (c.at - T0) / MIN])).toEqual([
      ['open', 5],
      ['resolve', 11],
    ]);
  });

  it('completes a duration on a tick when readings stop while the value stays past the limit', () => {
    const { state } = run(supplyAbove9, minutes([9.6, 9.6]));
    const tick = evaluateRule(supplyAbove9, state, [], T0 + 11 * MIN, ZONE);
    expect(tick.changes.map((c) => c.kind)).toEqual(['open']);
  });

  it('says a duration under a minute in seconds, not "for 0 min"', () => {
    const plcDown = rule({ type: 'threshold', point: { asset: '$source', point: 'opcua:plc' }, below: 0.5, forSeconds: 5, hysteresis: 0 });
    const samples = [0, 0].map((value, i) => ({ asset: '$source', point: 'opcua:plc', ts: T0 + i * 5000, value }));
    expect(run(plcDown, samples).changes.map((c) => c.detail)).toEqual(['$source.opcua:plc 0 below 0.5 for 5 s']);
  });

  it("says why, when the samples say it: a source's reason for being offline, the latest before the alert opens on a tick", () => {
    const plcDown = rule({ type: 'threshold', point: { asset: '$source', point: 'opcua:plc' }, below: 0.5, forSeconds: 60, hysteresis: 0 });
    const { state } = run(plcDown, [
      { asset: '$source', point: 'opcua:plc', ts: T0, value: 0, note: 'connection lost' },
      { asset: '$source', point: 'opcua:plc', ts: T0 + 1000, value: 0, note: 'connection refused' },
    ]);
    const tick = evaluateRule(plcDown, state, [], T0 + 2 * MIN, ZONE);
    expect(tick.changes.map((c) => c.detail)).toEqual(['$source.opcua:plc 0 below 0.5 for 1 min: connection refused']);
  });
});

describe('state, order and lateness', () => {
  const samples = minutes([...Array(15).fill(9.6), ...Array(15).fill(8)]);

  it('gives the same result after a JSON round trip mid-stream', () => {
    const whole = run(supplyAbove9, samples);
    const first = run(supplyAbove9, samples.slice(0, 12));
    const resumed = run(supplyAbove9, samples.slice(12), JSON.parse(JSON.stringify(first.state)) as RuleState);
    expect([...first.changes, ...resumed.changes]).toEqual(whole.changes);
    expect(resumed.state).toEqual(whole.state);
  });

  it('gives the same result for shuffled and duplicated samples in one batch', () => {
    const clean = evaluateRule(supplyAbove9, undefined, samples, samples.at(-1)!.ts, ZONE);
    const messy = [...samples].reverse().concat(samples.slice(3, 9));
    expect(evaluateRule(supplyAbove9, undefined, messy, samples.at(-1)!.ts, ZONE)).toEqual(clean);
    expect(clean.changes.map((c) => c.kind)).toEqual(['open', 'resolve']);
  });

  it('ignores late readings older than what it has seen', () => {
    const { state } = run(supplyAbove9, minutes(Array(5).fill(8)));
    const late = evaluateRule(supplyAbove9, state, minutes(Array(4).fill(12)), T0 + 5 * MIN, ZONE);
    expect(late.changes).toEqual([]);
  });

  it('ignores points the rule does not read', () => {
    expect(run(supplyAbove9, minutes(Array(20).fill(50), { asset: 'chiller-2', point: 'chwsT' })).changes).toEqual([]);
  });
});

describe('other conditions', () => {
  it('rate of change', () => {
    const water = { asset: 'water-main', point: 'm3' };
    const leak = rule({ type: 'rate-of-change', point: water, maxChangePerMinute: 0.01, windowSeconds: 600 });
    // 0.02 m3 a minute: judged once half the window (5 minutes) has passed.
    const { changes } = run(
      leak,
      minutes(
        Array.from({ length: 12 }, (_, i) => 100 + 0.02 * i),
        water,
      ),
    );
    expect(changes.map((c) => [c.kind, (c.at - T0) / MIN])).toEqual([['open', 5]]);
  });

  it('no data: opens on a tick after N minutes of silence and resolves when data arrive', () => {
    const meter = { asset: 'main-incomer', point: 'kWh' };
    const offline = rule({ type: 'no-data', point: meter, minutes: 15 });
    const { state } = run(offline, minutes([1, 2], meter));
    expect(evaluateRule(offline, state, [], T0 + 15 * MIN, ZONE).changes).toEqual([]);
    const opened = evaluateRule(offline, state, [], T0 + 16 * MIN, ZONE);
    expect(opened.changes).toEqual([
      {
        kind: 'open',
        at: T0 + 16 * MIN,
        openedAt: T0 + 16 * MIN,
        value: null,
        detail: 'main-incomer.kWh: no data for 15 min',
        // Silent since the last reading at T0 + 1 min: 15 minutes.
        breaches: [{ type: 'no-data', point: meter, value: null, limit: null, direction: null, seconds: 900 }],
      },
    ]);
    expect(opened.state.openedAt).toBe(T0 + 16 * MIN);
    const back = evaluateRule(offline, opened.state, minutes([3], meter, T0 + 20 * MIN), T0 + 20 * MIN, ZONE);
    expect(back.changes.map((c) => [c.kind, c.openedAt])).toEqual([['resolve', T0 + 16 * MIN]]);
    expect(back.state.openedAt).toBeUndefined();
  });

  it('no data: a point never heard from counts from when the rule began', () => {
    const offline = rule({ type: 'no-data', point: { asset: 'm', point: 'kWh' }, minutes: 15 });
    const first = evaluateRule(offline, undefined, [], T0, ZONE);
    expect(evaluateRule(offline, first.state, [], T0 + 15 * MIN, ZONE).changes.map((c) => c.kind)).toEqual(['open']);
  });

  it('15-minute demand forecast: opens mid-quarter when the projection exceeds the contract, clears the next quarter', () => {
    const kW = { asset: 'main-incomer', point: 'kW' };
    const demand = rule({ type: 'demand-forecast', point: kW, contractKw: 1000, marginPct: 0 });
    // 900 kW for 5 minutes, then 1,300 kW: at 09:06 the forecast is (900·5 + 1300·1 + 1300·9)/15 = 1,166.7 kW.
    const values = [900, 900, 900, 900, 900, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 1300, 800, 800, 800, 800, 800];
    const { changes } = run(demand, minutes(values, kW));
    expect(changes.map((c) => [c.kind, (c.at - T0) / MIN])).toEqual([
      ['open', 5],
      ['resolve', 18],
    ]);
    expect(changes[0].detail).toContain('forecast 1167 kW against contract 1000 kW');
  });

  it('all / any', () => {
    const running = { asset: 'chiller-1', point: 'running' };
    const kwPerRt = { asset: 'chiller-1', point: 'kWPerRt' };
    const inefficient = rule({
      type: 'all',
      conditions: [
        { type: 'threshold', point: running, above: 0.5, forSeconds: 0, hysteresis: 0 },
        { type: 'threshold', point: kwPerRt, above: 1, forSeconds: 120, hysteresis: 0 },
      ],
    });
    const stopped = [...minutes([0, 0, 0, 0, 0], running), ...minutes([1.4, 1.4, 1.4, 1.4, 1.4], kwPerRt)];
    expect(evaluateRule(inefficient, undefined, stopped, T0 + 5 * MIN, ZONE).changes).toEqual([]);
    const runningNow = [...minutes([1, 1, 1, 1, 1], running), ...minutes([1.4, 1.4, 1.4, 1.4, 1.4], kwPerRt)];
    expect(evaluateRule(inefficient, undefined, runningNow, T0 + 4 * MIN, ZONE).changes.map((c) => c.kind)).toEqual(['open']);
    const either = rule({ ...inefficient.condition, type: 'any' } as Condition);
    expect(evaluateRule(either, undefined, minutes([1], running), T0, ZONE).changes.map((c) => c.kind)).toEqual(['open']);
  });
});

describe('active schedules', () => {
  const nights = rule({ type: 'threshold', point: chwsT, above: 9, forSeconds: 0, hysteresis: 0 }, { schedule: { preset: 'nights' } });

  it('does not open outside its schedule', () => {
    expect(run(nights, minutes([12, 12, 12])).changes).toEqual([]);
  });

  it('opens inside it and resolves when the schedule ends', () => {
    const night = Date.parse('2026-07-06T05:58:00+08:00');
    const { changes } = run(nights, minutes([12, 12, 12, 12], chwsT, night));
    expect(changes.map((c) => [c.kind, c.detail])).toEqual([
      ['open', 'chiller-1.chwsT 12 above 9'],
      ['resolve', 'test rule: outside its active hours'],
    ]);
  });

  it("reads the schedule on the site's clock: office hours in New York", () => {
    const office = rule(
      { type: 'threshold', point: chwsT, above: 9, forSeconds: 0, hysteresis: 0 },
      { schedule: { preset: 'office-hours' } },
    );
    // Monday 10 March 2025, the day after New York springs forward: 07:58-08:01 EDT.
    const morning = Date.parse('2025-03-10T07:58:00-04:00');
    const changes: RuleChange[] = [];
    let state: RuleState | undefined;
    for (const sample of minutes([12, 12, 12, 12], chwsT, morning)) {
      const result = evaluateRule(office, state, [sample], sample.ts, 'America/New_York');
      state = result.state;
      changes.push(...result.changes);
    }
    expect(changes.map((c) => [c.kind, new Date(c.at).toISOString()])).toEqual([['open', '2025-03-10T12:00:00.000Z']]);
    // The same readings in Taipei are 19:58-20:01 there: outside office hours.
    expect(run(office, minutes([12, 12, 12, 12], chwsT, morning)).changes).toEqual([]);
  });

  it('does not open at the next office hours on readings from the evening before: a tick says nothing about values', () => {
    const office = rule(
      { type: 'threshold', point: chwsT, above: 9, forSeconds: 0, hysteresis: 0 },
      { schedule: { preset: 'office-hours' } },
    );
    // Monday 17:50-17:59 and 18:00-18:05 Taipei at 12 °C: open in office hours, closed at 18:00.
    const evening = Date.parse('2026-07-06T17:50:00+08:00');
    const { state, changes } = run(office, minutes(Array(16).fill(12), chwsT, evening));
    expect(changes.map((c) => [c.kind, new Date(c.at).toISOString()])).toEqual([
      ['open', '2026-07-06T09:50:00.000Z'],
      ['resolve', '2026-07-06T10:00:00.000Z'],
    ]);
    // Ticks through the night and at 08:00 and 09:00 Tuesday, with no reading since 18:05: nothing opens.
    let ticked = state;
    const later: RuleChange[] = [];
    for (const clock of ['2026-07-06T23:00:00+08:00', '2026-07-07T08:00:00+08:00', '2026-07-07T09:00:00+08:00']) {
      const result = evaluateRule(office, ticked, [], Date.parse(clock), ZONE);
      ticked = result.state;
      later.push(...result.changes);
    }
    expect(later).toEqual([]);
    // The marker that the rule still works: Tuesday's first reading above the limit opens it.
    const tuesday = evaluateRule(
      office,
      ticked,
      minutes([12], chwsT, Date.parse('2026-07-07T09:01:00+08:00')),
      Date.parse('2026-07-07T09:01:00+08:00'),
      ZONE,
    );
    expect(tuesday.changes.map((c) => c.kind)).toEqual(['open']);
  });
});
