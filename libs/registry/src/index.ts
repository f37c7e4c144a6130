export * from './registry-file';
export * from './registry.repository';
export * from './registry.module';
export * from './registry-changes.service';
export * from './haystack-filter';
export * from './site-roles';
