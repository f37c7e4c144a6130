import { SiteDefinition } from '@hallwatch/registry';
import { AssetValues, BuildingModel } from './building.model';

export interface SimMessage {
  topic: string;
  payload: string;
}

export interface GenerateOptions {
  seed: number;
  from: number;
  to: number;
  tickMs: number;
  topicPrefix: string;
}

/** Anything that gives every asset's values at a time: the model, or the model seen through faults. */
export interface Sampler {
  sample(ts: number): Map<string, AssetValues>;
}

/** The native v1 messages of one tick: one per asset that has something to say. */
export function tickMessages(model: Sampler, site: SiteDefinition, ts: number, topicPrefix: string): SimMessage[] {
  const messages: SimMessage[] = [];
  for (const [asset, values] of model.sample(ts)) {
    if (Object.keys(values).length === 0) continue;
    messages.push({ topic: `${topicPrefix}/${site.key}/${asset}`, payload: JSON.stringify({ ts, values }) });
  }
  return messages;
}

/** Every message from `from` (inclusive) to `to` (exclusive), tick by tick: the same seed gives the same bytes. */
export function* generateMessages(site: SiteDefinition, options: GenerateOptions): Generator<SimMessage> {
  const model = new BuildingModel(site, options.seed);
  for (let ts = options.from; ts < options.to; ts += options.tickMs) yield* tickMessages(model, site, ts, options.topicPrefix);
}

/** The readings (values) a native v1 payload carries; 0 for one that is not JSON or has no values (a malformed message). */
export function countReadings(payload: string): number {
  try {
    const values = (JSON.parse(payload) as { values?: unknown }).values;
    return values !== null && typeof values === 'object' ? Object.keys(values).length : 0;
  } catch {
    return 0;
  }
}

/** Readings in one tick of every site: a fresh model per site sampled once at `ts` (the models in use are left untouched). */
export function readingsPerTick(sites: SiteDefinition[], seed: number, ts: number): number {
  let readings = 0;
  for (const site of sites) for (const values of new BuildingModel(site, seed).sample(ts).values()) readings += Object.keys(values).length;
  return readings;
}

/**
 * The simulated time between ticks that gives `rate` readings per wall-clock second when each tick
 * carries `perTick` readings and simulated time runs `speed` times the wall clock (at least 1 ms).
 */
export function tickMsForRate(perTick: number, rate: number, speed = 1): number {
  if (!(Number.isFinite(rate) && rate > 0)) throw new RangeError(`rate ${rate}: readings per second, more than 0`);
  if (!(Number.isFinite(speed) && speed > 0)) throw new RangeError(`speed ${speed}: more than 0`);
  return Math.max(1, Math.round((Math.max(1, perTick) / rate) * 1000 * speed));
}
