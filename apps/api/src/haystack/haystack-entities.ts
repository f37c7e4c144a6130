import { AssetRow, HaystackDict, HaystackValue, PointRow, SiteRow } from '@hallwatch/registry';

/**
 * Hallwatch's registry as Haystack entities: a site per site, an equip per asset, a point per
 * point. Ids are the registry keys joined by dots (`demo-city-hall`, `demo-city-hall.chiller-1`,
 * `demo-city-hall.chiller-1.kW`): readable, stable across databases, and unambiguous because site
 * and asset keys hold no dot (point keys may: everything after the second dot is the point key).
 */

const MARKER: HaystackValue = { kind: 'marker' };
const str = (val: string): HaystackValue => ({ kind: 'str', val });
const ref = (val: string, dis: string): HaystackValue => ({ kind: 'ref', val, dis });

/** Haystack tag names (docHaystack/Kinds#names): registry tags outside it (`night-base`) are not exported. */
const HAYSTACK_NAME = /^[a-z][a-zA-Z0-9_]*$/;
/** Tags the entity sets itself: a registry tag of the same name would change what the entity is. */
const STRUCTURAL = new Set(['id', 'dis', 'site', 'equip', 'point', 'his', 'siteRef', 'equipRef', 'tz', 'kind', 'unit', 'hisTotalized']);

export type EntityAddress =
  | { type: 'site'; site: string }
  | { type: 'equip'; site: string; asset: string }
  | { type: 'point'; site: string; asset: string; point: string };

export function siteId(site: string): string {
  return site;
}
export function equipId(site: string, asset: string): string {
  return `${site}.${asset}`;
}
export function pointId(site: string, asset: string, point: string): string {
  return `${site}.${asset}.${point}`;
}

/** What an id names; undefined for text that is no Hallwatch id. */
export function parseEntityId(id: string): EntityAddress | undefined {
  const [site, asset, ...point] = id.split('.');
  if (!/^[a-z0-9-]+$/.test(site)) return undefined;
  if (asset === undefined) return { type: 'site', site };
  if (!/^[a-z0-9-]+$/.test(asset)) return undefined;
  if (point.length === 0) return { type: 'equip', site, asset };
  const key = point.join('.');
  return /^[A-Za-z0-9_.-]+$/.test(key) ? { type: 'point', site, asset, point: key } : undefined;
}

/** Haystack names time zones by the city part of the IANA name (docHaystack/TimeZones): Asia/Taipei is Taipei. */
export function haystackTimeZone(iana: string): string {
  return iana.split('/').pop()!;
}

/** Units Hallwatch spells differently from the Haystack unit database (a refrigeration ton is `tonref` there). */
const HAYSTACK_UNITS: Record<string, string> = { m3: 'm³', 'm3/h': 'm³/h', RT: 'tonref' };

export function haystackUnit(unit: string): string | null {
  if (unit === '') return null;
  return HAYSTACK_UNITS[unit] ?? unit;
}

function registryTags(tags: readonly string[]): Record<string, HaystackValue> {
  return Object.fromEntries(tags.filter((tag) => HAYSTACK_NAME.test(tag) && !STRUCTURAL.has(tag)).map((tag) => [tag, MARKER]));
}

export function siteEntity(site: SiteRow): HaystackDict {
  return { id: ref(siteId(site.key), site.name), dis: str(site.name), site: MARKER, tz: str(haystackTimeZone(site.timezone)) };
}

export function equipEntity(site: SiteRow, asset: AssetRow): HaystackDict {
  return {
    id: ref(equipId(site.key, asset.key), asset.name),
    dis: str(asset.name),
    ...registryTags(asset.tags),
    equip: MARKER,
    siteRef: ref(siteId(site.key), site.name),
  };
}

/**
 * How a point kind reads in Haystack: its value kind, its function marker, and whether its history
 * is a running total. Kinds without a Haystack counterpart of their own (interval amounts) are
 * numeric sensors.
 */
function pointKindTags(kind: string): Record<string, HaystackValue> {
  switch (kind) {
    case 'cumulative':
      return { kind: str('Number'), sensor: MARKER, hisTotalized: MARKER };
    case 'setpoint':
      return { kind: str('Number'), sp: MARKER };
    case 'status':
      return { kind: str('Bool'), sensor: MARKER };
    default:
      return { kind: str('Number'), sensor: MARKER };
  }
}

export function pointEntity(site: SiteRow, asset: AssetRow, point: PointRow): HaystackDict {
  const dis = `${asset.name} ${point.name ?? point.key}`;
  const unit = point.kind === 'status' ? null : haystackUnit(point.unit);
  return {
    id: ref(pointId(site.key, asset.key, point.key), dis),
    dis: str(dis),
    ...registryTags(point.tags),
    point: MARKER,
    his: MARKER,
    ...pointKindTags(point.kind),
    ...(unit ? { unit: str(unit) } : {}),
    equipRef: ref(equipId(site.key, asset.key), asset.name),
    siteRef: ref(siteId(site.key), site.name),
    tz: str(haystackTimeZone(site.timezone)),
  };
}
