import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { z } from 'zod';
import { DEFAULT_TIME_ZONE, isKnownUnit, isTimeZone, KEY_PATTERN, POINT_KEY_PATTERN, POINT_KINDS } from '@hallwatch/domain';

/** Free-form attributes: contract capacity, rollover maximum, floor, capacity in RT... */
const attributes = z.record(z.union([z.string(), z.number(), z.boolean()])).default({});
const tags = z.array(z.string().regex(/^[a-zA-Z0-9-]+$/)).default([]);

/** What the rollups of registers and interval points read from their attributes (docs/rollups.md): each a positive number where given. */
export const REGISTER_ATTRIBUTES = ['rolloverAt', 'noiseBand', 'maxRatePerHour', 'expectedIntervalSeconds', 'intervalSeconds'] as const;

const pointAttributes = z
  .record(z.union([z.string(), z.number(), z.boolean()]))
  .superRefine((values, context) => {
    for (const name of REGISTER_ATTRIBUTES) {
      const value = values[name];
      if (value !== undefined && !(typeof value === 'number' && Number.isFinite(value) && value > 0))
        context.addIssue({ code: 'custom', path: [name], message: `${name} must be a positive number` });
    }
  })
  .default({});

/** One state of a multi-state point: `{ value: 2, en: fault, zh-TW: 故障 }`. */
const pointState = z.object({
  value: z.number().int(),
  en: z.string().min(1),
  'zh-TW': z.string().min(1).optional(),
});

export const pointDefinition = z.object({
  key: z.string().regex(POINT_KEY_PATTERN, 'point keys are letters, digits, _ . -'),
  name: z.string().optional(),
  kind: z.enum(POINT_KINDS),
  /** A unit Hallwatch knows (libs/domain units.ts: kWh, kW, m³, °C, °F, ppm, %RH...), or none. */
  unit: z
    .string()
    .default('')
    .refine(isKnownUnit, (unit) => ({ message: `unknown unit ${JSON.stringify(unit)}: use a UCUM-style code such as kWh, kW, m³, °C, °F, ppm or %RH` })),
  /** Derived on ingest from other points: `kW / tons`, `chwrT - chwsT`, `'main-incomer.kW' - 'pv-roof.kW'`. */
  expression: z.string().min(1).optional(),
  /** The states of a multi-state point (kind `multistate`), and of no other kind. */
  states: z.array(pointState).optional(),
  tags,
  attributes: pointAttributes,
});

/** A multistate point lists two or more distinct states; no other kind has any. For `.superRefine` of a point's schema. */
export function checkPointStates(point: Pick<z.infer<typeof pointDefinition>, 'kind' | 'states'>, context: z.RefinementCtx): void {
    if (point.kind !== 'multistate') {
      if (point.states !== undefined) context.addIssue({ code: 'custom', path: ['states'], message: 'only a multistate point has states' });
      return;
    }
    if (!point.states || point.states.length < 2)
      context.addIssue({ code: 'custom', path: ['states'], message: 'a multistate point lists at least two states, such as 0 off and 1 on' });
    const values = (point.states ?? []).map((state) => state.value);
    const repeated = values.find((value, index) => values.indexOf(value) !== index);
    if (repeated !== undefined) context.addIssue({ code: 'custom', path: ['states'], message: `state ${repeated} is listed twice` });
}

export const assetDefinition = z.object({
  key: z.string().regex(KEY_PATTERN, 'asset keys are [a-z0-9-]+'),
  name: z.string().min(1),
  type: z.string().min(1),
  tags,
  attributes,
  /** Parameters for the bundled simulator; the system ignores them. */
  simulation: z.record(z.unknown()).optional(),
  points: z.array(pointDefinition.superRefine(checkPointStates)).min(1),
});

export const OPCUA_SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const OPCUA_SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

/**
 * OPC UA's string form of a node id (Part 6, 5.3.1.10): an optional `ns=<index>;` or `nsu=<uri>;`,
 * then `i=<number>`, `s=<text>`, `g=<guid>` or `b=<base64>`. Checked here so that a typo fails when
 * the registry is applied, not as a whole endpoint's subscription at run time.
 */
