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
