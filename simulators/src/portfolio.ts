import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AssetDefinition,
  loadRegistryFile,
  loadRegistryFolder,
  PointDefinition,
  RegistryFile,
  registryFile,
  SiteDefinition,
} from '@hallwatch/registry';
import { mulberry32, seedFor } from './prng';

/**
 * A portfolio of synthetic city-hall-like buildings for load tests: each a scaled variant of the demo
 * city hall (main incomer, sub-meters, chillers, AHUs with their zones, water, weather, sometimes PV
 * and rainwater), deterministic for a seed. See simulators/PORTFOLIO.md.
 */
export interface PortfolioOptions {
  buildings: number;
  /** registry points per building (derived points included); met within a couple of points */
  pointsPerBuilding: number;
  seed: number;
}

export class PortfolioSpecError extends Error {}

/** The fewest points a building can have: main incomer, six basic sub-meters, a chiller, water, weather, an AHU and a zone. */
export const MIN_POINTS_PER_BUILDING = 50;
const MAX_BUILDINGS = 100_000;
const MAX_POINTS_PER_BUILDING = 1_000_000;

/** `50x400` (or `50×400`): buildings by points per building. */
export function parsePortfolioSize(text: string): { buildings: number; pointsPerBuilding: number } {
  const match = /^\s*(\d+)\s*[x×X]\s*(\d+)\s*$/.exec(text);
  if (!match) throw new PortfolioSpecError(`portfolio ${text}: write buildings x points per building, e.g. 50x400`);
  return { buildings: Number(match[1]), pointsPerBuilding: Number(match[2]) };
}

type Random = () => number;

/** A point with its fields in the schema's order, so a generated registry equals the same file loaded back. */
function point(
  key: string,
  kind: PointDefinition['kind'],
  unit: string,
  tags: string[],
  extra: Partial<PointDefinition> = {},
): PointDefinition {
  return {
    key,
    ...(extra.name === undefined ? {} : { name: extra.name }),
    kind,
    unit,
    ...(extra.expression === undefined ? {} : { expression: extra.expression }),
    tags,
    attributes: extra.attributes ?? {},
  };
}

function meterPoints(full: boolean, kWhAttributes: Record<string, number> = {}): PointDefinition[] {
  const core = [
    point('kW', 'gauge', 'kW', ['elec', 'power']),
    point('kWh', 'cumulative', 'kWh', ['elec', 'energy'], { attributes: kWhAttributes }),
  ];
  if (!full) return core;
  return [
    ...core,
    point('kVAR', 'gauge', 'kVAR', ['elec', 'reactive']),
    point('pf', 'gauge', '', ['elec', 'pf']),
    ...[1, 2, 3].map((phase) => point(`voltageL${phase}`, 'gauge', 'V', ['elec', 'volt'])),
    ...[1, 2, 3].map((phase) => point(`currentL${phase}`, 'gauge', 'A', ['elec', 'current'])),
  ];
}

const CHILLER_POINTS: PointDefinition[] = [
  point('kW', 'gauge', 'kW', ['elec', 'power']),
  point('chwsT', 'gauge', '°C', ['chilled', 'water', 'supply', 'leaving', 'temp']),
  point('chwrT', 'gauge', '°C', ['chilled', 'water', 'return', 'entering', 'temp']),
  point('cwsT', 'gauge', '°C', ['condenser', 'water', 'supply', 'entering', 'temp']),
  point('cwrT', 'gauge', '°C', ['condenser', 'water', 'return', 'leaving', 'temp']),
  point('flow', 'gauge', 'm³/h', ['chilled', 'water', 'flow']),
  point('tons', 'gauge', 'RT', ['cooling', 'capacity']),
  point('running', 'status', '', ['run']),
  point('alarm', 'status', '', ['alarm']),
  point('kWPerRt', 'gauge', 'kW/RT', ['efficiency'], { expression: 'kW / tons' }),
  point('cop', 'gauge', '', ['efficiency'], { expression: '3.517 / (kW / tons)' }),
  point('deltaT', 'gauge', '°C', ['chilled', 'water', 'delta', 'temp'], { expression: 'chwrT - chwsT' }),
];
const AHU_POINTS: PointDefinition[] = [
  point('supplyAirT', 'gauge', '°C', ['air', 'supply', 'temp']),
  point('fanHz', 'gauge', 'Hz', ['fan', 'vfd', 'freq']),
  point('running', 'status', '', ['run']),
];
const ZONE_POINTS: PointDefinition[] = [
  point('temp', 'gauge', '°C', ['air', 'temp']),
  point('humidity', 'gauge', '%RH', ['air', 'humidity']),
  point('co2', 'gauge', 'ppm', ['air', 'co2']),
  point('setpoint', 'setpoint', '°C', ['air', 'temp', 'sp']),
];

