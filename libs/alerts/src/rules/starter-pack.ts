import type { SiteDefinition } from '@hallwatch/registry';
import { Condition, RuleDefinition, SOURCE_ASSET } from './rule-definition';

type Asset = SiteDefinition['assets'][number];
const has = (asset: Asset, point: string) => asset.points.some((p) => p.key === point);
const running = (asset: string): Condition => ({
  type: 'threshold',
  point: { asset, point: 'running' },
  above: 0.5,
  forSeconds: 0,
  hysteresis: 0,
});

/**
 * The rules a city hall starts with, derived from its registry: chiller efficiency and delta-T,
 * the 26 °C setpoint policy, CO2, the night patrol, night water flow (leaks), demand against the
 * contract, meters gone quiet and OPC UA servers down. Limits follow DOMAIN.md; all are editable.
 */
export function starterPack(site: SiteDefinition): RuleDefinition[] {
  const rules: RuleDefinition[] = [];
  const rule = (
    id: string,
    target: string,
    name: string,
    severity: RuleDefinition['severity'],
    condition: Condition,
    extra: Partial<RuleDefinition> = {},
  ) => rules.push({ id: `starter.${site.key}.${id}.${target}`, name, severity, site: site.key, target, condition, ...extra });

  for (const asset of site.assets) {
    if (asset.type === 'chiller' && has(asset, 'kWPerRt') && has(asset, 'running')) {
      rule('chiller-kw-per-rt', asset.key, `${asset.name}: kW/RT above 1.0 for 15 min`, 'P2', {
        type: 'all',
        conditions: [
          running(asset.key),
          { type: 'threshold', point: { asset: asset.key, point: 'kWPerRt' }, above: 1.0, forSeconds: 900, hysteresis: 0.05 },
        ],
      });
    }
    if (asset.type === 'chiller' && has(asset, 'deltaT') && has(asset, 'running')) {
      rule('chiller-low-delta-t', asset.key, `${asset.name}: chilled-water delta-T below 4 °C for 20 min`, 'P3', {
        type: 'all',
        conditions: [
          running(asset.key),
          { type: 'threshold', point: { asset: asset.key, point: 'deltaT' }, below: 4, forSeconds: 1200, hysteresis: 0.5 },
        ],
      });
    }
    if (asset.type === 'zone' && has(asset, 'setpoint')) {
      rule(
        'zone-setpoint-policy',
        asset.key,
        `${asset.name}: setpoint below 26 °C (policy 26-28 °C)`,
        'P4',
        { type: 'threshold', point: { asset: asset.key, point: 'setpoint' }, below: 26, forSeconds: 600, hysteresis: 0 },
        { schedule: { preset: 'office-hours' } },
      );
    }
    if (has(asset, 'co2')) {
      rule('co2', asset.key, `${asset.name}: CO2 above 1,000 ppm for 30 min`, 'P3', {
        type: 'threshold',
        point: { asset: asset.key, point: 'co2' },
        above: 1000,
        forSeconds: 1800,
        hysteresis: 50,
      });
    }
    const register = asset.points.find((p) => p.kind === 'cumulative');
    if ((asset.type === 'electricity-meter' || asset.type === 'water-meter') && register) {
      rule('meter-offline', asset.key, `${asset.name}: no readings for 15 min`, 'P3', {
        type: 'no-data',
        point: { asset: asset.key, point: register.key },
        minutes: 15,
      });
    }
    if (asset.type === 'water-meter' && asset.attributes.role === 'main' && register) {
      rule(
        'water-night-flow',
        asset.key,
        `${asset.name}: water flowing at night (possible leak)`,
        'P2',
        { type: 'rate-of-change', point: { asset: asset.key, point: register.key }, maxChangePerMinute: 0.01, windowSeconds: 3600 },
        { schedule: { windows: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '01:00', to: '05:00' }] } },
      );
    }
    if (asset.type === 'electricity-meter' && asset.attributes.role === 'main' && has(asset, 'kW')) {
      const contractKw = Number(site.attributes.contractCapacityKw);
      if (Number.isFinite(contractKw) && contractKw > 0) {
        rule('demand-forecast', asset.key, `${asset.name}: 15-minute demand forecast above the contract capacity`, 'P1', {
          type: 'demand-forecast',
          point: { asset: asset.key, point: 'kW' },
          contractKw,
          marginPct: 0,
        });
      }
      rule(
        'night-patrol',
        asset.key,
        `${asset.name}: after-hours load above the normal night base load (夜間用電巡檢)`,
        'P3',
        {
          type: 'threshold',
          point: { asset: asset.key, point: 'kW' },
          // until the daily job has learnt the night base load from two weeks of nights
          above: Number.isFinite(contractKw) && contractKw > 0 ? contractKw * 0.4 : 1e9,
          forSeconds: 1800,
          hysteresis: 0,
        },
        { schedule: { preset: 'after-hours' }, tuning: { kind: 'night-base-load', factor: 1.2 } },
      );
    }
  }
  for (const endpoint of site.opcua) {
    rule('opcua-down', endpoint.key, `OPC UA server ${endpoint.key} unreachable for 1 min`, 'P2', {
      type: 'threshold',
      point: { asset: SOURCE_ASSET, point: `opcua:${endpoint.key}` },
      below: 0.5,
      forSeconds: 60,
      hysteresis: 0,
    });
  }
  return rules;
}
