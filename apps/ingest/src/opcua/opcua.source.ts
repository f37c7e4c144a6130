import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { AppConfig } from '@hallwatch/config';
import { OpcuaEndpointDefinition, RegistryFiles } from '@hallwatch/registry';
import { IngestPipeline } from '../ingest-pipeline.service';
import { SourcePresence } from '../source-presence.service';
import { Credentials, loadCredentialsFile } from '@hallwatch/opcua';
import { OpcuaEndpointConnection, OpcuaValue } from './opcua-endpoint.connection';
import { opcuaPayload, opcuaReadings } from './opcua-values';

/** Changes arriving within this window are written as one message: a publish cycle, not one write per node. */
const COALESCE_MS = 50;

/**
 * OPC UA collector: one connection per endpoint of the registry, monitored items mapped to points.
 * A server that is down does not hold up start-up; its state is in health and metrics.
 */
@Injectable()
export class OpcuaSource implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(OpcuaSource.name);
  private readonly connections: OpcuaEndpointConnection[] = [];
  private certificates?: OPCUACertificateManager;
  private readonly flushTimers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly files: RegistryFiles,
    private readonly pipeline: IngestPipeline,
    private readonly presence: SourcePresence,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const endpoints = this.files.sites.flatMap((site) => site.opcua.map((endpoint) => ({ site: site.key, endpoint })));
    if (endpoints.length === 0) return;
    this.certificates = new OPCUACertificateManager({
      rootFolder: join(this.config.get('DATA_DIR'), 'pki'),
      automaticallyAcceptUnknownCertificate: this.config.get('OPCUA_TRUST_UNKNOWN_SERVERS'),
    });
    await this.certificates.initialize();
    const credentials = loadCredentialsFile(this.config.get('OPCUA_CREDENTIALS_FILE'));
    for (const { site, endpoint } of endpoints) this.connect(site, endpoint, credentials[endpoint.key]);
  }

  private connect(site: string, endpoint: OpcuaEndpointDefinition, credentials: Credentials | undefined): void {
    const source = `opcua:${endpoint.key}`;
    let pending: OpcuaValue[] = [];
    const flush = () => {
      const values = pending;
      pending = [];
      const receivedAt = Date.now();
      this.pipeline.accept(
        // Not JSON.stringify(values): a value it cannot write (BigInt, a cycle, deep nesting) threw here, in a timer, and ended the process.
        { source, topic: endpoint.url, payload: opcuaPayload(values), receivedAt },
        () =>
          opcuaReadings(site, endpoint, values, receivedAt, {
            maxFutureMs: this.config.get('INGEST_MAX_FUTURE_SECONDS') * 1000,
            maxAgeMs: this.config.get('INGEST_MAX_AGE_DAYS') * 86_400_000,
          }),
        () => undefined,
      );
    };
    const connection = new OpcuaEndpointConnection(endpoint, this.certificates!, credentials, {
      values: (values) => {
        if (pending.length === 0) {
          const timer = setTimeout(() => {
            this.flushTimers.delete(timer);
            flush();
          }, COALESCE_MS);
          this.flushTimers.add(timer);
        }
        pending.push(...values);
      },
      state: (online, reason) => {
        this.presence.set('opcua', endpoint.key, online);
        this.logger.log(`${endpoint.key} (${endpoint.url}): ${online ? 'online' : 'offline'}, ${reason}`);
      },
      log: (message) => this.logger.debug(message),
    });
    this.presence.set('opcua', endpoint.key, false);
    this.connections.push(connection);
    connection.start().catch((error: Error) => this.logger.error({ err: error }, `${endpoint.key}: cannot start`));
  }

  async onApplicationShutdown(): Promise<void> {
    this.flushTimers.forEach((timer) => clearTimeout(timer));
    await Promise.all(this.connections.map((connection) => connection.stop().catch(() => undefined)));
    await this.certificates?.dispose();
  }
}
