import type { AssetInfo, SiteDetail } from '../api/api-types';
import type { PointAddress } from '../api/api-client';

/**
 * The assets and points each page needs. The main meter, the outdoor temperature and the chillers
 * are the server's `roles` (found by their Haystack tags, never by key names); zones and PV by type.
 */
export interface SiteModel {
  key: string;
  name: string;
  mainMeter: AssetInfo | null;
  /** The main meter's power gauge (kW). */
  mainPower: PointAddress | null;
  chillers: AssetInfo[];
  floors: Floor[];
  pv: AssetInfo | null;
  outdoorTemperature: PointAddress | null;
  outdoorHumidity: PointAddress | null;
}

export interface Floor {
  floor: string;
  zones: AssetInfo[];
}

export function siteModel(site: SiteDetail): SiteModel {
  const ofType = (type: string) => site.assets.filter((asset) => asset.type === type);
  const byKey = (key: string) => site.assets.find((asset) => asset.key === key);
  const { mainMeter, outdoorTemperature, outdoorHumidity, chillers } = site.roles;
  return {
    key: site.key,
    name: site.name,
    mainMeter: (mainMeter && byKey(mainMeter.asset)) ?? null,
    mainPower: mainMeter?.power ? { asset: mainMeter.asset, point: mainMeter.power } : null,
    chillers: chillers
      .map(byKey)
      .filter((asset): asset is AssetInfo => !!asset)
      .sort((a, b) => naturalCompare(a.key, b.key)),
    floors: floorsOf(ofType('zone')),
    pv: ofType('pv-inverter')[0] ?? null,
    outdoorTemperature,
    outdoorHumidity,
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
