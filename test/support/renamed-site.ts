import { join } from 'node:path';
import { loadRegistryFile, SiteDefinition } from '@hallwatch/registry';

/** The demo city hall as the registry ships it. */
export function demoSite(): SiteDefinition {
  return loadRegistryFile(join(__dirname, '../../registry/demo-city-hall.yaml')).sites[0];
}

export interface Renaming {
  site: string;
  assets: Record<string, string>;
  points: Record<string, string>;
}

/**
 * The same building under other names: every asset and point key renamed (expressions follow), every
 * asset's type made generic and its `role` attribute dropped, so that only the Haystack tags still say
 * which is the main meter, the outdoor temperature and the chillers.
 */
export function renamedSite(site: SiteDefinition, renaming: Renaming): SiteDefinition {
  const asset = (key: string) => renaming.assets[key] ?? key;
  const point = (key: string) => renaming.points[key] ?? key;
  const expression = (text: string) =>
    text
      .replace(/'([a-z0-9-]+)\.([A-Za-z0-9_.-]+)'/g, (_, a: string, p: string) => `'${asset(a)}.${point(p)}'`)
      .replace(/(?<!['.\w])([A-Za-z_]\w*)(?![\w'])/g, (name: string) => point(name));
  return {
    ...site,
    key: renaming.site,
    assets: site.assets.map(({ attributes: { role: _role, ...attributes }, ...candidate }) => ({
      ...candidate,
      key: asset(candidate.key),
      type: 'equipment',
      attributes,
      points: candidate.points.map((p) => ({
        ...p,
        key: point(p.key),
        ...(p.expression ? { expression: expression(p.expression) } : {}),
      })),
    })),
  };
}

/** Renames a key of the renamed site back to the demo's (the inverse of a Renaming's maps). */
export function originalKey(map: Record<string, string>, key: string): string {
  return Object.entries(map).find(([, renamed]) => renamed === key)?.[0] ?? key;
}
