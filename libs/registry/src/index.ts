export * from './registry-file';
export * from './registry.repository';
