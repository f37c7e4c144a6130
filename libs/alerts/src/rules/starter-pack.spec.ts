import { join } from 'node:path';
import { loadRegistryFile } from '@hallwatch/registry';
import { ruleDefinitionSchema } from './rule-definition';
import { starterPack } from './starter-pack';

describe('starter pack for the demo city hall', () => {
  const site = loadRegistryFile(join(__dirname, '../../../../registry/demo-city-hall.yaml')).sites[0];
  const rules = starterPack(site);
  const kinds = (id: string) => rules.filter((r) => r.id.startsWith(`starter.${site.key}.${id}.`)).map((r) => r.target);

  it('derives the city-hall rules from the registry, each valid', () => {
    for (const rule of rules) expect(ruleDefinitionSchema.parse(rule)).toEqual(rule);
    expect(kinds('chiller-kw-per-rt').length).toBeGreaterThanOrEqual(2);
    expect(kinds('chiller-low-delta-t').length).toBeGreaterThanOrEqual(2);
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
