import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { BuildingModel } from './building.model';
import { ActiveFaults, checkFault, createFaultMemory, faultedTickMessages, faultSpecSchema, parseScenario } from './faults';
import { generateMessages, SimMessage } from './messages';

const [site] = loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites;
const at = (iso: string) => Date.parse(iso);
const MINUTE = 60_000;

/** The messages of a run from `from` to `to` with these faults in force, as startSimulator publishes them. */
function run(faults: unknown[], from: string, to: string, { tickMs = MINUTE, seed = 104 } = {}): SimMessage[] {
  const active = new ActiveFaults([site]);
  faults.forEach((fault) => active.add(fault));
  const model = new BuildingModel(site, seed);
  const context = { site, seed, memory: createFaultMemory() };
  const messages: SimMessage[] = [];
  for (let ts = at(from); ts < at(to); ts += tickMs)
    messages.push(...faultedTickMessages(model, ts, 'hallwatch/v1', active.list(), context));
  return messages;
}

interface Reading {
  ts: number;
  values: Record<string, number>;
}

const ofAsset = (messages: SimMessage[], asset: string) =>
  messages.filter((message) => message.topic === `hallwatch/v1/demo-city-hall/${asset}`);
const readings = (messages: SimMessage[], asset: string): Reading[] =>
  ofAsset(messages, asset).map((message) => JSON.parse(message.payload) as Reading);
const series = (messages: SimMessage[], asset: string, point: string) => readings(messages, asset).map((reading) => reading.values[point]);
const within = (list: Reading[], from: string, to: string) => list.filter((reading) => reading.ts >= at(from) && reading.ts < at(to));
const increasing = (values: number[]) => values.every((value, i) => i === 0 || value >= values[i - 1]);

// A summer weekday: 2025-07-02 is a Wednesday.
const DAY = '2025-07-02T';