const OPCUA_NODE_ID = /^(?:(?:ns=\d+|nsu=[^;]+);)?(?:i=\d+|s=.+|g=[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|b=[A-Za-z0-9+/]+={0,2})$/s;

/** One node feeding one point; sampling and queue size override the endpoint's for nodes that change faster. */
const opcuaMappingDefinition = z.object({
  nodeId: z.string().regex(OPCUA_NODE_ID, 'an OPC UA node id such as ns=2;s=Chiller1.kW or ns=2;i=1001'),
  asset: z.string().regex(KEY_PATTERN),
  point: z.string().regex(POINT_KEY_PATTERN),
  samplingIntervalMs: z.number().int().min(0).max(3_600_000).optional(),
  queueSize: z.number().int().min(1).max(1000).optional(),
});

/** An OPC UA server and which of its nodes feed which points (monitored items, not polling). */
export const opcuaEndpointDefinition = z
  .object({
    key: z.string().regex(KEY_PATTERN, 'endpoint keys are [a-z0-9-]+'),
    url: z.string().regex(/^opc\.tcp:\/\/.+/, 'an opc.tcp:// URL'),
    securityMode: z.enum(OPCUA_SECURITY_MODES).default('SignAndEncrypt'),
    securityPolicy: z.enum(OPCUA_SECURITY_POLICIES).default('Basic256Sha256'),
    /** `anonymous`, `username` (password) or `certificate` (X.509 user certificate and key): secrets come from OPCUA_CREDENTIALS_FILE, never from here. */
    auth: z.enum(['anonymous', 'username', 'certificate']).default('anonymous'),
    publishingIntervalMs: z.number().int().min(50).default(1000),
    samplingIntervalMs: z.number().int().min(0).max(3_600_000).default(1000),
    queueSize: z.number().int().min(1).max(1000).default(10),
    mappings: z.array(opcuaMappingDefinition).min(1),
  })
  .refine((endpoint) => (endpoint.securityMode === 'None') === (endpoint.securityPolicy === 'None'), {
    message: 'securityMode None goes with securityPolicy None, and only with it',
  });

export const siteDefinition = z.object({
  key: z.string().regex(KEY_PATTERN, 'site keys are [a-z0-9-]+'),
  name: z.string().min(1),
  /** IANA time zone: the site's days, months, schedules and reports. */
  timezone: z
    .string()
    .default(DEFAULT_TIME_ZONE)
    .refine((zone) => isTimeZone(zone), { message: 'an IANA time zone such as Asia/Taipei' }),
  attributes,
  assets: z.array(assetDefinition).default([]),
  opcua: z.array(opcuaEndpointDefinition).default([]),
  /** Alert rules of this site (checked by the alerts library when seeded); `site` is implied. */
  alertRules: z.array(z.record(z.unknown())).optional(),
});

export const registryFile = z.object({
  version: z.literal(1),
  sites: z.array(siteDefinition),
});

export type PointDefinition = z.infer<typeof pointDefinition>;
export type AssetDefinition = z.infer<typeof assetDefinition>;
export type SiteDefinition = z.infer<typeof siteDefinition>;
export type OpcuaEndpointDefinition = z.infer<typeof opcuaEndpointDefinition>;
export type RegistryFile = z.infer<typeof registryFile>;

export class RegistryFileError extends Error {}

/** Reads and validates one registry file; the message names the file and the offending path. */
export function loadRegistryFile(path: string): RegistryFile {
  let raw: unknown;
  try {
    raw = parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new RegistryFileError(`${path}: ${(error as Error).message}`);
  }
  const result = registryFile.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new RegistryFileError(`${path}: ${problems.join('; ')}`);
  }
  assertUniqueKeys(path, result.data);
  return result.data;
}

/** Every `*.yaml`/`*.yml` file of a folder, in name order. */
export function loadRegistryFolder(folder: string): SiteDefinition[] {
  const files = readdirSync(folder)
    .filter((name) => /\.ya?ml$/.test(name))
    .sort();
  return files.flatMap((name) => loadRegistryFile(join(folder, name)).sites);
}

function assertUniqueKeys(path: string, file: RegistryFile): void {
  const seen = new Set<string>();
  const claim = (key: string) => {
    if (seen.has(key)) throw new RegistryFileError(`${path}: duplicate key ${key}`);
    seen.add(key);
  };
  for (const site of file.sites) {
    claim(site.key);
    for (const asset of site.assets) {
      claim(`${site.key}/${asset.key}`);
      for (const point of asset.points) claim(`${site.key}/${asset.key}/${point.key}`);
    }
  }
}
