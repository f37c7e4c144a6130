import { parse } from 'yaml';
import { z } from 'zod';
import { AssetDefinition, PointDefinition, SiteDefinition } from '@hallwatch/registry';
import { AssetValues, BuildingModel, CHILLER_RUN_STATE, occupancy } from './building.model';
import { SimMessage, tickMessages } from './messages';
import { mulberry32, seedFor } from './prng';

/** A fault window's bound: ISO 8601 with an offset, or epoch milliseconds. */
const instant = z
  .union([z.number().int().nonnegative(), z.string().datetime({ offset: true, message: 'an ISO 8601 time with an offset, or epoch ms' })])
  .transform((value) => (typeof value === 'number' ? value : Date.parse(value)));

const common = {
  id: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{1,64}$/, 'ids are up to 64 letters, digits, _ . -')
    .optional(),
  asset: z.string().min(1),
  from: instant.optional(),
  to: instant.optional(),
};
const point = z.string().min(1);
const probability = z.number().gt(0).max(1).default(1);
export const MALFORMED_STYLES = ['not-json', 'truncated', 'no-ts'] as const;

/** What can go wrong, and its parameters. Unknown parameters are refused so that a typo is not silently ignored. */
export const faultSpecSchema = z
  .discriminatedUnion('kind', [
    // the meter stops talking; its registers keep counting
    z.object({ kind: z.literal('offline'), ...common }).strict(),
    // a point (or every point of the asset) repeats one value: `value`, or the one it had when the fault began
    z.object({ kind: z.literal('stuck'), ...common, point: point.optional(), value: z.number().optional() }).strict(),
    // one reading `factor` times the real one, at `from` (or the next tick)
    z.object({ kind: z.literal('spike'), ...common, point, factor: z.number().gt(1).default(10) }).strict(),
    // the register jumps to `below` under its rolloverAt, then wraps
    z.object({ kind: z.literal('rollover'), ...common, point: point.optional(), below: z.number().positive().default(1) }).strict(),
    // the register restarts from 0 and counts on
    z.object({ kind: z.literal('meter-reset'), ...common, point: point.optional() }).strict(),
    // a new meter: the register counts on from `startValue`
    z.object({ kind: z.literal('meter-replacement'), ...common, point: point.optional(), startValue: z.number().nonnegative() }).strict(),
    // chilled water returns only `deltaT` warmer; flow rises to carry the same tons
    z.object({ kind: z.literal('chiller-low-delta-t'), ...common, deltaT: z.number().positive().max(10).default(1.5) }).strict(),
    // the chiller trips: stopped, in alarm, its run state `fault`, no power and no cooling
    z.object({ kind: z.literal('chiller-trip'), ...common }).strict(),
    // kW for the same tons grows by `risePerHour` (a fraction) every simulated hour
    z.object({ kind: z.literal('chiller-kw-per-rt-rising'), ...common, risePerHour: z.number().positive().max(1).default(0.05) }).strict(),
    // someone set the zone below the 26 °C policy; the room follows
    z
      .object({
        kind: z.literal('zone-too-cold'),
        ...common,
        setpoint: z.number().min(10).lt(26, 'setpoint must be below the 26 °C policy').default(23),
      })
      .strict(),
    // the air conditioning cannot keep up: the room at `temp`, above the 28 °C policy, while occupied
    z
      .object({
        kind: z.literal('zone-too-warm'),
        ...common,
        temp: z.number().gt(28, 'temp must be above the 28 °C policy').max(45).default(29),
      })
      .strict(),
    // poor ventilation: CO2 above 1000 ppm
    z
      .object({ kind: z.literal('co2-high'), ...common, ppm: z.number().gt(1000, 'ppm must be above 1000').max(10_000).default(1500) })
      .strict(),
    // `kW` left running outside office hours (nights, weekends, holidays); parent meters see it too
    z.object({ kind: z.literal('after-hours-load'), ...common, kW: z.number().positive().default(200) }).strict(),
    // a leak: `flow` m³/h on top of the real use, day and night
    z.object({ kind: z.literal('water-leak'), ...common, flow: z.number().positive().default(1.5) }).strict(),
    // the main incomer climbs to `fraction` of the site's contractCapacityKw over `rampMs`
    z
      .object({
        kind: z.literal('demand-climb'),
        ...common,
        fraction: z.number().gt(0).max(1.2).default(0.98),
        rampMs: z.number().int().positive().default(3_600_000),
      })
      .strict(),
    // delivery: the same message twice
    z.object({ kind: z.literal('duplicate'), ...common, probability }).strict(),
    // delivery: a message held back and sent after the next one
    z.object({ kind: z.literal('out-of-order'), ...common, probability }).strict(),
    // delivery: a payload that is not JSON, cut short, or without ts (a random style when not given)
    z.object({ kind: z.literal('malformed'), ...common, probability, style: z.enum(MALFORMED_STYLES).optional() }).strict(),
  ])
  .superRefine((fault, context) => {
    if (fault.from !== undefined && fault.to !== undefined && fault.to <= fault.from)
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: 'to must be after from' });
    if (EVENTS.has(fault.kind) && fault.to !== undefined)
      context.addIssue({ code: z.ZodIssueCode.custom, path: ['to'], message: `${fault.kind} happens once, at from: it takes no to` });
  });

