import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { join } from 'node:path';
import { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { AppConfig } from '@hallwatch/config';
import { DomainError } from '@hallwatch/core';
import { browseEndpoint, BrowseResult, BrowseTarget, loadCredentialsFile } from '@hallwatch/opcua';
import { RegistryFiles } from '@hallwatch/registry';

/** Browses an OPC UA server for an engineer who is writing its node-to-point mappings. */
@Injectable()
export class OpcuaBrowseService implements OnApplicationShutdown {
  private certificates?: Promise<OPCUACertificateManager>;

  constructor(
    private readonly files: RegistryFiles,
    private readonly config: AppConfig,
  ) {}

  /** A registered endpoint (its security and credentials), or a new one described in full. */
  async browse(request: { site?: string; endpoint?: string } & Partial<BrowseTarget>): Promise<BrowseResult> {
    const target = this.target(request);
    const credentials = loadCredentialsFile(this.config.get('OPCUA_CREDENTIALS_FILE'))[target.key];
    try {
      return await browseEndpoint(target, await this.certificateManager(), credentials);
    } catch (error) {
      throw new DomainError('unavailable', `Cannot browse ${target.url}: ${(error as Error).message}`);
    }
  }

  private target(request: { site?: string; endpoint?: string } & Partial<BrowseTarget>): BrowseTarget {
    if (request.endpoint) {
      const endpoint = this.files.sites
        .filter((site) => !request.site || site.key === request.site)
        .flatMap((site) => site.opcua)
        .find((candidate) => candidate.key === request.endpoint);
      if (!endpoint) throw new DomainError('not-found', `No OPC UA endpoint ${request.endpoint} in the registry files`);
      return endpoint;
    }
    const { url, securityMode = 'SignAndEncrypt', securityPolicy = 'Basic256Sha256', auth = 'anonymous', key = 'browse' } = request;
    if (!url) throw new DomainError('invalid-input', 'Name a registered endpoint, or give its url');
    return { key, url, securityMode, securityPolicy, auth };
  }

  private certificateManager(): Promise<OPCUACertificateManager> {
    this.certificates ??= (async () => {
      const manager = new OPCUACertificateManager({
        rootFolder: join(this.config.get('DATA_DIR'), 'pki'),
        automaticallyAcceptUnknownCertificate: this.config.get('OPCUA_TRUST_UNKNOWN_SERVERS'),
      });
      await manager.initialize();
      return manager;
    })();
    return this.certificates;
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.certificates) await (await this.certificates).dispose();
  }
}
