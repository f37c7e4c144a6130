import { SiteDefinition } from '@hallwatch/registry';

type Asset = SiteDefinition['assets'][number];

/** The main incomer of a report test's site: an electricity meter with role main and a kWh register. */
export function mainIncomer(registerAttributes: Record<string, string | number | boolean> = {}): Asset {
  return {
    key: 'main-incomer',
    name: 'Main incomer',
    type: 'electricity-meter',
    tags: ['elec'],
    attributes: { role: 'main' },
    points: [{ key: 'kWh', kind: 'cumulative', unit: 'kWh', tags: ['energy'], attributes: registerAttributes }],
  };
}

/** A Taipei site for savings-report tests: the given assets, nothing else. */
export function reportSite(key: string, name: string, assets: Asset[]): SiteDefinition {
  return { key, name, timezone: 'Asia/Taipei', attributes: {}, opcua: [], assets };
}