describe('faults on the simulated stream', () => {
  it('leaves a run without faults byte for byte as it was, and repeats a run with faults byte for byte for a seed', () => {
    const plain = run([], `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`);
    const before = [
      ...generateMessages(site, {
        seed: 104,
        from: at(`${DAY}08:00:00+08:00`),
        to: at(`${DAY}10:00:00+08:00`),
        tickMs: MINUTE,
        topicPrefix: 'hallwatch/v1',
      }),
    ];
    expect(JSON.stringify(plain)).toBe(JSON.stringify(before));

    const everything = [
      { kind: 'stuck', asset: 'weather', from: `${DAY}08:10:00+08:00`, to: `${DAY}08:40:00+08:00` },
      { kind: 'spike', asset: 'submeter-it-ups', point: 'kW', from: `${DAY}08:30:00+08:00` },
      { kind: 'co2-high', asset: 'zone-5f-east' },
      { kind: 'after-hours-load', asset: 'submeter-plug-loads' },
      { kind: 'duplicate', asset: 'chiller-1', probability: 0.5 },
      { kind: 'out-of-order', asset: 'ahu-2f', probability: 0.5 },
      { kind: 'malformed', asset: 'pv-roof', probability: 0.3 },
      { kind: 'meter-reset', asset: 'water-main', from: `${DAY}09:00:00+08:00` },
    ];
    const a = run(everything, `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`);
    const b = run(everything, `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`);
    const c = run(everything, `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`, { seed: 105 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(c));
    expect(JSON.stringify(a)).not.toBe(JSON.stringify(plain));
    // Assets without faults keep their bytes: a fault draws on its own random stream, not the model's.
    expect(ofAsset(a, 'zone-2f-east')).toEqual(ofAsset(plain, 'zone-2f-east'));
  });

  it('offline: no message of the asset in the window, and the register counted on meanwhile', () => {
    const messages = run(
      [{ kind: 'offline', asset: 'submeter-ahu', from: `${DAY}09:00:00+08:00`, to: `${DAY}10:00:00+08:00` }],
      `${DAY}08:00:00+08:00`,
      `${DAY}11:00:00+08:00`,
    );
    const list = readings(messages, 'submeter-ahu');
    expect(within(list, `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`)).toHaveLength(0);
    expect(within(list, `${DAY}08:00:00+08:00`, `${DAY}09:00:00+08:00`)).toHaveLength(60);
    expect(within(list, `${DAY}10:00:00+08:00`, `${DAY}11:00:00+08:00`)).toHaveLength(60);
    const [last] = within(list, `${DAY}08:59:00+08:00`, `${DAY}09:00:00+08:00`);
    const [next] = within(list, `${DAY}10:00:00+08:00`, `${DAY}10:01:00+08:00`);
    // An hour of the AHUs' consumption arrives at once, as from a meter that was counting while unreachable.
    expect(next.values.kWh - last.values.kWh).toBeGreaterThan(0.8 * next.values.kW);
  });

  it('stuck: one value through the window, moving before and after', () => {
    const messages = run(
      [{ kind: 'stuck', asset: 'weather', point: 'outdoorT', from: `${DAY}09:00:00+08:00`, to: `${DAY}10:00:00+08:00` }],
      `${DAY}08:00:00+08:00`,
      `${DAY}11:00:00+08:00`,
    );
    const list = readings(messages, 'weather');
    const stuck = within(list, `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`).map((reading) => reading.values.outdoorT);
    expect(stuck).toHaveLength(60);
    expect(new Set(stuck).size).toBe(1);
    expect(
      new Set(within(list, `${DAY}10:00:00+08:00`, `${DAY}11:00:00+08:00`).map((reading) => reading.values.outdoorT)).size,
    ).toBeGreaterThan(10);
    // Only the named point: the humidity still moves.
    expect(
      new Set(within(list, `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`).map((reading) => reading.values.outdoorRh)).size,
    ).toBeGreaterThan(1);
  });

  it('stuck with a value: every point given pins to it', () => {
    const messages = run(
      [{ kind: 'stuck', asset: 'zone-2f-east', point: 'temp', value: 31.5 }],
      `${DAY}08:00:00+08:00`,
      `${DAY}09:00:00+08:00`,
    );
    expect(new Set(series(messages, 'zone-2f-east', 'temp'))).toEqual(new Set([31.5]));
  });

  it('spike: exactly one reading far above the rest', () => {
    const messages = run(
      [{ kind: 'spike', asset: 'submeter-it-ups', point: 'kW', factor: 10, from: `${DAY}09:00:00+08:00` }],
      `${DAY}08:00:00+08:00`,
      `${DAY}11:00:00+08:00`,
    );
    const list = readings(messages, 'submeter-it-ups');
    const median = [...list.map((reading) => reading.values.kW)].sort((a, b) => a - b)[Math.floor(list.length / 2)];
    const far = list.filter((reading) => reading.values.kW > 5 * median);
    expect(far).toHaveLength(1);
    expect(far[0].ts).toBe(at(`${DAY}09:00:00+08:00`));
  });

  it('rollover: the register jumps just below its rolloverAt, wraps to near zero and counts on', () => {
    const rolloverAt = 4294967.295;
    const messages = run(
      [{ kind: 'rollover', asset: 'main-incomer', below: 200, from: `${DAY}09:00:00+08:00` }],
      `${DAY}08:30:00+08:00`,
      `${DAY}09:30:00+08:00`,
    );
    const kWh = within(readings(messages, 'main-incomer'), `${DAY}09:00:00+08:00`, `${DAY}09:30:00+08:00`).map(
      (reading) => reading.values.kWh,
    );
    expect(kWh[0]).toBeCloseTo(rolloverAt - 200, 3);
    const wrapAt = kWh.findIndex((value, i) => i > 0 && value < kWh[i - 1]);
    expect(wrapAt).toBeGreaterThan(1);
    expect(kWh[wrapAt]).toBeLessThan(200);
    expect(increasing(kWh.slice(0, wrapAt))).toBe(true);
    expect(increasing(kWh.slice(wrapAt))).toBe(true);
    expect(Math.max(...kWh)).toBeLessThan(rolloverAt);
  });

  it('meter reset: the register restarts from 0 and counts at the same rate', () => {
    const fault = { kind: 'meter-reset', asset: 'submeter-lighting-low', from: `${DAY}09:00:00+08:00` };
    const plain = within(
      readings(run([], `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`), 'submeter-lighting-low'),
      `${DAY}09:00:00+08:00`,
      `${DAY}10:00:00+08:00`,
    );
    const faulted = within(
      readings(run([fault], `${DAY}08:00:00+08:00`, `${DAY}10:00:00+08:00`), 'submeter-lighting-low'),
      `${DAY}09:00:00+08:00`,
      `${DAY}10:00:00+08:00`,
    );
    expect(faulted[0].values.kWh).toBe(0);
    expect(faulted.at(-1)!.values.kWh).toBeCloseTo(plain.at(-1)!.values.kWh - plain[0].values.kWh, 2);
    expect(increasing(faulted.map((reading) => reading.values.kWh))).toBe(true);
  });

  it('meter replacement: the register counts on from the new meter’s start value', () => {
    const messages = run(
      [{ kind: 'meter-replacement', asset: 'water-main', startValue: 12.5, from: `${DAY}09:00:00+08:00` }],
      `${DAY}08:00:00+08:00`,
      `${DAY}10:00:00+08:00`,
    );
    const m3 = within(readings(messages, 'water-main'), `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`).map((reading) => reading.values.m3);
    expect(m3[0]).toBe(12.5);
    expect(m3.at(-1)!).toBeGreaterThan(12.5 + 5);
    expect(increasing(m3)).toBe(true);
  });

  it('chiller low delta-T: chilled water returns only deltaT warmer, flow rises to carry the same tons', () => {
    const plain = readings(run([], `${DAY}14:00:00+08:00`, `${DAY}15:00:00+08:00`), 'chiller-1');
    const faulted = readings(
      run([{ kind: 'chiller-low-delta-t', asset: 'chiller-1', deltaT: 1.5 }], `${DAY}14:00:00+08:00`, `${DAY}15:00:00+08:00`),
      'chiller-1',
    );
    faulted.forEach(({ values }, i) => {
      expect(values.running).toBe(1);
      expect(values.chwrT - values.chwsT).toBeCloseTo(1.5, 1);
      expect(values.tons).toBe(plain[i].values.tons);
      expect(values.flow).toBeGreaterThan(1.5 * plain[i].values.flow);
      expect(values.tons).toBeCloseTo((1.163 * values.flow * (values.chwrT - values.chwsT)) / 3.517, -1);
    });
  });

  it('chiller trip: stopped, in alarm, run state fault, no power and no cooling, while the fault lasts', () => {
    const trip = { kind: 'chiller-trip', asset: 'chiller-1', from: `${DAY}14:00:00+08:00`, to: `${DAY}14:30:00+08:00` };
    const all = readings(run([trip], `${DAY}13:50:00+08:00`, `${DAY}14:40:00+08:00`), 'chiller-1');
    const fault = site.assets
      .find((asset) => asset.key === 'chiller-1')!
      .points.find((point) => point.key === 'mode')!
      .states!.find((state) => state.en === 'Fault')!.value;
    const state = ({ values }: Reading) => [values.running, values.alarm, values.mode, values.kW, values.tons, values.flow];
    expect(within(all, `${DAY}14:00:00+08:00`, `${DAY}14:30:00+08:00`).map(state)).toEqual(Array(30).fill([0, 1, fault, 0, 0, 0]));
    // before and after, a summer afternoon's chiller-1 runs
    for (const reading of [
      ...within(all, `${DAY}13:50:00+08:00`, `${DAY}14:00:00+08:00`),
      ...within(all, `${DAY}14:30:00+08:00`, `${DAY}14:40:00+08:00`),
    ])
      expect([reading.values.running, reading.values.alarm, reading.values.mode]).toEqual([1, 0, 1]);
  });

  it('chiller kW/RT rising: the same tons cost more kW hour by hour', () => {
    const fault = { kind: 'chiller-kw-per-rt-rising', asset: 'chiller-1', risePerHour: 0.05, from: `${DAY}10:00:00+08:00` };
    const plain = readings(run([], `${DAY}10:00:00+08:00`, `${DAY}16:00:00+08:00`), 'chiller-1');
    const faulted = readings(run([fault], `${DAY}10:00:00+08:00`, `${DAY}16:00:00+08:00`), 'chiller-1');
    const ratio = (reading: Reading) => reading.values.kW / reading.values.tons;
    expect(ratio(faulted[0])).toBeCloseTo(ratio(plain[0]), 2);
    expect(ratio(faulted.at(-1)!) / ratio(plain.at(-1)!)).toBeCloseTo(1 + 0.05 * (359 / 60), 2);
    const hourly = [0, 1, 2, 3, 4, 5].map((hour) => ratio(faulted[hour * 60 + 30]) / ratio(plain[hour * 60 + 30]));
    expect(increasing(hourly)).toBe(true);
  });

  it('zone too cold: setpoint below the 26 °C policy, and the occupied room below 26 °C', () => {
    const messages = run([{ kind: 'zone-too-cold', asset: 'zone-8f-west', setpoint: 23 }], `${DAY}09:30:00+08:00`, `${DAY}11:30:00+08:00`);
    const list = readings(messages, 'zone-8f-west');
    expect(list.every((reading) => reading.values.setpoint === 23)).toBe(true);
    expect(Math.max(...list.map((reading) => reading.values.temp))).toBeLessThan(26);
    // Its neighbour keeps the policy.
    expect(readings(messages, 'zone-8f-east').every((reading) => reading.values.setpoint === 26 && reading.values.temp > 25)).toBe(true);
  });

  it('CO2 high: every reading above 1000 ppm', () => {
    const co2 = series(
      run([{ kind: 'co2-high', asset: 'zone-2f-west', ppm: 1400 }], `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`),
      'zone-2f-west',
      'co2',
    );
    expect(Math.min(...co2)).toBeGreaterThan(1000);
    expect(Math.max(...series(run([], `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`), 'zone-2f-west', 'co2'))).toBeLessThan(1000);
  });

  it('after-hours load: the meter and its parent carry the extra kW at night only, and the registers count it', () => {
    const fault = { kind: 'after-hours-load', asset: 'submeter-lighting-high', kW: 150 };
    const from = `${DAY}00:00:00+08:00`;
    const to = '2025-07-03T00:00:00+08:00';
    const [plain, faulted] = [run([], from, to), run([fault], from, to)];
    const extra = (asset: string, point: string, i: number) => series(faulted, asset, point)[i] - series(plain, asset, point)[i];
    const night = 3 * 60; // 03:00
    const noon = 11 * 60; // 11:00
    expect(extra('submeter-lighting-high', 'kW', night)).toBeCloseTo(150, 1);
    expect(extra('main-incomer', 'kW', night)).toBeCloseTo(153, 1);
    expect(extra('submeter-lighting-high', 'kW', noon)).toBe(0);
    expect(extra('main-incomer', 'kW', noon)).toBe(0);
    // By 07:00, seven hours at 150 kW: 1050 kWh more on the sub-meter's register.
    expect(extra('submeter-lighting-high', 'kWh', 7 * 60)).toBeCloseTo(1050, 0);
    expect(extra('main-incomer', 'kWh', 7 * 60)).toBeCloseTo(1071, 0);
  });

  it('water leak: flow at night above the building’s own, and the register rising through the night', () => {
    const from = `${DAY}00:00:00+08:00`;
    const to = `${DAY}05:00:00+08:00`;
    const plain = readings(run([], from, to), 'water-main');
    const leaking = readings(run([{ kind: 'water-leak', asset: 'water-main', flow: 2 }], from, to), 'water-main');
    leaking.forEach((reading, i) => expect(reading.values.flow).toBeCloseTo(plain[i].values.flow + 2, 3));
    const rise = (list: Reading[]) => list.at(-1)!.values.m3 - list[0].values.m3;
    expect(rise(leaking) - rise(plain)).toBeCloseTo(2 * (299 / 60), 1);
    expect(increasing(leaking.map((reading) => reading.values.m3))).toBe(true);
  });

  it('demand climbing: the main incomer rises towards the contract capacity and stops short of it', () => {
    const capacity = Number(site.attributes.contractCapacityKw);
    const messages = run(
      [{ kind: 'demand-climb', asset: 'main-incomer', fraction: 0.98, rampMs: 3_600_000, from: '2025-01-08T09:00:00+08:00' }],
      '2025-01-08T09:00:00+08:00',
      '2025-01-08T11:00:00+08:00',
    );
    const kW = series(messages, 'main-incomer', 'kW');
    expect(kW[0]).toBeLessThan(0.6 * capacity);
    const quarters = [0, 15, 30, 45, 60].map((minute) => kW[minute]);
    expect(increasing(quarters)).toBe(true);
    expect(kW.slice(60).every((value) => Math.abs(value - 0.98 * capacity) < 1)).toBe(true);
    expect(Math.max(...kW)).toBeLessThan(capacity);
  });

  it('duplicate: each message of the asset delivered twice in a row', () => {
    const messages = run([{ kind: 'duplicate', asset: 'chiller-2' }], `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`);
    const chiller = ofAsset(messages, 'chiller-2');
    expect(chiller).toHaveLength(120);
    const index = messages.indexOf(chiller[0]);
    expect(messages[index + 1]).toEqual(chiller[0]);
    expect(ofAsset(messages, 'chiller-3')).toHaveLength(60);
  });

  it('out of order: readings of the asset arrive with time going backwards, none lost', () => {
    const messages = run(
      [{ kind: 'out-of-order', asset: 'ahu-5f', to: `${DAY}09:30:00+08:00` }],
      `${DAY}09:00:00+08:00`,
      `${DAY}10:00:00+08:00`,
    );
    const ts = readings(messages, 'ahu-5f').map((reading) => reading.ts);
    expect(ts.filter((value, i) => i > 0 && value < ts[i - 1]).length).toBeGreaterThanOrEqual(14);
    expect([...ts].sort((a, b) => a - b)).toEqual(Array.from({ length: 60 }, (_, i) => at(`${DAY}09:00:00+08:00`) + i * MINUTE));
  });

  it('changed at run time: a removed fault still sends what it held back, and an id used again starts afresh', () => {
    const active = new ActiveFaults([site]);
    const model = new BuildingModel(site, 104);
    const context = { site, seed: 104, memory: createFaultMemory() };
    const start = at(`${DAY}09:00:00+08:00`);
    const tick = (minute: number) => faultedTickMessages(model, start + minute * MINUTE, 'hallwatch/v1', active.list(), context);
    const kW = (messages: SimMessage[]) => readings(messages, 'submeter-it-ups').map((reading) => reading.values.kW);

    active.add({ kind: 'out-of-order', asset: 'ahu-5f', id: 'late' });
    expect(ofAsset(tick(0), 'ahu-5f')).toHaveLength(0);
    active.remove('late');
    expect(readings(tick(1), 'ahu-5f').map((reading) => reading.ts)).toEqual([start + MINUTE, start]);

    active.add({ kind: 'spike', asset: 'submeter-it-ups', point: 'kW', id: 'jolt' });
    expect(kW(tick(2))[0]).toBeGreaterThan(1000);
    expect(kW(tick(3))[0]).toBeLessThan(300);
    active.remove('jolt');
    active.add({ kind: 'spike', asset: 'submeter-it-ups', point: 'kW', id: 'jolt' });
    expect(kW(tick(4))[0]).toBeGreaterThan(1000);
  });

  it.each(['not-json', 'truncated', 'no-ts', undefined])('malformed (%s): payloads that are not JSON or have no ts', (style) => {
    const messages = run([{ kind: 'malformed', asset: 'pv-roof', style }], `${DAY}09:00:00+08:00`, `${DAY}10:00:00+08:00`);
    const payloads = ofAsset(messages, 'pv-roof').map((message) => message.payload);
    expect(payloads).toHaveLength(60);
    for (const payload of payloads) {
      let parsed: { ts?: unknown } | undefined;
      try {
        parsed = JSON.parse(payload) as { ts?: unknown };
      } catch {
        parsed = undefined;
      }
      expect(parsed === undefined || typeof parsed.ts !== 'number').toBe(true);
    }
    // Other assets are untouched.
    expect(readings(messages, 'weather')).toHaveLength(60);
  });
});

describe('fault specs', () => {
  const sites = [site];
  const problem = (input: unknown) => {
    try {
      new ActiveFaults(sites).add(input);
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  };

  it.each([
    [{ kind: 'meltdown', asset: 'weather' }, /kind: Invalid discriminator value/],
    [{ kind: 'stuck' }, /asset: Required/],
    [{ kind: 'stuck', asset: 'weather', pointt: 'outdoorT' }, /Unrecognized key.*pointt/],
    [{ kind: 'offline', asset: 'lobby-fountain' }, /no asset lobby-fountain/],
    [{ kind: 'stuck', asset: 'weather', point: 'kW' }, /weather has no measured point kW/],
    [{ kind: 'spike', asset: 'chiller-1', point: 'kWPerRt' }, /no measured point kWPerRt/],
    [{ kind: 'rollover', asset: 'submeter-ahu' }, /submeter-ahu\/kWh has no rolloverAt/],
    [{ kind: 'meter-reset', asset: 'weather' }, /not a register/],
    [{ kind: 'co2-high', asset: 'chiller-1' }, /co2-high needs a zone, and chiller-1 is a chiller/],
    [{ kind: 'zone-too-cold', asset: 'zone-2f-east', setpoint: 26 }, /below the 26 °C policy/],
    [{ kind: 'demand-climb', asset: 'submeter-ahu' }, /main incomer/],
    [
      { kind: 'offline', asset: 'weather', from: '2025-07-02T10:00:00+08:00', to: '2025-07-02T09:00:00+08:00' },
      /to: to must be after from/,
    ],
    [{ kind: 'meter-reset', asset: 'water-main', to: 1_000 }, /happens once/],
    [{ kind: 'offline', asset: 'weather', from: 'yesterday' }, /from: an ISO 8601 time/],
  ])('refuses %j with a clear reason', (input, reason) => {
    expect(problem(input)).toMatch(reason);
  });

  it('assigns ids, keeps given ones unique, and removes by id', () => {
    const faults = new ActiveFaults(sites);
    expect(faults.add({ kind: 'offline', asset: 'weather' }).id).toBe('f1');
    expect(faults.add({ kind: 'offline', asset: 'pv-roof', id: 'pv-down', from: 1_751_418_000_000 })).toMatchObject({
      id: 'pv-down',
      from: 1_751_418_000_000,
    });
    expect(() => faults.add({ kind: 'offline', asset: 'weather', id: 'pv-down' })).toThrow(/already in force/);
    expect(faults.remove('f1')).toBe(true);
    expect(faults.remove('f1')).toBe(false);
    expect(faults.list().map((fault) => fault.id)).toEqual(['pv-down']);
  });

  it('reads times as ISO or epoch ms and fills in defaults', () => {
    const spec = faultSpecSchema.parse({
      kind: 'water-leak',
      asset: 'water-main',
      from: '2025-07-02T01:00:00+08:00',
      to: 1_751_396_400_000,
    });
    expect(spec).toEqual({
      kind: 'water-leak',
      asset: 'water-main',
      from: at('2025-07-02T01:00:00+08:00'),
      to: 1_751_396_400_000,
      flow: 1.5,
    });
    expect(checkFault(spec, [site])).toBeUndefined();
  });

  it('reads the faults: list of a YAML or JSON scenario', () => {
    const yaml = 'faults:\n  - { kind: water-leak, asset: water-main, flow: 2 }\n  - kind: offline\n    asset: weather\n';
    expect(parseScenario(yaml)).toEqual([
      { kind: 'water-leak', asset: 'water-main', flow: 2 },
      { kind: 'offline', asset: 'weather' },
    ]);
    expect(parseScenario('{"faults": []}')).toEqual([]);
    expect(() => parseScenario('- just a list')).toThrow(/faults: list/);
  });
});
