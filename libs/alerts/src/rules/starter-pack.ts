import { assetPlays, pointPlaying, PointRole, SiteDefinition } from '@hallwatch/registry';
import { ruleNames } from '../text/alert-catalogue';
import { nameIn } from '../text/place-name';
import { Condition, RuleDefinition, SOURCE_ASSET } from './rule-definition';

type Asset = SiteDefinition['assets'][number];
/** The key of the asset's point that plays the role (found by its tags, libs/registry site-roles), if any. */
const keyOf = (asset: Asset, role: PointRole) => pointPlaying(asset, role)?.key;
/** Equipment rules apply while it runs, where it has a running status point. */
const whileRunning = (asset: Asset): Partial<RuleDefinition> => {
  const running = pointPlaying(asset, 'running');
  return running?.kind === 'status' ? { appliesWhen: { running: { asset: asset.key, point: running.key } } } : {};
};
/** Comfort rules apply in the site's occupied hours (its `occupiedHours` attribute; weekdays 08:00-18:00 by default). */
const occupied: Partial<RuleDefinition> = { appliesWhen: { occupied: true } };

/**
 * The rules a city hall starts with, derived from its registry: chiller efficiency and delta-T,
 * equipment alarms (a chiller trip), the 26 °C setpoint policy, CO2, the night patrol, night water
 * flow (leaks), demand against the contract, meters gone quiet and OPC UA servers down. Limits
 * follow DOMAIN.md; all are editable. Equipment and points are found by their Haystack tags
 * (libs/registry site-roles), never by key.
 */
export function starterPack(site: SiteDefinition): RuleDefinition[] {
  const rules: RuleDefinition[] = [];
  /** A rule of a kind: its names in both languages come from the catalogue; `name` is the English one. */
  const rule = (
    kind: string,
    target: string,
    place: string,
    severity: RuleDefinition['severity'],
    condition: Condition,
    extra: Partial<RuleDefinition> = {},
  ) => {
    const names = ruleNames(kind, (lang) => nameIn(place, lang));
    rules.push({
      id: `starter.${site.key}.${kind}.${target}`,
      name: names.en,
      names,
      kind,
      severity,
      site: site.key,
      target,
      condition,
      ...extra,
    });
  };

  for (const asset of site.assets) {
    const at = (point: string) => ({ asset: asset.key, point });
    const chiller = assetPlays(asset, 'chiller');
    const zone = assetPlays(asset, 'zone');
    const kWPerRt = keyOf(asset, 'chillerKwPerRt');
    if (chiller && kWPerRt) {
      rule(
        'chiller-kw-per-rt',
        asset.key,
        asset.name,
        'P2',
        { type: 'threshold', point: at(kWPerRt), above: 1.0, forSeconds: 900, hysteresis: 0.05 },
        whileRunning(asset),
      );
    }
    const deltaT = keyOf(asset, 'chillerDeltaT');
    if (chiller && deltaT) {
      rule(
        'chiller-low-delta-t',
        asset.key,
        asset.name,
        'P3',
        { type: 'threshold', point: at(deltaT), below: 4, forSeconds: 1200, hysteresis: 0.5 },
        whileRunning(asset),
      );
    }
    // Any equipment with an alarm contact: a trip or fault is for the crew at once, running or not.
    const alarm = keyOf(asset, 'alarm');
    if (alarm) {
      rule('equipment-alarm', asset.key, asset.name, 'P2', {
        type: 'threshold',
        point: at(alarm),
        above: 0.5,
        forSeconds: 0,
        hysteresis: 0,
      });
    }
    const setpoint = keyOf(asset, 'temperatureSetpoint');
    if (zone && setpoint) {
      rule(
        'zone-setpoint-policy',
        asset.key,
        asset.name,
        'P4',
        { type: 'threshold', point: at(setpoint), below: 26, forSeconds: 600, hysteresis: 0 },
        occupied,
      );
    }
    const temp = keyOf(asset, 'zoneTemperature');
    if (zone && temp) {
      rule(
        'zone-too-warm',
        asset.key,
        asset.name,
        'P3',
        { type: 'threshold', point: at(temp), above: 28, forSeconds: 900, hysteresis: 0.5 },
        occupied,
      );
      rule(
        'zone-too-cold',
        asset.key,
        asset.name,
        'P4',
        { type: 'threshold', point: at(temp), below: 25, forSeconds: 1800, hysteresis: 0.5 },
        occupied,
      );
    }
    const co2 = keyOf(asset, 'co2');
    if (co2) {
      rule(
        'co2',
        asset.key,
        asset.name,
        'P3',
        { type: 'threshold', point: at(co2), above: 1000, forSeconds: 1800, hysteresis: 50 },
        occupied,
      );
    }
    const register = asset.points.find((p) => p.kind === 'cumulative');
    const electricityMain = assetPlays(asset, 'electricityMainMeter');
    const waterMain = assetPlays(asset, 'waterMainMeter');
    if ((assetPlays(asset, 'electricityMeter') || assetPlays(asset, 'waterMeter')) && register) {
      rule('meter-offline', asset.key, asset.name, 'P3', {
        type: 'no-data',
        point: { asset: asset.key, point: register.key },
        minutes: 15,
      });
    }
    if (waterMain && register) {
      rule(
        'water-night-flow',
        asset.key,
        asset.name,
        'P2',
        { type: 'rate-of-change', point: { asset: asset.key, point: register.key }, maxChangePerMinute: 0.01, windowSeconds: 3600 },
        { schedule: { windows: [{ days: [0, 1, 2, 3, 4, 5, 6], from: '01:00', to: '05:00' }] } },
      );
    }
    const power = pointPlaying(asset, 'power');
    if (electricityMain && power?.kind === 'gauge') {
      const contractKw = Number(site.attributes.contractCapacityKw);
      if (Number.isFinite(contractKw) && contractKw > 0) {
        rule('demand-forecast', asset.key, asset.name, 'P1', {
          type: 'demand-forecast',
          point: { asset: asset.key, point: power.key },
          contractKw,
          marginPct: 0,
        });
      }
      rule(
        'night-patrol',
        asset.key,
        asset.name,
        'P3',
        {
          type: 'threshold',
          point: { asset: asset.key, point: power.key },
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
    rule('opcua-down', endpoint.key, endpoint.key, 'P2', {
      type: 'threshold',
      point: { asset: SOURCE_ASSET, point: `opcua:${endpoint.key}` },
      below: 0.5,
      forSeconds: 60,
      hysteresis: 0,
    });
  }
  return rules;
}
