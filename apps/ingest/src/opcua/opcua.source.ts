import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import type * as CertificateManagerLibrary from 'node-opcua-certificate-manager';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { AppConfig } from '@hallwatch/config';
import { HealthRegistry } from '@hallwatch/core';
import { Credentials, loadCredentialsFile, routeNodeOpcuaLogs } from '@hallwatch/opcua';
import { OpcuaEndpointDefinition, RegistryFiles } from '@hallwatch/registry';
import { IngestPipeline } from '../ingest-pipeline.service';
import { ParsedReading, Rejection } from '../parse-result';
import { SourcePresence } from '../source-presence.service';
import { bounded } from './opcua-failure';
import type * as Connection from './opcua-endpoint.connection';
import type { OpcuaEndpointConnection, OpcuaValue, RefusedMapping } from './opcua-endpoint.connection';
import { opcuaPayload, opcuaReadings } from './opcua-values';
import { MappingFaults, REFUSED } from './mapping-faults';

// At load, before node-opcua's first warnings (it checks the RSA support of this Node.js version as it loads).
routeNodeOpcuaLogs();

/** Changes arriving within this window are written as one message: a publish cycle, not one write per node. */
const COALESCE_MS = 50;
/** All connections together get this long to close at shutdown. */
const STOP_MS = 6_000;

interface EndpointState {
  site: string;
  endpoint: OpcuaEndpointDefinition;
  online: boolean;
  reason: string;
  since: number;
  faults: MappingFaults;
}

/**
 * OPC UA collector: one connection per endpoint of the registry, monitored items mapped to points.
 * A server that is down does not hold up start-up; its state and why (refused, unknown host,
 * certificate), and each mapping the server refuses or whose values cannot be stored, are logged
 * once, shown in health and kept as one dead letter each.
 */