export type FaultSpec = z.output<typeof faultSpecSchema>;
export type FaultKind = FaultSpec['kind'];
/** A fault in force: its spec with an id, `from` and `to` in epoch ms. */
export type Fault = FaultSpec & { id: string };

/** Faults that happen once at `from` and leave their mark for good. */
const EVENTS = new Set<FaultKind>(['spike', 'rollover', 'meter-reset', 'meter-replacement']);
const DELIVERY = new Set<FaultKind>(['duplicate', 'out-of-order', 'malformed']);
/**
 * The order value faults act in: the physics first (load, leak, chiller, zone), then what the meter
 * makes of it (register events), then what the transmitter makes of that (stuck, spike), then silence.
 */
const STAGE: Record<FaultKind, number> = {
  'chiller-low-delta-t': 0,
  'chiller-trip': 0,
  'chiller-kw-per-rt-rising': 0,
  'zone-too-cold': 0,
  'zone-too-warm': 0,
  'co2-high': 0,
  'after-hours-load': 0,
  'water-leak': 0,
  'demand-climb': 0,
  rollover: 1,
  'meter-reset': 1,
  'meter-replacement': 1,
  stuck: 2,
  spike: 2,
  offline: 3,
  duplicate: 4,
  'out-of-order': 4,
  malformed: 4,
};
const ASSET_TYPE: Partial<Record<FaultKind, string>> = {
  'chiller-low-delta-t': 'chiller',
  'chiller-trip': 'chiller',
  'chiller-kw-per-rt-rising': 'chiller',
  'zone-too-cold': 'zone',
  'zone-too-warm': 'zone',
  'co2-high': 'zone',
  'after-hours-load': 'electricity-meter',
  'demand-climb': 'electricity-meter',
  'water-leak': 'water-meter',
};

export class FaultSpecError extends Error {}

/** The faults in force while a simulator runs: validated against the registry, each with an id. */
export class ActiveFaults {
  private faults: Fault[] = [];
  private next = 1;

  constructor(private readonly sites: SiteDefinition[]) {}

  list(): readonly Fault[] {
    return this.faults;
  }

  /** Validates `input` as a fault spec on these sites and puts it in force; throws FaultSpecError saying what is wrong. */
  add(input: unknown): Fault {
    const parsed = faultSpecSchema.safeParse(input);
    if (!parsed.success)
      throw new FaultSpecError(parsed.error.issues.map((issue) => `${issue.path.join('.') || 'fault'}: ${issue.message}`).join('; '));
    const problem = checkFault(parsed.data, this.sites);
    if (problem) throw new FaultSpecError(problem);
    const id = parsed.data.id ?? this.nextId();
    if (this.faults.some((fault) => fault.id === id)) throw new FaultSpecError(`id: a fault ${id} is already in force`);
    const fault = { ...parsed.data, id };
    // A new array rather than a push: a tick that already holds the list keeps a stable one.
    this.faults = [...this.faults, fault];
    return fault;
  }

