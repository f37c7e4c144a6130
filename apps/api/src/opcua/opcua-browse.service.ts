import { HttpException, HttpStatus, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { InjectThrottlerStorage, ThrottlerStorage } from '@nestjs/throttler';
import { join } from 'node:path';
import type * as CertificateManagerLibrary from 'node-opcua-certificate-manager';
import type { OPCUACertificateManager } from 'node-opcua-certificate-manager';
import { Principal } from '@hallwatch/auth';
import { AppConfig } from '@hallwatch/config';
import { DomainError } from '@hallwatch/core';
import { browseEndpoint, BrowseResult, BrowseTarget, loadCredentialsFile, routeNodeOpcuaLogs } from '@hallwatch/opcua';
import { OpcuaEndpointDefinition, RegistryFiles } from '@hallwatch/registry';

// At load, before node-opcua's first warnings (it checks the RSA support of this Node.js version as it loads).
routeNodeOpcuaLogs();

/** Browses a minute per token: each opens a connection to a server (and to a new URL, a port probe). */
const BROWSES_PER_MINUTE = 10;
const MINUTE_MS = 60_000;

export type BrowseRequest = { site?: string; endpoint?: string } & Partial<BrowseTarget>;

/**
 * Browses an OPC UA server for an engineer who is writing its node-to-point mappings. Stored
 * credentials go only to the URL registered for them; a server that is not registered may be
 * browsed (anonymously) by an admin only; every token is limited to a few browses a minute.
 */
@Injectable()
export class OpcuaBrowseService implements OnApplicationShutdown {
  private certificates?: Promise<OPCUACertificateManager>;

  constructor(
    private readonly files: RegistryFiles,
    private readonly config: AppConfig,
    @InjectThrottlerStorage() private readonly throttle: ThrottlerStorage,
  ) {}

  async browse(request: BrowseRequest, principal: Principal): Promise<BrowseResult> {
    const { target, registered } = this.target(request, principal);
    await this.limit(principal);
    const credentials = registered ? loadCredentialsFile(this.config.get('OPCUA_CREDENTIALS_FILE'))[target.key] : undefined;
    try {
      return await browseEndpoint(target, await this.certificateManager(), credentials);
    } catch (error) {
      throw new DomainError('unavailable', `Cannot browse ${target.url}: ${(error as Error).message}`);
    }
  }

  /** A registered endpoint as registered (its security and credentials), or a new URL, anonymously. */
  private target(request: BrowseRequest, principal: Principal): { target: BrowseTarget; registered: boolean } {
    const endpoints = this.files.sites.filter((site) => !request.site || site.key === request.site).flatMap((site) => site.opcua);
    if (request.endpoint) {
      const endpoint = endpoints.find((candidate) => candidate.key === request.endpoint);
      if (!endpoint) throw new DomainError('not-found', `No OPC UA endpoint ${request.endpoint} in the registry files`);
      return { target: endpoint, registered: true };
    }
    const { url, securityMode = 'SignAndEncrypt', securityPolicy = 'Basic256Sha256', auth = 'anonymous', key = 'browse' } = request;
    if (!url) throw new DomainError('invalid-input', 'Name a registered endpoint, or give its url');
    if (auth !== 'anonymous') return { target: this.registeredFor(endpoints, key, url), registered: true };
    if (principal.role !== 'admin' && !endpoints.some((endpoint) => endpoint.url === url)) {
      throw new DomainError('forbidden', `Only an admin may browse a server that is not registered (${url})`);
    }
    return { target: { key, url, securityMode, securityPolicy, auth }, registered: false };
  }

  /** Credentials are stored for an endpoint: they go to its registered URL and nowhere else. */
  private registeredFor(endpoints: OpcuaEndpointDefinition[], key: string, url: string): OpcuaEndpointDefinition {
    const endpoint = endpoints.find((candidate) => candidate.key === key);
    if (endpoint?.url !== url) {
      throw new DomainError(
        'forbidden',
        `The stored credentials of ${key} go only to the URL registered for it${endpoint ? ` (${endpoint.url})` : ''}; browse a registered endpoint by name`,
      );
    }
    return endpoint;
  }

  private async limit(principal: Principal): Promise<void> {
    const { isBlocked, timeToBlockExpire } = await this.throttle.increment(
      `token:${principal.tokenId}`,
      MINUTE_MS,
      BROWSES_PER_MINUTE,
      MINUTE_MS,
      'opcua-browse',
    );
    if (isBlocked) {
      throw new HttpException(
        { error: 'too-many-requests', message: `At most ${BROWSES_PER_MINUTE} browses a minute; try again in ${timeToBlockExpire} s` },
        HttpStatus.TOO_MANY_REQUESTS,
      );
    }
  }

  private certificateManager(): Promise<OPCUACertificateManager> {
    this.certificates ??= (async () => {
      // node-opcua is loaded by the first browse, not by every api process (about 60 MB of memory).
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { OPCUACertificateManager } = require('node-opcua-certificate-manager') as typeof CertificateManagerLibrary;
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
