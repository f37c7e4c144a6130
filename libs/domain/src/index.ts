export * from './point';
export * from './reading';
export * from './buckets';
export * from './roles';