  remove(id: string): boolean {
    const before = this.faults.length;
    this.faults = this.faults.filter((fault) => fault.id !== id);
    return this.faults.length < before;
  }

  private nextId(): string {
    let id = `f${this.next++}`;
    while (this.faults.some((fault) => fault.id === id)) id = `f${this.next++}`;
    return id;
  }
}

/** Whether a fault fits the registry: the asset exists, is of the right type, and has the point it names. */
export function checkFault(fault: FaultSpec, sites: SiteDefinition[]): string | undefined {
  const targets = sites.flatMap((site) => site.assets.filter((asset) => asset.key === fault.asset).map((asset) => ({ site, asset })));
  if (targets.length === 0) return `asset: no asset ${fault.asset} in the registry`;
  for (const { site, asset } of targets) {
    const type = ASSET_TYPE[fault.kind];
    if (type && asset.type !== type) return `asset: ${fault.kind} needs a ${type}, and ${asset.key} is a ${asset.type}`;
    if (
      'point' in fault &&
      fault.point !== undefined &&
      !asset.points.some((candidate) => candidate.key === fault.point && !candidate.expression)
    )
      return `point: ${asset.key} has no measured point ${fault.point}`;
    if (fault.kind === 'rollover' || fault.kind === 'meter-reset' || fault.kind === 'meter-replacement') {
      const register = registerOf(asset, fault.point);
      if (!register) return `point: ${asset.key}${fault.point ? `/${fault.point}` : ''} is not a register (a cumulative point)`;
      if (fault.kind === 'rollover' && rolloverOf(register) <= 0) return `point: ${asset.key}/${register.key} has no rolloverAt attribute`;
    }
    if (fault.kind === 'demand-climb') {
      if (asset.attributes.role !== 'main') return `asset: demand-climb acts on the main incomer (role: main), not on ${asset.key}`;
      if (!(Number(site.attributes.contractCapacityKw) > 0)) return `asset: site ${site.key} has no contractCapacityKw attribute`;
    }
  }
  return undefined;
}

/** The `faults:` list of a scenario file (YAML, or JSON, which is YAML too); each entry is validated when added. */
export function parseScenario(text: string): unknown[] {
  const scenario = z.object({ faults: z.array(z.unknown()) }).safeParse(parse(text));
  if (!scenario.success) throw new FaultSpecError('a scenario is a YAML or JSON object with a faults: list');
  return scenario.data.faults;
}

/** What a running fault remembers between ticks: when it began, its last tick, the values it froze or re-based on. */
interface FaultState {
  started?: number;
  lastTs?: number;
  spiked?: boolean;
  origins: Map<string, number>;
  held?: SimMessage;
}

/**
 * One site's memory of its faults, per fault object rather than id (an id may come back after a
 * fault ends), and the energy or water faults added to registers, which stays after they end as it
 * would on a real meter.
 */
export interface FaultMemory {
  faults: Map<Fault, FaultState>;
  registerOffsets: Map<string, number>;
}

export function createFaultMemory(): FaultMemory {
  return { faults: new Map(), registerOffsets: new Map() };
}

function stateOf(fault: Fault, memory: FaultMemory): FaultState {
  let state = memory.faults.get(fault);
  if (!state) memory.faults.set(fault, (state = { origins: new Map() }));
  return state;
}

/** One site's faults: the site, the run's seed, and the site's fault memory. */
export interface FaultContext {
  site: SiteDefinition;
  seed: number;
  memory: FaultMemory;
}

export function isActive(fault: Fault, ts: number): boolean {
  return (fault.from ?? -Infinity) <= ts && ts < (fault.to ?? Infinity);
}

