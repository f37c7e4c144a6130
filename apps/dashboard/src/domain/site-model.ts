import type { AssetInfo, ChillerPoints, PointInfo, SiteDetail, ZonePoints } from '../api/api-types';
import type { PointAddress } from '../api/api-client';

/**
 * The assets and points each page needs, as the server's `roles` name them: the main meter, the
 * outdoor temperature, the chillers, the zones and PV with their points are found by their Haystack
 * tags, never by key names or asset types.
 */
export interface SiteModel {
  key: string;
  name: string;
  mainMeter: AssetInfo | null;
  /** The main meter's power gauge (kW). */
  mainPower: PointAddress | null;
  chillers: Chiller[];
  floors: Floor[];
  /** The PV generation's power gauge (kW). */
  pvPower: PointAddress | null;
  outdoorTemperature: PointAddress | null;
  outdoorHumidity: PointAddress | null;
}

/** A chiller with the keys of its points by what they measure. */
export type Chiller = AssetInfo & { roles: ChillerPoints };
/** A zone with the keys of its points by what they measure. */
export type Zone = AssetInfo & { roles: ZonePoints };

export interface Floor {
  floor: string;
  zones: Zone[];
}

export function siteModel(site: SiteDetail): SiteModel {
  const byKey = (key: string) => site.assets.find((asset) => asset.key === key);
  const withRoles = <Roles extends { asset: string }>(roles: readonly Roles[]) =>
    roles.flatMap((at) => {
      const asset = byKey(at.asset);
      return asset ? [{ ...asset, roles: at }] : [];
    });
  const { mainMeter, outdoorTemperature, outdoorHumidity, chillerPoints, zones, pv } = site.roles;
  return {
    key: site.key,
    name: site.name,
    mainMeter: (mainMeter && byKey(mainMeter.asset)) ?? null,
    mainPower: mainMeter?.power ? { asset: mainMeter.asset, point: mainMeter.power } : null,
    chillers: withRoles(chillerPoints).sort((a, b) => naturalCompare(a.key, b.key)),
    floors: floorsOf(withRoles(zones)),
    pvPower: pv?.power ? { asset: pv.asset, point: pv.power } : null,
    outdoorTemperature,
    outdoorHumidity,
  };
}

/** The addresses of an asset's points of these keys, the ones it has (null keys left out): what a page seeds from the API. */
export function addressesOf(asset: { key: string }, keys: ReadonlyArray<string | null>): PointAddress[] {
  return keys.filter((key): key is string => key !== null).map((point) => ({ asset: asset.key, point }));
}

/** The registry's description of a point of an asset, if it has that point. */
export function pointInfo(asset: AssetInfo | undefined, point: string | null): PointInfo | undefined {
  return point === null ? undefined : asset?.points.find((candidate) => candidate.key === point);
}

/** Zones grouped by their `floor` attribute, floors in building order (B2, B1, 1F, 2F ... 12F). */
export function floorsOf(zones: readonly Zone[]): Floor[] {
  const byFloor = new Map<string, Zone[]>();
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
