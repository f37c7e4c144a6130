import { CONSUMPTION_KINDS_SQL } from '@hallwatch/domain';
import { HaystackDict, HaystackFilter, HaystackValue, matchesHaystackFilter, parseHaystackFilter } from './haystack-filter';
import type { AssetDefinition, PointDefinition, SiteDefinition } from './registry-file';

/**
 * The parts a site's equipment plays for Hallwatch, found by Project Haystack tags and never by
 * key names: the savings reports, the overview, the consumption API and the alert starter pack all
 * ask here, so a site whose main meter is called `incomer-a` finds it as the demo finds
 * `main-incomer`. Asset filters read the asset's tags; point filters read the point's tags, its
 * `unit` (a string) and its `kind`.
 */
export const ASSET_ROLES = {
  /** The site's main electricity meter(s): their register is the site's use, their power its demand. */
  electricityMainMeter: 'elec and meter and (siteMeter or main)',
  /** The site's main water meter(s). */
  waterMainMeter: 'water and meter and (siteMeter or main)',
  /** Any electricity or water meter: a quiet one raises an alert. */
  electricityMeter: 'elec and meter',
  waterMeter: 'water and meter',
  /** Logs of fuel amounts (litres per refuelling). */
  fuelLog: 'fuel and not meter',
  chiller: 'chiller',
  /** A conditioned space: the zones and floors pages. */
  zone: 'zone or space',
  /** Photovoltaic generation. */
  pv: 'pv',
} as const;

export const POINT_ROLES = {
  /** The outdoor air temperature (weather normalisation, the overview's outdoor tile). */
  outdoorTemperature: 'outside and temp and not sp',
  outdoorHumidity: 'outside and humidity',
  /** A meter's measured power; a derived net load is tagged `net` and is not the meter's demand. */
  power: 'power and not net',
  /** A chiller's efficiency in kW per refrigeration ton. */
  chillerKwPerRt: 'efficiency and unit == "kW/RT"',
  chillerDeltaT: 'delta and temp',
  /** Chilled water as it leaves the chiller and as it comes back: Haystack's `leaving`/`entering`, or the plant's `supply`/`return`. */
  chilledWaterLeavingTemp: 'chilled and water and (leaving or supply) and temp and not sp',
  chilledWaterEnteringTemp: 'chilled and water and (entering or return) and temp and not sp',
  /** The cooling a chiller makes (RT). */
  coolingCapacity: 'cooling and capacity',
  /** Whether the equipment runs, on/off: a status point. */
  running: 'run and kind == "status"',
  /** What the equipment is doing in more than two states (off, on, fault...): a multistate point. */
  runState: 'run and kind == "multistate"',
  alarm: 'alarm and kind == "status"',
  zoneTemperature: 'temp and not sp',
  zoneHumidity: 'humidity and not outside and not sp',
  temperatureSetpoint: 'temp and sp',
  co2: 'co2',
  occupied: 'occupied',
} as const;

export type AssetRole = keyof typeof ASSET_ROLES;
export type PointRole = keyof typeof POINT_ROLES;

/**
 * Registries written before tags carried meaning said the same with an asset's type and its `role`
 * attribute; these still count as the tags they stood for.
 */
const TYPE_TAGS: Readonly<Record<string, readonly string[]>> = {
  'electricity-meter': ['elec', 'meter'],
  'water-meter': ['water', 'meter'],
  'fuel-log': ['fuel'],
  chiller: ['chiller'],
  zone: ['zone'],
  'pv-inverter': ['pv'],
  'weather-station': ['weather'],
};

/** A point's unit says what it measures: a gauge in kW is a power point even where nobody tagged it so. */
const UNIT_TAGS: Readonly<Record<string, readonly string[]>> = {
  W: ['power'],
  kW: ['power'],
  MW: ['power'],
};

const parsed = new Map<string, HaystackFilter>();
function filterOf(text: string): HaystackFilter {
  let filter = parsed.get(text);
  if (!filter) parsed.set(text, (filter = parseHaystackFilter(text)));
  return filter;
}

const marker: HaystackValue = { kind: 'marker' };
const markers = (tags: Iterable<string>): Record<string, HaystackValue> => Object.fromEntries([...tags].map((tag) => [tag, marker]));

/** An asset's tags with those its type and role imply. */
export function assetTags(asset: Pick<AssetDefinition, 'type' | 'tags' | 'attributes'>): string[] {
  const implied = [...(TYPE_TAGS[asset.type] ?? []), ...(asset.attributes.role === 'main' ? ['main'] : [])];
  return [...new Set([...asset.tags, ...implied])];
}

/** A point's tags with those its unit implies. */
export function pointTags(point: Pick<PointDefinition, 'tags' | 'unit'>): string[] {
  return [...new Set([...point.tags, ...(UNIT_TAGS[point.unit] ?? [])])];
}