/** One tick with faults: value faults between sampling and serialising, delivery faults on the messages. */
export function faultedTickMessages(
  model: BuildingModel,
  ts: number,
  topicPrefix: string,
  faults: readonly Fault[],
  context: FaultContext,
): SimMessage[] {
  const sampler = { sample: (at: number) => applyValueFaults(model.sample(at), faults, at, context) };
  return applyDeliveryFaults(tickMessages(sampler, context.site, ts, topicPrefix), faults, ts, context);
}

/**
 * The assets' values at `ts` as the faults in force make them. Returns `values` itself when no fault
 * touches this site, so a run without faults is byte for byte the run it always was.
 */
export function applyValueFaults(
  values: Map<string, AssetValues>,
  faults: readonly Fault[],
  ts: number,
  context: FaultContext,
): Map<string, AssetValues> {
  const { site, memory } = context;
  const active = faults
    .filter((fault) => !DELIVERY.has(fault.kind) && isActive(fault, ts) && site.assets.some((asset) => asset.key === fault.asset))
    .sort((a, b) => STAGE[a.kind] - STAGE[b.kind]);
  // Forget faults that were removed (a held message is still to be sent by applyDeliveryFaults).
  for (const [fault, state] of memory.faults) if (!faults.includes(fault) && state.held === undefined) memory.faults.delete(fault);
  if (active.length === 0 && memory.registerOffsets.size === 0) return values;
  const out = new Map([...values].map(([key, assetValues]) => [key, { ...assetValues }]));
  const physical = active.filter((fault) => STAGE[fault.kind] === 0);
  for (const fault of physical) applyPhysical(out, fault, ts, context);
  addRegisterOffsets(out, context);
  for (const fault of active.filter((candidate) => STAGE[candidate.kind] > 0)) applyMeasurement(out, fault, context);
  return out;
}

/** A tripped chiller's values, of the points it has. */
const TRIPPED: AssetValues = { running: 0, alarm: 1, mode: CHILLER_RUN_STATE.fault, kW: 0, tons: 0, flow: 0 };

function applyPhysical(out: Map<string, AssetValues>, fault: Fault, ts: number, context: FaultContext): void {
  const values = out.get(fault.asset);
  if (!values || Object.keys(values).length === 0) return;
  const hours = hoursSinceLast(fault, ts, context.memory);
  switch (fault.kind) {
    case 'chiller-low-delta-t':
      if (values.tons > 0 && values.chwsT !== undefined) {
        values.chwrT = round(values.chwsT + fault.deltaT, 2);
        if (values.flow !== undefined) values.flow = round((values.tons * 3.517) / (1.163 * fault.deltaT), 1);
      }
      return;
    case 'chiller-trip':
      for (const [point, value] of Object.entries(TRIPPED)) if (values[point] !== undefined) values[point] = value;
      return;
    case 'chiller-kw-per-rt-rising':
      if (values.tons > 0 && values.kW !== undefined)
        values.kW = round(values.kW * (1 + (fault.risePerHour * (ts - startOf(fault, ts, context.memory))) / 3_600_000), 1);
      return;
    case 'zone-too-cold': {
      const shift = (values.setpoint ?? 26) - fault.setpoint;
      values.setpoint = fault.setpoint;
      // The room follows the setpoint while the air conditioning runs (occupied hours, as in the model).
      if (values.temp !== undefined && occupancy(ts, context.site.timezone) > 0.3) values.temp = round(values.temp - shift, 2);
      return;
    }
    case 'zone-too-warm':
      // Only while the air conditioning should hold the room (occupied hours, as in the model).
      if (values.temp !== undefined && occupancy(ts, context.site.timezone) > 0.3)
        values.temp = round(fault.temp + 0.2 * randomFor(fault, ts, context)(), 2);
      return;
    case 'co2-high':
      values.co2 = Math.round(fault.ppm + 30 * randomFor(fault, ts, context)());
      return;
    case 'after-hours-load':
      // After hours by the building's own schedule: nights, weekends and holidays.
      if (occupancy(ts, context.site.timezone) <= 0.12) addPower(out, context, fault.asset, fault.kW, hours);
      return;
    case 'water-leak':
      if (values.flow !== undefined) values.flow = round(values.flow + fault.flow, 3);
      addToRegisters(context, fault.asset, fault.flow * hours);
      return;
    case 'demand-climb': {
      const target = fault.fraction * Number(context.site.attributes.contractCapacityKw);
      const progress = Math.min(1, (ts - startOf(fault, ts, context.memory)) / fault.rampMs);
      addPower(out, context, fault.asset, Math.max(0, (target - (values.kW ?? 0)) * progress), hours);
      return;
    }
    default:
      return;
  }
}

