import { nameIn, RuleDefinition, starterPack } from '@hallwatch/alerts';
import { SiteDefinition } from '@hallwatch/registry';
import { occupancy } from './building.model';
import { FaultSpec } from './faults';

/**
 * Faults now and then, so that a demo raises alerts while someone watches: a site whose registry
 * attributes carry `demoFaultEveryMinutes`, `demoFaultForMinutes` and `demoFaultFirstAfterMinutes` gets one fault
 * every `everyMinutes` of simulated time (the first `firstAfterMinutes` after the start), lasting
 * `forMinutes`. The first is always CO2 above 1,000 ppm in the first zone that measures it, which
 * the demo's watch rule (demoAlertRules) raises within half a minute at any hour, so a new user sees an
 * alert soon after the first start. Then, in office hours, a chiller with a low delta-T, a zone
 * above 28 °C, CO2 above 1,000 ppm or a chiller that trips (its alarm contact on, its mode Fault),
 * in turn; after hours a load left on above the night patrol's level. Live runs only.
 */
export interface DemoFaultPlan {
  everyMinutes: number;
  forMinutes: number;
  firstAfterMinutes: number;
}

const MINUTE = 60_000;

export function demoFaultPlan(site: SiteDefinition): DemoFaultPlan | undefined {
  const every = Number(site.attributes.demoFaultEveryMinutes);
  const lasting = Number(site.attributes.demoFaultForMinutes);
  if (!(every > 0 && lasting > 0)) return undefined;
  const first = Number(site.attributes.demoFaultFirstAfterMinutes ?? every);
  return { everyMinutes: every, forMinutes: Math.min(lasting, every), firstAfterMinutes: first >= 0 ? first : every };
}

export class DemoFaultRotation {
  private readonly next = new Map<string, number>();
  private readonly turn = new Map<string, number>();

  constructor(
    private readonly sites: SiteDefinition[],
    start: number,
  ) {
    for (const site of sites) {
      const plan = demoFaultPlan(site);
      if (plan) this.next.set(site.key, start + plan.firstAfterMinutes * MINUTE);
    }
  }

  /** The faults that begin at simulated time `ts` (at most one per site), with their `from` and `to`. */
  due(ts: number): FaultSpec[] {
    const out: FaultSpec[] = [];
    for (const site of this.sites) {
      const at = this.next.get(site.key);
      const plan = demoFaultPlan(site);
      if (at === undefined || !plan || ts < at) continue;
      this.next.set(site.key, ts + plan.everyMinutes * MINUTE);
      const turn = this.turn.get(site.key) ?? 0;
      this.turn.set(site.key, turn + 1);
      const fault = this.pick(site, ts, turn);
      if (fault) out.push({ ...fault, from: ts, to: ts + plan.forMinutes * MINUTE } as FaultSpec);
    }
    return out;
  }

  private pick(site: SiteDefinition, ts: number, turn: number): Record<string, unknown> | undefined {
    const of = (type: string) => site.assets.filter((asset) => asset.type === type);
    const zones = of('zone').filter((asset) => asset.points.some((point) => point.key === 'temp'));
    const zone = zones.length ? zones[turn % zones.length].key : undefined;
    const chiller = of('chiller')[0]?.key;
    const submeter = of('electricity-meter').find((asset) => asset.attributes.role === 'submeter')?.key;
    const contractKw = Number(site.attributes.contractCapacityKw);
    const watched = watchedZone(site);
    if (turn === 0 && watched) return { kind: 'co2-high', asset: watched.key, ppm: 1500 };
    if (occupancy(ts, site.timezone) <= 0.12) {
      // After hours: above the patrol's first level (40% of the contract) until it learns the night base load.
      return submeter
        ? { kind: 'after-hours-load', asset: submeter, kW: contractKw > 0 ? Math.round(contractKw * 0.4) : 2_000 }
        : undefined;
    }
    const options = [
      chiller ? { kind: 'chiller-low-delta-t', asset: chiller, deltaT: 1.5 } : undefined,
      zone ? { kind: 'zone-too-warm', asset: zone, temp: 29 } : undefined,
      zone ? { kind: 'co2-high', asset: zone, ppm: 1500 } : undefined,
      chiller ? { kind: 'chiller-trip', asset: chiller } : undefined,
    ].filter((option) => option !== undefined);
    return options.length ? options[turn % options.length] : undefined;
  }
}

/** The zone the demo's first fault and its watch rule use: the first that measures CO2. */
function watchedZone(site: SiteDefinition) {
  return site.assets.find((asset) => asset.type === 'zone' && asset.points.some((point) => point.key === 'co2'));
}

/**
 * The alert rules the demo starts with (seeded on its first start): the city-hall starter pack;
 * a zone above the 26-28 °C policy for 10 minutes in office hours, which the starter pack leaves
 * out and the zone-too-warm fault makes; and the demo's watch rule, CO2 above 1,000 ppm for 30 s
 * at any hour in the zone of the first fault, so the first start shows an alert within two minutes
 * (the starter pack's CO2 rule waits 30 minutes, in occupied hours).
 */
export function demoAlertRules(site: SiteDefinition): RuleDefinition[] {
  const zone = watchedZone(site);
  const watch: RuleDefinition[] = zone
    ? [
        {
          id: `demo.${site.key}.co2-watch.${zone.key}`,
          kind: 'co2',
          name: `${nameIn(zone.name, 'en')}: CO2 above 1,000 ppm for 30 s (the demo's watch rule)`,
          names: {
            'zh-TW': `${nameIn(zone.name, 'zh-TW')}：CO2 超過 1,000 ppm 達 30 秒（示範觀察規則）`,
            en: `${nameIn(zone.name, 'en')}: CO2 above 1,000 ppm for 30 s (the demo's watch rule)`,
          },
          severity: 'P3',
          site: site.key,
          target: zone.key,
          condition: { type: 'threshold', point: { asset: zone.key, point: 'co2' }, above: 1000, forSeconds: 30, hysteresis: 50 },
        },
      ]
    : [];
  const warm: RuleDefinition[] = site.assets
    .filter((asset) => asset.type === 'zone' && asset.points.some((point) => point.key === 'temp'))
    .map((asset) => ({
      id: `demo.${site.key}.zone-too-warm.${asset.key}`,
      name: `${asset.name}: above 28 °C for 10 min (policy 26-28 °C)`,
      severity: 'P3',
      site: site.key,
      target: asset.key,
      condition: { type: 'threshold', point: { asset: asset.key, point: 'temp' }, above: 28, forSeconds: 600, hysteresis: 0.3 },
      schedule: { preset: 'office-hours' },
    }));
  return [...starterPack(site), ...warm, ...watch];
}
