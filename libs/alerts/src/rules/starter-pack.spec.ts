import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { demoSite, originalKey, renamedSite, Renaming } from '@hallwatch/testing';
import { Condition, RuleDefinition, ruleDefinitionSchema } from './rule-definition';
import { starterPack } from './starter-pack';

describe('starter pack for the demo city hall', () => {
  const site = loadRegistryFile(join(__dirname, '../../../../registry/demo-city-hall.yaml')).sites[0];
  const rules = starterPack(site);
  const kinds = (id: string) => rules.filter((r) => r.id.startsWith(`starter.${site.key}.${id}.`)).map((r) => r.target);

  it('derives the city-hall rules from the registry, each valid', () => {
    for (const rule of rules) expect(ruleDefinitionSchema.parse(rule)).toEqual(rule);
    expect(kinds('chiller-kw-per-rt').length).toBeGreaterThanOrEqual(2);
    expect(kinds('chiller-low-delta-t').length).toBeGreaterThanOrEqual(2);
    // Every chiller has an alarm contact: a trip is for the crew at once, at any hour, running or not.
    expect(kinds('equipment-alarm')).toEqual(['chiller-1', 'chiller-2', 'chiller-3', 'chiller-4']);
    const alarm = rules.find((r) => r.id === 'starter.demo-city-hall.equipment-alarm.chiller-1')!;
    expect(alarm).toMatchObject({
      severity: 'P2',
      condition: { type: 'threshold', point: { asset: 'chiller-1', point: 'alarm' }, above: 0.5 },
    });
    expect(alarm.appliesWhen).toBeUndefined();
    expect(alarm.schedule).toBeUndefined();
    expect(kinds('zone-setpoint-policy').length).toBeGreaterThanOrEqual(4);
    expect(kinds('co2').length).toBeGreaterThanOrEqual(4);
    expect(kinds('demand-forecast')).toEqual(['main-incomer']);
    expect(kinds('night-patrol')).toEqual(['main-incomer']);
    expect(kinds('water-night-flow').length).toBe(1);
    expect(kinds('meter-offline').length).toBeGreaterThanOrEqual(2);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('names its rules per site, so a second building gets rules of its own', () => {
    const other = starterPack({ ...site, key: 'annex-hall' });
    expect(other.filter((rule) => rules.some((mine) => mine.id === rule.id))).toEqual([]);
  });

  it('watches demand against the contract capacity', () => {
    const demand = rules.find((r) => r.id === 'starter.demo-city-hall.demand-forecast.main-incomer')!;
    expect(demand.condition).toMatchObject({ type: 'demand-forecast', contractKw: 6000 });
  });
});

describe('starter pack of a building whose keys differ but whose tags are the same', () => {
  const renaming: Renaming = {
    site: 'renamed-hall',
    assets: {
      'main-incomer': 'incomer-a',
      'chiller-1': 'ch-north',
      'chiller-2': 'ch-south',
      'water-main': 'city-water',
      weather: 'roof-station',
    },
    points: {
      kW: 'P',
      kWh: 'E',
      kWPerRt: 'eff',
      deltaT: 'dT',
      running: 'run-state',
      temp: 'zt',
      setpoint: 'zsp',
      co2: 'carbon',
      m3: 'vol',
    },
  };
  const demo = demoSite();
  const renamed = renamedSite(demo, renaming);

  /** A renamed site's rule in the demo's names. */
  const inDemoNames = (rule: RuleDefinition): RuleDefinition => {
    const asset = (key: string) => originalKey(renaming.assets, key);
    const ref = (at: { asset: string; point: string }) => ({ asset: asset(at.asset), point: originalKey(renaming.points, at.point) });
    const condition: Condition & { point?: { asset: string; point: string } } = rule.condition;
    const running = rule.appliesWhen?.running;
    return {
      ...rule,
      id: `starter.${demo.key}.${rule.kind}.${asset(rule.target)}`,
      site: demo.key,
      target: asset(rule.target),
      condition: condition.point ? { ...condition, point: ref(condition.point) } : condition,
      ...(running ? { appliesWhen: { ...rule.appliesWhen, running: ref(running) } } : {}),
    };
  };

  it('has no asset type or role left to go by, only tags', () => {
    expect(renamed.assets.every((asset) => asset.type === 'equipment' && asset.attributes.role === undefined)).toBe(true);
    expect(renamed.assets.find((asset) => asset.key === 'incomer-a')?.points.map((point) => point.key)).toContain('P');
  });

  it('gets the same rules, on the same equipment and points under their own names', () => {
    expect(starterPack(renamed).map(inDemoNames)).toEqual(starterPack(demo));
  });
});
