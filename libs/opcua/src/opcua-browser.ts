import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import {
  AttributeIds,
  BrowseDirection,
  ClientSession,
  DataType,
  MessageSecurityMode,
  NodeClass,
  OPCUAClient,
  ReferenceDescription,
  SecurityPolicy,
} from 'node-opcua-client';
import { OpcuaEndpointDefinition } from '@hallwatch/registry';
import type { Credentials } from './opcua-credentials';
import { userIdentity } from './opcua-identity';

export interface BrowsedVariable {
  nodeId: string;
  /** Browse names from the Objects folder down, e.g. ['Chiller1', 'kW']. */
  path: string[];
  displayName: string;
  dataType: string;
  /** The value when browsed, to recognise the point. */
  value: unknown;
}

export interface BrowseResult {
  variables: BrowsedVariable[];
  /** Nodes left out past the limits. */
  truncated: boolean;
  /** A registry entry to review and paste: numeric variables mapped to points named after their path. */
  proposal: Pick<OpcuaEndpointDefinition, 'url' | 'securityMode' | 'securityPolicy' | 'auth'> & {
    mappings: Array<{ nodeId: string; asset: string; point: string }>;
  };
}

export type BrowseTarget = Pick<OpcuaEndpointDefinition, 'key' | 'url' | 'securityMode' | 'securityPolicy' | 'auth'>;

const NUMERIC = new Set(['Boolean', 'SByte', 'Byte', 'Int16', 'UInt16', 'Int32', 'UInt32', 'Int64', 'UInt64', 'Float', 'Double']);

/**
 * Walks an OPC UA server's Objects folder (depth and node limits keep a large plant bounded) and
 * proposes node-to-point mappings for the registry: the variable's parent object becomes the asset,
 * its browse name the point. An engineer reviews the proposal; nothing is registered by browsing.
 */
export async function browseEndpoint(
  target: BrowseTarget,
  certificates: OPCUACertificateManager,
  credentials: Credentials | undefined,
  limits: { maxDepth?: number; maxNodes?: number; timeoutMs?: number } = {},
): Promise<BrowseResult> {
  const { maxDepth = 6, maxNodes = 5000, timeoutMs = 15_000 } = limits;
  const client = OPCUAClient.create({
    applicationName: 'Hallwatch',
    applicationUri: 'urn:hallwatch:ingest',
    clientCertificateManager: certificates,
    securityMode: MessageSecurityMode[target.securityMode],
    securityPolicy: SecurityPolicy[target.securityPolicy],
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 1, initialDelay: 200, maxDelay: 1000 },
    requestedSessionTimeout: timeoutMs * 2,
  });
  const deadline = setTimeout(() => void client.disconnect().catch(() => undefined), timeoutMs);
  try {
    await client.connect(target.url);
    const session = await client.createSession(userIdentity(target, credentials));
    try {
      const found: Array<Omit<BrowsedVariable, 'dataType' | 'value'>> = [];
      const truncated = await walk(session, 'ObjectsFolder', [], maxDepth, maxNodes, found);
      const values = await session.read(found.map((variable) => ({ nodeId: variable.nodeId, attributeId: AttributeIds.Value })));
      const variables = found.map((variable, i) => ({
        ...variable,
        dataType: DataType[values[i].value?.dataType ?? DataType.Null],
        value: values[i].value?.value as unknown,
      }));
      return { variables, truncated, proposal: { ...proposalTarget(target), mappings: proposeMappings(variables) } };
    } finally {
      await session.close().catch(() => undefined);
    }
  } finally {
    clearTimeout(deadline);
    await client.disconnect().catch(() => undefined);
  }
}

async function walk(
  session: ClientSession,
  nodeId: string,
  path: string[],
  depthLeft: number,
  maxNodes: number,
  found: Array<Omit<BrowsedVariable, 'dataType' | 'value'>>,
): Promise<boolean> {
  const result = await session.browse({
    nodeId,
    browseDirection: BrowseDirection.Forward,
    referenceTypeId: 'HierarchicalReferences',
    includeSubtypes: true,
    nodeClassMask: NodeClass.Object | NodeClass.Variable,
    resultMask: 63,
  });
  let truncated = false;
  for (const reference of result.references ?? []) {
    if (found.length >= maxNodes) return true;
    const name = reference.browseName.name ?? '';
    // The Server object is the server's own housekeeping, not the plant.
    if (reference.browseName.namespaceIndex === 0 && name === 'Server') continue;
    const childPath = [...path, name];
    if (Number(reference.nodeClass) === Number(NodeClass.Variable)) found.push(describe(reference, childPath));
    if (depthLeft > 1)
      truncated = (await walk(session, reference.nodeId.toString(), childPath, depthLeft - 1, maxNodes, found)) || truncated;
  }
  return truncated;
}

function describe(reference: ReferenceDescription, path: string[]): Omit<BrowsedVariable, 'dataType' | 'value'> {
  return { nodeId: reference.nodeId.toString(), path, displayName: reference.displayName.text ?? path.at(-1) ?? '' };
}

function proposalTarget(target: BrowseTarget) {
  return { url: target.url, securityMode: target.securityMode, securityPolicy: target.securityPolicy, auth: target.auth };
}

/** Numeric variables only; asset from the parent object's name, point from the variable's (registry key rules). */
export function proposeMappings(variables: readonly BrowsedVariable[]): Array<{ nodeId: string; asset: string; point: string }> {
  return variables
    .filter((variable) => NUMERIC.has(variable.dataType) && variable.path.length >= 2)
    .map((variable) => ({ nodeId: variable.nodeId, asset: assetKey(variable.path.at(-2)!), point: pointKey(variable.path.at(-1)!) }))
    .filter((mapping) => mapping.asset !== '' && mapping.point !== '');
}

/** "Chiller 1" / "Chiller1" -> "chiller-1" ([a-z0-9-]+). */
export function assetKey(name: string): string {
  return name
    .replace(/([a-z])([A-Z0-9])/g, '$1-$2')
    .replace(/([0-9])([A-Za-z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** "Supply Temp" -> "supplyTemp", "Running" -> "running", "kW" stays "kW" (letters, digits and _ . -, starting with a letter). */
export function pointKey(name: string): string {
  const words = name.split(/[^A-Za-z0-9_.-]+/).filter(Boolean);
  const key = words
    .map((word, i) => {
      if (i > 0) return word[0].toUpperCase() + word.slice(1);
      // "Supply" -> "supply", but an acronym or unit keeps its case: "kW", "CO2".
      return /^[A-Z][a-z]/.test(word) ? word[0].toLowerCase() + word.slice(1) : word;
    })
    .join('');
  return /^[A-Za-z]/.test(key) ? key : key ? `p${key}` : '';
}