/** The demo's sub-metered loads, with their names; the building model gives each its load profile. */
const LOADS: Array<[load: string, zh: string, en: string]> = [
  ['chiller-plant', '冰水主機電盤', 'Chiller plant'],
  ['lighting', '照明', 'Lighting'],
  ['ahu', '空調箱電盤', 'Air handling units'],
  ['elevators', '電梯', 'Elevators'],
  ['it', '資訊機房 UPS', 'IT room and UPS'],
  ['plug', '插座', 'Plug loads'],
];

function asset(
  fields: Omit<AssetDefinition, 'tags' | 'attributes'> & Partial<Pick<AssetDefinition, 'tags' | 'attributes'>>,
): AssetDefinition {
  return {
    key: fields.key,
    name: fields.name,
    type: fields.type,
    tags: fields.tags ?? [],
    attributes: fields.attributes ?? {},
    ...(fields.simulation === undefined ? {} : { simulation: fields.simulation }),
    points: fields.points.map((candidate) => ({ ...candidate, tags: [...candidate.tags], attributes: { ...candidate.attributes } })),
  };
}

const countPoints = (assets: AssetDefinition[]) => assets.reduce((sum, candidate) => sum + candidate.points.length, 0);
const round = (value: number, step: number) => Math.round(value / step) * step;

