import { Global, Logger, Module, OnModuleInit } from '@nestjs/common';
import { existsSync } from 'node:fs';
import { AppConfig } from '@hallwatch/config';
import { loadRegistryFolder, SiteDefinition } from './registry-file';
import { RegistryChanges } from './registry-changes.service';
import { RegistryRepository } from './registry.repository';

/** The site definitions read from REGISTRY_DIR at start-up, with what only files carry (OPC UA mappings). */
export class RegistryFiles {
  sites: SiteDefinition[] = [];
}

/** Applies the registry files of REGISTRY_DIR at start-up (idempotent upserts), then serves lookups. */
@Global()
@Module({
  providers: [RegistryRepository, RegistryChanges, RegistryFiles],
  exports: [RegistryRepository, RegistryChanges, RegistryFiles],
})
export class RegistryModule implements OnModuleInit {
  private readonly logger = new Logger('Registry');

  constructor(
    private readonly registry: RegistryRepository,
    private readonly files: RegistryFiles,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    const folder = this.config.get('REGISTRY_DIR');
    if (!existsSync(folder)) {
      this.logger.warn(`registry folder ${folder} does not exist: no sites loaded from files`);
      return;
    }
    const sites = loadRegistryFolder(folder);
    await this.registry.applySites(sites, 'registry');
    this.files.sites = sites;
    const points = sites.reduce((sum, site) => sum + site.assets.reduce((n, asset) => n + asset.points.length, 0), 0);
    this.logger.log(`registry: ${sites.length} site(s), ${points} point(s) from ${folder}`);
  }
}