function applyMeasurement(out: Map<string, AssetValues>, fault: Fault, context: FaultContext): void {
  const state = stateOf(fault, context.memory);
  const values = out.get(fault.asset);
  if (fault.kind === 'offline') {
    // An asset with nothing to say publishes nothing (see tickMessages).
    out.set(fault.asset, {});
    return;
  }
  if (!values || Object.keys(values).length === 0) return;
  switch (fault.kind) {
    case 'rollover':
    case 'meter-reset':
    case 'meter-replacement': {
      const register = registerOf(assetOf(context.site, fault.asset), fault.point)!;
      const value = values[register.key];
      if (value === undefined) return;
      const rolloverAt = rolloverOf(register);
      if (!state.origins.has(register.key)) state.origins.set(register.key, value);
      let counted = value - state.origins.get(register.key)!;
      if (rolloverAt > 0 && counted < 0) counted += rolloverAt;
      const base = fault.kind === 'meter-reset' ? 0 : fault.kind === 'meter-replacement' ? fault.startValue : rolloverAt - fault.below;
      values[register.key] = round(wrap(base + counted, rolloverAt), 3);
      return;
    }
    case 'stuck':
      for (const key of fault.point ? [fault.point] : Object.keys(values)) {
        if (values[key] === undefined) continue;
        if (!state.origins.has(key)) state.origins.set(key, fault.value ?? values[key]);
        values[key] = state.origins.get(key)!;
      }
      return;
    case 'spike':
      if (state.spiked || values[fault.point] === undefined) return;
      state.spiked = true;
      values[fault.point] = round((values[fault.point] || 1) * fault.factor, 3);
      return;
    default:
      return;
  }
}

/** Extra load on a meter: kW, kVAR and currents scale together, the register counts it, and the parent meter sees it plus 2% losses. */
function addPower(out: Map<string, AssetValues>, context: FaultContext, assetKey: string, extraKw: number, hours: number): void {
  const values = out.get(assetKey);
  const asset = context.site.assets.find((candidate) => candidate.key === assetKey);
  if (!values || !asset || values.kW === undefined) return;
  const scale = values.kW > 0 ? (values.kW + extraKw) / values.kW : 1;
  if (values.kVAR !== undefined) values.kVAR = round(values.kVAR * scale, 2);
  for (const phase of [1, 2, 3])
    if (values[`currentL${phase}`] !== undefined) values[`currentL${phase}`] = round(values[`currentL${phase}`] * scale, 1);
  values.kW = round(values.kW + extraKw, 2);
  addToRegisters(context, assetKey, extraKw * hours);
  const parent = asset.attributes.parent;
  if (typeof parent === 'string') addPower(out, context, parent, extraKw * 1.02, hours);
}

function addToRegisters(context: FaultContext, assetKey: string, amount: number): void {
  if (amount === 0) return;
  for (const register of assetOf(context.site, assetKey).points.filter((candidate) => candidate.kind === 'cumulative')) {
    const key = `${assetKey}/${register.key}`;
    context.memory.registerOffsets.set(key, (context.memory.registerOffsets.get(key) ?? 0) + amount);
  }
}

function addRegisterOffsets(out: Map<string, AssetValues>, context: FaultContext): void {
  for (const [key, offset] of context.memory.registerOffsets) {
    const [assetKey, pointKey] = [key.slice(0, key.lastIndexOf('/')), key.slice(key.lastIndexOf('/') + 1)];
    const values = out.get(assetKey);
    if (values?.[pointKey] === undefined) continue;
    const register = assetOf(context.site, assetKey).points.find((candidate) => candidate.key === pointKey)!;
    values[pointKey] = round(wrap(values[pointKey] + offset, rolloverOf(register)), 3);
  }
}