/** One building: its size from the seed, then air-side units and per-floor sub-meters until it has about `target` points. */
function building(index: number, key: string, target: number, random: Random): SiteDefinition {
  const floors = 3 + Math.floor(random() * 20);
  const floorAreaM2 = round(floors * (1200 + random() * 6000), 10);
  // Size against the demo city hall (196,000 m², 6,000 kW contract, 2,800 RT of chillers).
  const scale = Math.max(0.02, Math.round((floorAreaM2 / 196_000) * 1000) / 1000);
  const chillerCount = scale < 0.1 ? 1 : scale < 0.3 ? 2 : scale < 0.7 ? 3 : 4;
  const chillerRt = Math.max(30, round((2800 * scale * (0.95 + 0.2 * random())) / chillerCount, 10));
  const pvKw = random() < 0.6 ? Math.max(5, Math.round(120 * scale * (0.5 + 1.5 * random()))) : 0;
  const rainwater = random() < 0.4;
  const vfd = [0, 1, 2, 3].map(() => random() < 0.5);

  const core = (full: boolean, extras: boolean, chillers: number): AssetDefinition[] => {
    const assets: AssetDefinition[] = [
      asset({
        key: 'main-incomer',
        name: '總受電盤 Main incomer',
        type: 'electricity-meter',
        tags: ['elec', 'meter', 'main'],
        attributes: { role: 'main' },
        simulation: { measures: 'building', scale },
        points: [
          ...meterPoints(true, { rolloverAt: 4294967.295 }),
          ...(extras && pvKw > 0
            ? [
                point('netKw', 'gauge', 'kW', ['elec', 'power', 'net'], {
                  name: 'Net load (grid minus PV)',
                  expression: "kW - 'pv-roof.kW'",
                }),
              ]
            : []),
        ],
      }),
      ...LOADS.map(([load, zh, en]) =>
        asset({
          key: `submeter-${load}`,
          name: `${zh} ${en}`,
          type: 'electricity-meter',
          tags: ['elec', 'meter', 'submeter'],
          attributes: { role: 'submeter', parent: 'main-incomer' },
          simulation: { load, share: 1 },
          points: meterPoints(full),
        }),
      ),
      ...Array.from({ length: chillers }, (_, i) =>
        asset({
          key: `chiller-${i + 1}`,
          name: `冰水主機 ${i + 1} Chiller ${i + 1}`,
          type: 'chiller',
          tags: ['chiller', 'hvac'],
          attributes: { capacityRt: chillerRt, vfd: vfd[i] },
          simulation: { stage: i + 1 },
          points: CHILLER_POINTS,
        }),
      ),
      asset({
        key: 'water-main',
        name: '自來水總表 Mains water meter',
        type: 'water-meter',
        tags: ['water', 'meter', 'main'],
        attributes: { role: 'main' },
        points: [
          point('m3', 'cumulative', 'm³', ['water', 'volume'], { attributes: { rolloverAt: 999999.9 } }),
          point('flow', 'gauge', 'm³/h', ['water', 'flow']),
        ],
      }),
      asset({
        key: 'weather',
        name: '外氣站 Outdoor weather station',
        type: 'weather-station',
        tags: ['weather', 'outside'],
        points: [
          point('outdoorT', 'gauge', '°C', ['air', 'outside', 'temp']),
          point('outdoorRh', 'gauge', '%RH', ['air', 'outside', 'humidity']),
        ],
      }),
    ];
    if (extras && rainwater)
      assets.push(
        asset({
          key: 'rainwater',
          name: '雨水回收 Rainwater harvesting',
          type: 'water-meter',
          tags: ['water', 'meter', 'rainwater'],
          attributes: { role: 'rainwater' },
          points: [
            point('m3', 'cumulative', 'm³', ['water', 'volume'], { attributes: { rolloverAt: 99999.9 } }),
            point('flow', 'gauge', 'm³/h', ['water', 'flow']),
          ],
        }),
      );
    if (extras && pvKw > 0)
      assets.push(
        asset({
          key: 'pv-roof',
          name: '屋頂太陽光電 Rooftop PV',
          type: 'pv-inverter',
          tags: ['pv', 'elec'],
          attributes: { peakKw: pvKw },
          points: [point('kW', 'gauge', 'kW', ['pv', 'power']), point('kWh', 'cumulative', 'kWh', ['pv', 'energy'])],
        }),
      );
    return assets;
  };
  // The richest core that leaves room for at least one AHU with one zone.
  const airside = AHU_POINTS.length + ZONE_POINTS.length;
  const candidates = [
    core(true, true, chillerCount),
    core(false, true, chillerCount),
    core(false, false, chillerCount),
    core(false, false, 1),
  ];
  const assets = candidates.find((candidate) => countPoints(candidate) + airside <= target + 2);
  if (!assets) throw new PortfolioSpecError(`at least ${MIN_POINTS_PER_BUILDING} points per building`);
  const fullMeters = assets[1].points.length > 2;

  // Fill: floor by floor, an AHU with two to five zones, and on the first pass a lighting and a plug
  // sub-meter per floor; when the next unit does not fit, zones close the gap (to within two points).
  let remaining = target - countPoints(assets);
  let lastAhu: { key: string; floor: string; zones: number } | undefined;
  const addZone = () => {
    const unit = lastAhu!;
    unit.zones++;
    assets.push(
      asset({
        key: `zone-${unit.key.slice(4)}-${unit.zones}`,
        name: `${unit.floor} 辦公區 ${unit.zones} Office zone ${unit.zones} (${unit.key.toUpperCase()})`,
        type: 'zone',
        tags: ['zone', 'hvac'],
        attributes: { floor: unit.floor, ahu: unit.key },
        points: ZONE_POINTS,
      }),
    );
    remaining -= ZONE_POINTS.length;
  };
  const addAhu = (floor: number, pass: number, zones: number) => {
    const label = `${floor}F`;
    lastAhu = { key: `ahu-${floor}f-${pass}`, floor: label, zones: 0 };
    assets.push(
      asset({
        key: lastAhu.key,
        name: `空調箱 ${label}-${pass} AHU ${label}-${pass}`,
        type: 'ahu',
        tags: ['ahu', 'hvac'],
        attributes: { floor: label },
        points: AHU_POINTS,
      }),
    );
    remaining -= AHU_POINTS.length;
    for (let i = 0; i < zones; i++) addZone();
  };
  const meterPointCount = meterPoints(fullMeters).length;
  fill: for (let pass = 1; ; pass++) {
    for (let floor = 1; floor <= floors; floor++) {
      const zones = 2 + Math.floor(random() * 4);
      if (remaining >= AHU_POINTS.length + zones * ZONE_POINTS.length) addAhu(floor, pass, zones);
      else if (remaining >= airside || !lastAhu) {
        addAhu(floor, pass, Math.max(1, Math.floor((remaining - AHU_POINTS.length) / ZONE_POINTS.length)));
        break fill;
      } else break fill;
      for (const [load, zh, en] of pass === 1 ? LOADS.filter(([candidate]) => candidate === 'lighting' || candidate === 'plug') : []) {
        if (remaining < meterPointCount) continue;
        assets.push(
          asset({
            key: `submeter-${load}-${floor}f`,
            name: `${zh} ${floor}F ${en}, ${floor}F`,
            type: 'electricity-meter',
            tags: ['elec', 'meter', 'submeter'],
            attributes: { role: 'submeter', parent: 'main-incomer', floor: `${floor}F` },
            simulation: { load, share: 1 },
            points: meterPoints(fullMeters),
          }),
        );
        remaining -= meterPointCount;
      }
    }
  }
  while (remaining >= 2) addZone();

  // Sub-meters of one load split it (weights from the seed), so the main incomer stays the building's total.
  for (const [load] of LOADS) {
    const meters = assets.filter((candidate) => candidate.simulation?.load === load);
    const weights = meters.map((_, i) => (i === 0 ? 1 : 0.6 + 0.8 * random()));
    const total = weights.reduce((sum, weight) => sum + weight, 0);
    meters.forEach((meter, i) => (meter.simulation = { ...meter.simulation, share: Math.round((weights[i] / total) * 1e4) / 1e4 }));
  }
  const number = String(index + 1);
  return {
    key,
    name: `模擬大樓 ${number} Portfolio building ${number}`,
    timezone: 'Asia/Taipei',
    attributes: { contractCapacityKw: Math.max(100, round(6000 * scale, 10)), floorAreaM2, floors },
    assets,
    opcua: [],
  };
}

