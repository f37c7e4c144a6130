import { mkdtempSync, rmSync } from 'node:fs';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as CertificateManagerLibrary from 'node-opcua-certificate-manager';
import type * as ClientLibrary from 'node-opcua-client';
import type * as ServerLibrary from 'node-opcua-server';
import type { OPCUAServer } from 'node-opcua-server';
import { Document, YAMLMap, YAMLSeq } from 'yaml';
import { OpcuaEndpointDefinition, SiteDefinition } from '@hallwatch/registry';
import { AssetValues } from './building.model';

// node-opcua-address-space is not a dependency of ours: take its variable type from the server's.
type UAVariable = ReturnType<ReturnType<NonNullable<OPCUAServer['engine']['addressSpace']>['getOwnNamespace']>['addVariable']>;

/**
 * node-opcua takes seconds to load and prints warnings as it does: only a run that serves OPC UA
 * loads it, so the native and Sparkplug outputs (and the standalone app's in-process simulator)
 * start as fast as before.
 */
type OpcuaLibraries = typeof CertificateManagerLibrary & typeof ClientLibrary & typeof ServerLibrary;

function opcuaLibraries(): OpcuaLibraries {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return {
    ...(require('node-opcua-certificate-manager') as typeof CertificateManagerLibrary),
    ...(require('node-opcua-client') as typeof ClientLibrary),
    ...(require('node-opcua-server') as typeof ServerLibrary),
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

export const OPCUA_RESOURCE_PATH = '/UA/Hallwatch';

/** One variable of the simulator's address space: where it lives and which registry point it is. */
export interface OpcuaPointNode {
  site: string;
  asset: string;
  point: string;
  /** `ns=1;s=<asset>.<point>`; with several sites `ns=1;s=<site>.<asset>.<point>` (asset keys repeat across sites) */
  nodeId: string;
  dataType: 'Double' | 'Boolean';
}

/**
 * The variables the simulator serves, one per point the model produces: points with an `expression`
 * are derived by Hallwatch on ingest and have no node. The server is built from this list and the
 * registry entry is written from it, so the two cannot disagree.
 */
export function opcuaPointNodes(sites: readonly SiteDefinition[]): OpcuaPointNode[] {
  const scoped = sites.length > 1;
  return sites.flatMap((site) =>
    site.assets.flatMap((asset) =>
      asset.points
        .filter((point) => !point.expression)
        .map((point): OpcuaPointNode => ({
          site: site.key,
          asset: asset.key,
          point: point.key,
          nodeId: `ns=1;s=${scoped ? `${site.key}.` : ''}${asset.key}.${point.key}`,
          dataType: point.kind === 'status' ? 'Boolean' : 'Double',
        })),
    ),
  );
}

export type OpcuaRegistryEntry = Pick<OpcuaEndpointDefinition, 'key' | 'url' | 'securityMode' | 'securityPolicy' | 'auth' | 'mappings'>;

export interface OpcuaRegistryEntryOptions {
  /** endpoint key (default `sim-opcua`) */
  key?: string;
  securityMode?: OpcuaEndpointDefinition['securityMode'];
  /** follows the mode: None with None, Basic256Sha256 otherwise */
  securityPolicy?: OpcuaEndpointDefinition['securityPolicy'];
  /** the other sites served beside this one (their presence changes the node ids) */
  sites?: readonly SiteDefinition[];
}

/** A site's `opcua:` endpoint entry for the simulator's server at `url`: every served point mapped, anonymous. */
export function opcuaRegistryEntry(site: SiteDefinition, url: string, options: OpcuaRegistryEntryOptions = {}): OpcuaRegistryEntry {
  const securityMode = options.securityMode ?? 'SignAndEncrypt';
  const sites = options.sites ?? [site];
  return {
    key: options.key ?? 'sim-opcua',
    url,
    securityMode,
    securityPolicy: options.securityPolicy ?? (securityMode === 'None' ? 'None' : 'Basic256Sha256'),
    auth: 'anonymous',
    mappings: opcuaPointNodes(sites)
      .filter((node) => node.site === site.key)
      .map(({ nodeId, asset, point }) => ({ nodeId, asset, point })),
  };
}

/** Every site's entry as YAML, each to paste under that site's `opcua:` list. */
export function opcuaRegistryYaml(
  sites: readonly SiteDefinition[],
  url: string,
  options: Omit<OpcuaRegistryEntryOptions, 'sites'> = {},
): string {
  return sites
    .map((site) => {
      const document = new Document([opcuaRegistryEntry(site, url, { ...options, sites })]);
      // One line per mapping, as the registry files write their points.
      for (const mapping of (document.getIn([0, 'mappings']) as YAMLSeq<YAMLMap>).items) mapping.flow = true;
      return `# site ${site.key}: under its opcua: list\n${document.toString({ lineWidth: 0 })}`;
    })
    .join('\n');
}

/** The URL a collector on the same machine uses; `host` is what to put in the registry for another machine. */
export function opcuaUrl(port: number, host = '127.0.0.1'): string {
  return `opc.tcp://${host}:${port}${OPCUA_RESOURCE_PATH}`;
}

export interface OpcuaServerOptions {
  /** 0 picks a free port */
  port: number;
  /** where the server keeps its certificate and trusted clients; a temporary folder (removed on stop) when absent */
  pkiFolder?: string;
  onLog?: (message: string) => void;
}

/**
 * The simulator's devices over OPC UA: one Object per asset under Objects (browse name = asset key,
 * display name = asset name), one Variable per point. Security None, Sign and SignAndEncrypt with
 * Basic256Sha256, anonymous sessions, client certificates accepted on first use (a test rig, not a
 * plant). Values are pushed with the simulated time as source timestamp; a point the tick leaves
 * out (an offline meter, a fuel log without a refuelling) keeps its last value.
 */
export class SimulatorOpcuaServer {
  private readonly variables = new Map<string, { variable: UAVariable; dataType: OpcuaPointNode['dataType'] }>();

  private constructor(
    private readonly ua: OpcuaLibraries,
    private readonly server: OPCUAServer,
    private readonly sites: readonly SiteDefinition[],
    readonly port: number,
    private readonly temporaryPki?: string,
  ) {}

  static async start(sites: readonly SiteDefinition[], options: OpcuaServerOptions): Promise<SimulatorOpcuaServer> {
    const ua = opcuaLibraries();
    const { MessageSecurityMode, OPCUACertificateManager, OPCUAServer, SecurityPolicy } = ua;
    const temporaryPki = options.pkiFolder ? undefined : mkdtempSync(join(tmpdir(), 'hallwatch-sim-opcua-pki-'));
    const pki = options.pkiFolder ?? temporaryPki!;
    const serverCertificateManager = new OPCUACertificateManager({ rootFolder: pki, automaticallyAcceptUnknownCertificate: true });
    const userCertificateManager = new OPCUACertificateManager({
      rootFolder: join(pki, 'users'),
      automaticallyAcceptUnknownCertificate: false,
    });
    // node-opcua advertises its endpoints before it listens: with port 0 they would say port 0.
    const port = options.port === 0 ? await freePort() : options.port;
    const server = new OPCUAServer({
      port,
      resourcePath: OPCUA_RESOURCE_PATH,
      serverCertificateManager,
      userCertificateManager,
      securityModes: [MessageSecurityMode.None, MessageSecurityMode.Sign, MessageSecurityMode.SignAndEncrypt],
      securityPolicies: [SecurityPolicy.None, SecurityPolicy.Basic256Sha256],
      allowAnonymous: true,
      // Endpoints for the loopback address too, which the printed registry entry uses by default.
      alternateHostname: ['127.0.0.1'],
      serverInfo: {
        applicationUri: 'urn:hallwatch:simulator',
        productUri: 'urn:hallwatch:simulator',
        applicationName: { text: 'Hallwatch simulator' },
      },
      buildInfo: { productName: 'Hallwatch simulator', manufacturerName: 'Hallwatch' },
    });
    try {
      await server.initialize();
      await server.start();
      const simulator = new SimulatorOpcuaServer(ua, server, sites, port, temporaryPki);
      simulator.populate();
      options.onLog?.(`OPC UA server on ${opcuaUrl(port)} (None, Sign, SignAndEncrypt Basic256Sha256; anonymous)`);
      return simulator;
    } catch (error) {
      await server.shutdown(0).catch(() => undefined);
      if (temporaryPki) rmSync(temporaryPki, { recursive: true, force: true });
      throw error;
    }
  }

  get url(): string {
    return opcuaUrl(this.port);
  }

  /** The registry entries for this server, one per site: what a tester pastes under the site's `opcua:`. */
  registryEntries(options: Omit<OpcuaRegistryEntryOptions, 'sites'> & { host?: string } = {}): Map<string, OpcuaRegistryEntry> {
    const url = opcuaUrl(this.port, options.host);
    return new Map(this.sites.map((site) => [site.key, opcuaRegistryEntry(site, url, { ...options, sites: this.sites })]));
  }

  /** One site's values of a tick, as the MQTT outputs publish them (value faults applied). */
  update(site: string, ts: number, values: ReadonlyMap<string, AssetValues>): void {
    const scope = this.sites.length > 1 ? `${site}.` : '';
    const sourceTimestamp = new Date(ts);
    for (const [asset, assetValues] of values) {
      for (const [point, value] of Object.entries(assetValues)) {
        const node = this.variables.get(`ns=1;s=${scope}${asset}.${point}`);
        if (!node) continue;
        const variant =
          node.dataType === 'Boolean'
            ? new this.ua.Variant({ dataType: this.ua.DataType.Boolean, value: value !== 0 })
            : new this.ua.Variant({ dataType: this.ua.DataType.Double, value });
        node.variable.setValueFromSource(variant, this.ua.StatusCodes.Good, sourceTimestamp);
      }
    }
  }

  async stop(): Promise<void> {
    await this.server.shutdown(0);
    if (this.temporaryPki) rmSync(this.temporaryPki, { recursive: true, force: true });
  }

  private populate(): void {
    const addressSpace = this.server.engine.addressSpace!;
    const namespace = addressSpace.getOwnNamespace();
    const nodes = opcuaPointNodes(this.sites);
    const scoped = this.sites.length > 1;
    for (const site of this.sites) {
      const parent = scoped
        ? namespace.addFolder(addressSpace.rootFolder.objects, { browseName: site.key, nodeId: `s=${site.key}`, displayName: site.name })
        : addressSpace.rootFolder.objects;
      for (const asset of site.assets) {
        const assetNodes = nodes.filter((node) => node.site === site.key && node.asset === asset.key);
        if (assetNodes.length === 0) continue;
        const object = namespace.addObject({
          organizedBy: parent,
          browseName: asset.key,
          displayName: asset.name,
          nodeId: `s=${scoped ? `${site.key}.` : ''}${asset.key}`,
        });
        for (const node of assetNodes) {
          const point = asset.points.find((candidate) => candidate.key === node.point)!;
          const variable = namespace.addVariable({
            componentOf: object,
            browseName: point.key,
            displayName: point.name ?? point.key,
            description: point.unit ? `${point.kind}, ${point.unit}` : point.kind,
            nodeId: node.nodeId.replace(/^ns=1;/, ''),
            dataType: node.dataType,
            minimumSamplingInterval: 100,
          });
          // Nothing to report until the first tick.
          variable.setValueFromSource(
            new this.ua.Variant({ dataType: this.ua.DataType[node.dataType], value: node.dataType === 'Boolean' ? false : 0 }),
            this.ua.StatusCodes.BadWaitingForInitialData,
          );
          this.variables.set(node.nodeId, { variable, dataType: node.dataType });
        }
      }
    }
  }
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