@Injectable()
export class OpcuaSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OpcuaSource.name);
  private readonly connections: OpcuaEndpointConnection[] = [];
  private readonly states: EndpointState[] = [];
  private certificates?: OPCUACertificateManager;
  private connectionClass?: typeof OpcuaEndpointConnection;
  private readonly flushTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly files: RegistryFiles,
    private readonly pipeline: IngestPipeline,
    private readonly presence: SourcePresence,
    private readonly config: AppConfig,
    health: HealthRegistry,
  ) {
    health.register({ name: 'opcua', check: async () => ({ endpoints: this.states.map((state) => describeState(state)) }) });
  }

  async onApplicationBootstrap(): Promise<void> {
    const endpoints = this.files.sites.flatMap((site) => site.opcua.map((endpoint) => ({ site: site.key, endpoint })));
    if (endpoints.length === 0) return;
    // node-opcua only where there is a server to connect to (about 60 MB of memory).
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { OPCUACertificateManager } = require('node-opcua-certificate-manager') as typeof CertificateManagerLibrary;
    this.connectionClass = (require('./opcua-endpoint.connection') as typeof Connection).OpcuaEndpointConnection;
    /* eslint-enable @typescript-eslint/no-require-imports */
    this.certificates = new OPCUACertificateManager({
      rootFolder: join(this.config.get('DATA_DIR'), 'pki'),
      automaticallyAcceptUnknownCertificate: this.config.get('OPCUA_TRUST_UNKNOWN_SERVERS'),
    });
    await this.certificates.initialize();
    const credentials = loadCredentialsFile(this.config.get('OPCUA_CREDENTIALS_FILE'));
    for (const { site, endpoint } of endpoints) this.connect(site, endpoint, credentials[endpoint.key]);
  }

  private connect(site: string, endpoint: OpcuaEndpointDefinition, credentials: Credentials | undefined): void {
    const state: EndpointState = {
      site,
      endpoint,
      online: false,
      reason: 'connecting',
      since: Date.now(),
      faults: new MappingFaults(endpoint),
    };
    this.states.push(state);
    let pending: OpcuaValue[] = [];
    const connection = new this.connectionClass!(endpoint, this.certificates!, credentials, {
      values: (values) => {
        if (pending.length === 0) {
          const timer = setTimeout(() => {
            this.flushTimers.delete(timer);
            const changes = pending;
            pending = [];
            this.store(state, changes);
          }, COALESCE_MS);
          this.flushTimers.add(timer);
        }
        pending.push(...values);
      },
      state: (online, reason) => this.changeState(state, online, reason),
      refused: (mappings) => this.refused(state, mappings),
    });
    this.presence.set('opcua', endpoint.key, false);
    this.connections.push(connection);
    connection.start();
  }

  /** Logged once per change of state or of the reason; presence (metrics, `$source` alerts) follows. */
  private changeState(state: EndpointState, online: boolean, reason: string): void {
    if (!online) this.presence.stillOffline('opcua', state.endpoint.key, reason);
    if (state.online === online && state.reason === reason) return;
    const wasOnline = state.online;
    // `since` is when it went online or offline; a new reason while offline keeps it.
    Object.assign(state, { online, reason, since: wasOnline === online ? state.since : Date.now() });
    const { key, url } = state.endpoint;
    if (online) this.logger.log({ endpoint: key }, `${key} (${url}): online`);
    else if (wasOnline) this.logger.warn({ endpoint: key, reason }, `${key} (${url}): offline, ${reason}`);
    else this.logger.warn({ endpoint: key, reason }, `${key} (${url}): unreachable, ${reason}`);
    this.presence.set('opcua', key, online, online ? undefined : reason);
  }

  private refused(state: EndpointState, mappings: RefusedMapping[]): void {
    state.faults.monitored(new Set(mappings.map(({ mapping }) => mapping)));
    const now = Date.now();
    for (const { mapping, status } of mappings) {
      const { nodeId, asset, point } = state.endpoint.mappings[mapping];
      if (!state.faults.fail(mapping, REFUSED, status, now)) continue;
      const detail = `${nodeId} -> ${asset}/${point}: the server refused to monitor it: ${status}`;
      this.mappingFailed(state, { reason: 'bad-value', detail, point, mapping }, Buffer.from(JSON.stringify({ nodeId, status })), now);
    }
  }

  private store(state: EndpointState, changes: OpcuaValue[]): void {
    const receivedAt = Date.now();
    const parsed = opcuaReadings(state.site, state.endpoint, changes, receivedAt, {
      maxFutureMs: this.config.get('INGEST_MAX_FUTURE_SECONDS') * 1000,
      maxAgeMs: this.config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
    });
    for (const mapping of parsed.delivered) state.faults.recovered(mapping);
    const unmapped = parsed.rejections.filter((rejection) => rejection.mapping === undefined);
    for (const rejection of unmapped) this.logger.warn({ endpoint: state.endpoint.key, reason: rejection.reason }, rejection.detail);
    this.accept(state, state.endpoint.url, opcuaPayload(changes), parsed.readings, unmapped, receivedAt);
    for (const rejection of parsed.rejections) {
      const { mapping } = rejection;
      if (mapping === undefined || !state.faults.fail(mapping, rejection.reason, rejection.detail, receivedAt)) continue;
      this.mappingFailed(
        state,
        { ...rejection, mapping },
        opcuaPayload(changes.filter((change) => change.mapping === mapping)),
        receivedAt,
      );
    }
  }

  /** A mapping's problem that is news: logged, and a dead letter under the node's own topic (`<url> <node id>`), apart from other nodes'. */
  private mappingFailed(state: EndpointState, rejection: Rejection & { mapping: number }, payload: Buffer, receivedAt: number): void {
    const { key, url, mappings } = state.endpoint;
    this.logger.warn({ endpoint: key, reason: rejection.reason }, rejection.detail);
    this.accept(state, `${url} ${mappings[rejection.mapping].nodeId}`, payload, [], [rejection], receivedAt);
  }

  private accept(
    state: EndpointState,
    topic: string,
    payload: Buffer,
    readings: ParsedReading[],
    rejections: Rejection[],
    receivedAt: number,
  ) {
    if (readings.length === 0 && rejections.length === 0) return;
    this.pipeline.accept(
      // Not JSON.stringify(values): a value it cannot write (BigInt, a cycle, deep nesting) threw here, in a timer, and ended the process.
      { source: `opcua:${state.endpoint.key}`, topic, payload, receivedAt },
      () => ({ readings, rejections }),
      () => undefined,
    );
  }

  async onApplicationShutdown(): Promise<void> {
    this.flushTimers.forEach((timer) => clearTimeout(timer));
    await bounded(Promise.all(this.connections.map((connection) => connection.stop())), STOP_MS);
    await bounded(this.certificates?.dispose() ?? Promise.resolve(), 1000);
  }
}

function describeState({ endpoint, online, reason, since, faults }: EndpointState) {
  return {
    key: endpoint.key,
    url: endpoint.url,
    online,
    ...(online ? {} : { reason }),
    since: new Date(since).toISOString(),
    failingMappings: faults.list().map((fault) => ({ ...fault, since: new Date(fault.since).toISOString() })),
  };
}