/** A registry of `buildings` sites with about `pointsPerBuilding` points each; the same seed gives the same registry. */
export function generatePortfolio(options: PortfolioOptions): RegistryFile {
  const { buildings, pointsPerBuilding, seed } = options;
  if (!Number.isInteger(buildings) || buildings < 1 || buildings > MAX_BUILDINGS)
    throw new PortfolioSpecError(`buildings: a whole number from 1 to ${MAX_BUILDINGS}`);
  if (!Number.isInteger(pointsPerBuilding) || pointsPerBuilding < MIN_POINTS_PER_BUILDING || pointsPerBuilding > MAX_POINTS_PER_BUILDING)
    throw new PortfolioSpecError(`points per building: a whole number from ${MIN_POINTS_PER_BUILDING} to ${MAX_POINTS_PER_BUILDING}`);
  const width = Math.max(3, String(buildings).length);
  const sites = Array.from({ length: buildings }, (_, i) =>
    building(i, `portfolio-${String(i + 1).padStart(width, '0')}`, pointsPerBuilding, mulberry32(seedFor(seed, `portfolio-building-${i}`))),
  );
  return { version: 1, sites };
}

/** Checks a registry against the registry file schema (what loadRegistryFile applies); throws with the offending paths. */
export function validateRegistry(file: RegistryFile): RegistryFile {
  const result = registryFile.safeParse(file);
  if (!result.success)
    throw new PortfolioSpecError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '));
  return result.data;
}

/**
 * The registry as a YAML file that loadRegistryFile reads back unchanged: block style down to the
 * assets, one flow mapping (JSON, which YAML 1.2 reads) per point, so a million points stay writable.
 */
export function registryYaml(file: RegistryFile, comment = 'Generated by the Hallwatch simulator (simulators/PORTFOLIO.md).'): string {
  const json = (value: unknown) => JSON.stringify(value);
  const lines = [`# ${comment}`, 'version: 1', 'sites:'];
  for (const site of file.sites) {
    lines.push(`  - key: ${json(site.key)}`, `    name: ${json(site.name)}`, `    timezone: ${json(site.timezone)}`);
    lines.push(`    attributes: ${json(site.attributes)}`, `    opcua: ${json(site.opcua)}`);
    if (site.alertRules) lines.push(`    alertRules: ${json(site.alertRules)}`);
    lines.push('    assets:');
    for (const entry of site.assets) {
      lines.push(`      - key: ${json(entry.key)}`, `        name: ${json(entry.name)}`, `        type: ${json(entry.type)}`);
      lines.push(`        tags: ${json(entry.tags)}`, `        attributes: ${json(entry.attributes)}`);
      if (entry.simulation) lines.push(`        simulation: ${json(entry.simulation)}`);
      lines.push('        points:', ...entry.points.map((candidate) => `          - ${json(candidate)}`));
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Writes a registry where the system can load it: to a `.yaml`/`.yml` file, or else to a folder (the
 * system's REGISTRY_DIR) with one file per site, which is what a portfolio of a million points needs:
 * the YAML parser holds a file's whole document in memory. Returns the files written.
 */
export function writeRegistry(path: string, file: RegistryFile): string[] {
  if (/\.ya?ml$/i.test(path)) {
    writeFileSync(path, registryYaml(file));
    return [path];
  }
  mkdirSync(path, { recursive: true });
  return file.sites.map((site) => {
    const target = join(path, `${site.key}.yaml`);
    writeFileSync(target, registryYaml({ version: 1, sites: [site] }));
    return target;
  });
}

/** The sites of a registry file, or of every `*.yaml`/`*.yml` file of a folder (as the system reads REGISTRY_DIR). */
export function readRegistry(path: string): SiteDefinition[] {
  return statSync(path).isDirectory() ? loadRegistryFolder(path) : loadRegistryFile(path).sites;
}