function pointDict(point: Pick<PointDefinition, 'tags' | 'unit' | 'kind'>): HaystackDict {
  return { ...markers(pointTags(point)), unit: { kind: 'str', val: point.unit }, kind: { kind: 'str', val: point.kind } };
}

const noRefs = () => undefined;

export function assetPlays(asset: Pick<AssetDefinition, 'type' | 'tags' | 'attributes'>, role: AssetRole): boolean {
  return matchesHaystackFilter(filterOf(ASSET_ROLES[role]), markers(assetTags(asset)), noRefs);
}

export function pointPlays(point: Pick<PointDefinition, 'tags' | 'unit' | 'kind'>, role: PointRole): boolean {
  return matchesHaystackFilter(filterOf(POINT_ROLES[role]), pointDict(point), noRefs);
}

/** The site's assets that play a role, in registry order. */
export function assetsPlaying(site: Pick<SiteDefinition, 'assets'>, role: AssetRole): AssetDefinition[] {
  return site.assets.filter((asset) => assetPlays(asset, role));
}

/** The asset's first point that plays a role, if any. */
export function pointPlaying<P extends Pick<PointDefinition, 'tags' | 'unit' | 'kind'>>(
  asset: { points: readonly P[] },
  role: PointRole,
): P | undefined {
  return asset.points.find((point) => pointPlays(point, role));
}

// ---------------------------------------------------------------------------------------------
// The same filters in SQL, for repositories that join `assets a` and `points p`.

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** SQL for an asset's tags with the implied ones (assetTags), over the row alias `a`. */
function assetTagsSql(alias: string): string {
  const byType = Object.entries(TYPE_TAGS)
    .map(([type, tags]) => `when ${sqlText(type)} then array[${tags.map(sqlText).join(', ')}]::text[]`)
    .join(' ');
  return `(${alias}.tags || (case ${alias}.type ${byType} else '{}'::text[] end) || (case when ${alias}.attributes->>'role' = 'main' then array['main']::text[] else '{}'::text[] end))`;
}

/** SQL for a point's tags with the implied ones (pointTags), over the row alias `p`. */
function pointTagsSql(alias: string): string {
  const byUnit = Object.entries(UNIT_TAGS)
    .map(([unit, tags]) => `when ${sqlText(unit)} then array[${tags.map(sqlText).join(', ')}]::text[]`)
    .join(' ');
  return `(${alias}.tags || (case ${alias}.unit ${byUnit} else '{}'::text[] end))`;
}

function filterSql(filter: HaystackFilter, tags: string, fields: Readonly<Record<string, string>>): string {
  switch (filter.type) {
    case 'and':
    case 'or':
      return `(${filterSql(filter.left, tags, fields)} ${filter.type} ${filterSql(filter.right, tags, fields)})`;
    case 'has':
    case 'missing': {
      const has = `${tags} @> array[${sqlText(singleName(filter.path))}]::text[]`;
      return filter.type === 'has' ? has : `not ${has}`;
    }
    case 'cmp': {
      const column = fields[singleName(filter.path)];
      if (!column || filter.op !== '==' || filter.value.kind !== 'str') throw new Error(`role filters in SQL compare only unit or kind with ==`);
      return `${column} = ${sqlText(filter.value.val)}`;
    }
  }
}

function singleName(path: readonly string[]): string {
  if (path.length !== 1) throw new Error(`role filters in SQL have no -> paths`);
  return path[0];
}

/** A SQL condition: the asset of alias `a` (a row of `assets`) plays the role. */
export function assetRoleSql(role: AssetRole, alias = 'a'): string {
  return filterSql(filterOf(ASSET_ROLES[role]), assetTagsSql(alias), {});
}

/** A SQL condition: the point of alias `p` (a row of `points`) plays the role. */
export function pointRoleSql(role: PointRole, alias = 'p'): string {
  return filterSql(filterOf(POINT_ROLES[role]), pointTagsSql(alias), { unit: `${alias}.unit`, kind: `${alias}.kind` });
}

/** The meters and logs whose points measure a site's use of each utility, and which of their points count. */
const UTILITY_METERS = {
  electricity: { role: 'electricityMainMeter', kinds: CONSUMPTION_KINDS_SQL },
  water: { role: 'waterMainMeter', kinds: CONSUMPTION_KINDS_SQL },
  fuel: { role: 'fuelLog', kinds: `('gauge')` },
} as const satisfies Record<string, { role: AssetRole; kinds: string }>;

export type MeasuredUtility = keyof typeof UTILITY_METERS;

/**
 * A SQL condition over `a` (assets) and `p` (points): the point measures the site's use of the
 * utility (a main meter's register or interval amounts, a fuel log's amounts).
 */
