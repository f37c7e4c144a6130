import type { AssetInfo, SiteDetail } from '../api/api-types';

/** The assets each page needs, found by type and role in the site registry. */
export interface SiteModel {
  key: string;
  name: string;
  mainMeter: AssetInfo | null;
  chillers: AssetInfo[];
  floors: Floor[];
  pv: AssetInfo | null;
  weather: AssetInfo | null;
}

export interface Floor {
  floor: string;
  zones: AssetInfo[];
}

export function siteModel(site: SiteDetail): SiteModel {
  const ofType = (type: string) => site.assets.filter((asset) => asset.type === type);
  const meters = ofType('electricity-meter');
  const mainMeter = meters.find((asset) => asset.attributes.role === 'main') ?? meters.find((asset) => asset.tags.includes('main')) ?? null;
  return {
    key: site.key,
    name: site.name,
    mainMeter,
    chillers: ofType('chiller').sort((a, b) => naturalCompare(a.key, b.key)),
    floors: floorsOf(ofType('zone')),
    pv: ofType('pv-inverter')[0] ?? null,
    weather: ofType('weather-station')[0] ?? null,
  };
}

export function hasPoint(asset: AssetInfo | null | undefined, point: string): asset is AssetInfo {
  return !!asset && asset.points.some((candidate) => candidate.key === point);
}

/** Zones grouped by their `floor` attribute, floors in building order (B2, B1, 1F, 2F ... 12F). */
export function floorsOf(zones: readonly AssetInfo[]): Floor[] {
  const byFloor = new Map<string, AssetInfo[]>();
  for (const zone of zones) {
    const floor = typeof zone.attributes.floor === 'string' ? zone.attributes.floor : '';
    byFloor.set(floor, [...(byFloor.get(floor) ?? []), zone]);
  }
  return [...byFloor.entries()]
    .sort(([a], [b]) => floorLevel(a) - floorLevel(b) || naturalCompare(a, b))
    .map(([floor, list]) => ({ floor, zones: list.sort((a, b) => naturalCompare(a.key, b.key)) }));
}

/** "B2" -> -2, "5F" -> 5, "RF"/unknown last. */
export function floorLevel(floor: string): number {
  const basement = /^B(\d+)F?$/i.exec(floor);
  if (basement) return -Number(basement[1]);
  const above = /^(\d+)F?$/i.exec(floor);
  if (above) return Number(above[1]);
  return Number.MAX_SAFE_INTEGER;
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** The registry's expected interval (`expectedIntervalSeconds`) of every point that declares one, in ms, keyed `asset/point` as the live store keys values. */
export function expectedIntervalsMs(site: SiteDetail): Map<string, number> {
  const intervals = new Map<string, number>();
  for (const asset of site.assets)
    for (const point of asset.points) {
      const seconds = Number(point.attributes.expectedIntervalSeconds);
      if (Number.isFinite(seconds) && seconds > 0) intervals.set(`${asset.key}/${point.key}`, seconds * 1000);
    }
  return intervals;
}