/**
 * The tick's messages as the delivery faults in force make them. Returns `messages` itself when
 * there is nothing to do. A message held back by an out-of-order fault that has ended goes out last.
 */
export function applyDeliveryFaults(messages: SimMessage[], faults: readonly Fault[], ts: number, context: FaultContext): SimMessage[] {
  const { site, memory } = context;
  const active = faults.filter(
    (fault) => DELIVERY.has(fault.kind) && isActive(fault, ts) && site.assets.some((asset) => asset.key === fault.asset),
  );
  const held = [...memory.faults].filter(([, state]) => state.held !== undefined);
  if (active.length === 0 && held.length === 0) return messages;
  let out = messages;
  for (const fault of active) {
    if (fault.kind !== 'duplicate' && fault.kind !== 'out-of-order' && fault.kind !== 'malformed') continue;
    const random = randomFor(fault, ts, context);
    const topicEnd = `/${site.key}/${fault.asset}`;
    const hit = (message: SimMessage) => message.topic.endsWith(topicEnd) && random() < fault.probability;
    if (fault.kind === 'duplicate') out = out.flatMap((message) => (hit(message) ? [message, message] : [message]));
    else if (fault.kind === 'malformed') {
      const style = fault.style;
      out = out.map((message) =>
        hit(message)
          ? { topic: message.topic, payload: malform(message.payload, style ?? MALFORMED_STYLES[Math.floor(random() * 3)]) }
          : message,
      );
    } else {
      // Held back now, sent right after the asset's next message.
      const state = stateOf(fault, memory);
      const reordered: SimMessage[] = [];
      for (const message of out) {
        if (!message.topic.endsWith(topicEnd)) reordered.push(message);
        else if (state.held) {
          reordered.push(message, state.held);
          state.held = undefined;
        } else if (hit(message)) state.held = message;
        else reordered.push(message);
      }
      out = reordered;
    }
  }
  for (const [fault, state] of held) {
    if (active.includes(fault)) continue;
    out = [...out, state.held!];
    state.held = undefined;
  }
  return out;
}

function malform(payload: string, style: (typeof MALFORMED_STYLES)[number]): string {
  switch (style) {
    case 'truncated':
      return payload.slice(0, Math.floor(payload.length / 2));
    case 'no-ts':
      return payload.replace(/^\{"ts":-?\d+,/, '{');
    case 'not-json':
      // what a gateway that prints dictionaries would send
      return payload.replace(/"/g, "'");
  }
}

/** The fault's own random stream for one tick: independent of every other fault, of the model's noise and of call history. */
function randomFor(fault: Fault, ts: number, context: FaultContext): () => number {
  return mulberry32(seedFor(context.seed, `${context.site.key}/${fault.id}@${ts}`));
}

/** When a fault began: its `from`, or the first tick it was applied at. */
function startOf(fault: Fault, ts: number, memory: FaultMemory): number {
  if (fault.from !== undefined) return fault.from;
  const state = stateOf(fault, memory);
  state.started ??= ts;
  return state.started;
}

function hoursSinceLast(fault: Fault, ts: number, memory: FaultMemory): number {
  const state = stateOf(fault, memory);
  const last = state.lastTs;
  state.lastTs = ts;
  return last === undefined ? 0 : Math.max(0, ts - last) / 3_600_000;
}

function assetOf(site: SiteDefinition, key: string): AssetDefinition {
  return site.assets.find((asset) => asset.key === key)!;
}

function registerOf(asset: AssetDefinition, pointKey: string | undefined): PointDefinition | undefined {
  return asset.points.find((candidate) => candidate.kind === 'cumulative' && (pointKey === undefined || candidate.key === pointKey));
}

function rolloverOf(register: PointDefinition): number {
  return Number(register.attributes.rolloverAt ?? 0);
}

function wrap(value: number, rolloverAt: number): number {
  return rolloverAt > 0 ? ((value % rolloverAt) + rolloverAt) % rolloverAt : value;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}