export function utilityPointSql(utility: MeasuredUtility): string {
  const { role, kinds } = UTILITY_METERS[utility];
  return `${assetRoleSql(role)} and p.kind in ${kinds}`;
}

/** A SQL condition over `p` (points): the outdoor air temperature, a gauge (weather normalisation reads it). */
export function outdoorTemperaturePointSql(): string {
  return `${pointRoleSql('outdoorTemperature')} and p.kind = 'gauge'`;
}

type RoleAsset = Pick<AssetDefinition, 'key' | 'type' | 'tags' | 'attributes'> & {
  points: ReadonlyArray<Pick<PointDefinition, 'key' | 'tags' | 'unit' | 'kind'>>;
};

/** A point by its asset's key and its own. */
export interface PointAt {
  asset: string;
  point: string;
}

/** A chiller's points by what they measure (their keys; null where it has none), as the chiller plant page reads them. */
export interface ChillerPoints {
  asset: string;
  /** on/off status */
  running: string | null;
  /** multistate: off, on, fault... */
  runState: string | null;
  alarm: string | null;
  power: string | null;
  /** chilled water leaving (supply) temperature */
  leavingTemp: string | null;
  /** chilled water entering (return) temperature */
  enteringTemp: string | null;
  /** cooling made, in RT */
  capacity: string | null;
}

/** A zone's points by what they measure, as the zones and floors pages read them. */
export interface ZonePoints {
  asset: string;
  temperature: string | null;
  humidity: string | null;
  co2: string | null;
  setpoint: string | null;
  occupied: string | null;
}

/** Where a site's main meter, outdoor temperature, chillers, zones and PV are, as the dashboard reads them. */
export interface SiteRoles {
  /** The first main electricity meter, with its power gauge and energy register. */
  mainMeter: { asset: string; power: string | null; energy: string | null } | null;
  outdoorTemperature: PointAt | null;
  outdoorHumidity: PointAt | null;
  chillers: string[];
  /** Each chiller of `chillers`, in the same order, with its points. */
  chillerPoints: ChillerPoints[];
  zones: ZonePoints[];
  /** The first PV generation with its power gauge. */
  pv: { asset: string; power: string | null } | null;
}

export function siteRoles(site: { assets: readonly RoleAsset[] }): SiteRoles {
  const main = site.assets.find((asset) => assetPlays(asset, 'electricityMainMeter'));
  const pv = site.assets.find((asset) => assetPlays(asset, 'pv'));
  const chillers = site.assets.filter((asset) => assetPlays(asset, 'chiller'));
  const firstPoint = (role: PointRole): PointAt | null => {
    for (const asset of site.assets) {
      const point = pointPlaying(asset, role);
      if (point) return { asset: asset.key, point: point.key };
    }
    return null;
  };
  return {
    mainMeter: main
      ? {
          asset: main.key,
          power: main.points.find((point) => point.kind === 'gauge' && pointPlays(point, 'power'))?.key ?? null,
          energy: main.points.find((point) => point.kind === 'cumulative' || point.kind === 'interval')?.key ?? null,
        }
      : null,
    outdoorTemperature: firstPoint('outdoorTemperature'),
    outdoorHumidity: firstPoint('outdoorHumidity'),
    chillers: chillers.map((asset) => asset.key),
    chillerPoints: chillers.map(chillerPoints),
    zones: site.assets.filter((asset) => assetPlays(asset, 'zone')).map(zonePoints),
    pv: pv ? { asset: pv.key, power: gaugeKey(pv, 'power') } : null,
  };
}

const keyPlaying = (asset: RoleAsset, role: PointRole) => pointPlaying(asset, role)?.key ?? null;
/** Of measurements, gauges: a register or interval point in kW·h is no power reading. */
const gaugeKey = (asset: RoleAsset, role: PointRole) => asset.points.find((point) => point.kind === 'gauge' && pointPlays(point, role))?.key ?? null;

export function chillerPoints(asset: RoleAsset): ChillerPoints {
  return {
    asset: asset.key,
    running: keyPlaying(asset, 'running'),
    runState: keyPlaying(asset, 'runState'),
    alarm: keyPlaying(asset, 'alarm'),
    power: gaugeKey(asset, 'power'),
    leavingTemp: gaugeKey(asset, 'chilledWaterLeavingTemp'),
    enteringTemp: gaugeKey(asset, 'chilledWaterEnteringTemp'),
    capacity: gaugeKey(asset, 'coolingCapacity'),
  };
}

export function zonePoints(asset: RoleAsset): ZonePoints {
  return {
    asset: asset.key,
    temperature: gaugeKey(asset, 'zoneTemperature'),
    humidity: gaugeKey(asset, 'zoneHumidity'),
    co2: gaugeKey(asset, 'co2'),
    setpoint: keyPlaying(asset, 'temperatureSetpoint'),
    occupied: keyPlaying(asset, 'occupied'),
  };
}
